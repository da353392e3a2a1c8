// tls-echo server (CoroJS): TLS echo whose certificate is chosen per handshake by SNI between two names.
// Usage: tls-echo.mjs <port> <host> <certDir> <name1,name2>; certDir holds <name>.key and <name>.crt.
const [port = '0', host = '127.0.0.1', certDir = '.', names = 'a.lab.test,b.lab.test'] = process.argv.slice(2);

const certificates = new Map();
for (const name of names.split(',')) {
  certificates.set(name, { key: fs.readFile(`${certDir}/${name}.key`), cert: fs.readFile(`${certDir}/${name}.crt`) });
}
const fallback = certificates.values().next().value;

const server = tls.createServer({ certificateResolver: (servername) => certificates.get(servername) ?? fallback },
  (socket) => {
    let chunk;
    while ((chunk = socket.readBytes()) !== null) socket.write(chunk);
  });
Fiber.run(() => server.listen(Number(port), host));
console.log(`READY ${server.address().port}`);
