// tcp-echo server (CoroJS, blocking fiber style): echoes every byte back; prints "READY <port>" once listening.
const [port = '0', host = '127.0.0.1'] = process.argv.slice(2);

const server = net.createServer((socket) => {
  let chunk;
  while ((chunk = socket.readBytes()) !== null) socket.write(chunk);
});
Fiber.run(() => server.listen(Number(port), host));
console.log(`READY ${server.address().port}`);
