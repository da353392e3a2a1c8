// tls-echo server (CoroJS): TLS echo whose certificate is chosen per handshake by SNI between two names.
// Usage: tls-echo.mjs <port> <host> <cert_dir> <names>; names: name1,name2; cert_dir holds <name>.key and <name>.crt.
import { programArgs } from './program-args.mjs';

const {
  port,
  host,
  cert_dir: certDir,
  names,
} = programArgs('tls-echo', { serve: ['port', 'host', 'cert_dir', 'names'] });

const certificates = new Map();
for (const name of names.split(',')) {
  certificates.set(name, { key: fs.readFile(`${certDir}/${name}.key`), cert: fs.readFile(`${certDir}/${name}.crt`) });
}
const fallback = certificates.values().next().value;

const server = tls.createServer(
  { certificateResolver: (servername) => certificates.get(servername) ?? fallback },
  (socket) => {
    let chunk;
    while ((chunk = socket.readBytes()) !== null) socket.write(chunk);
  },
);
Fiber.run(() => server.listen(Number(port), host));
console.log(`READY ${server.address().port}`);
