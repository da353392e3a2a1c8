// tls-echo server (Node async/await twin of workloads/tls-echo.mjs): TLS echo, certificate chosen by SNI.
// Usage: tls-echo.js <port> <host> <certDir> <name1,name2>; certDir holds <name>.key and <name>.crt.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { echo } from './echo-loop.js';

const [port = '0', host = '127.0.0.1', certDir = '.', names = 'a.lab.test,b.lab.test'] = process.argv.slice(2);

const contexts = new Map<string, tls.SecureContext>();
const pems = names.split(',').map((name) => {
  const pem = { key: readFileSync(`${certDir}/${name}.key`, 'utf8'), cert: readFileSync(`${certDir}/${name}.crt`, 'utf8') };
  contexts.set(name, tls.createSecureContext(pem));
  return pem;
});

const server = tls.createServer(
  { ...pems[0], SNICallback: (servername, done) => done(null, contexts.get(servername) ?? contexts.values().next().value) },
  (socket) => void echo(socket),
);
server.on('tlsClientError', () => {});
server.listen(Number(port), host, () => {
  console.log(`READY ${(server.address() as AddressInfo).port}`);
});
