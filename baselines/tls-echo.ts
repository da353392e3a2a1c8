// tls-echo server (Node async/await twin of workloads/tls-echo.mjs): TLS echo, certificate chosen by SNI.
// Usage: tls-echo.js <port> <host> <cert_dir> <names>; names: name1,name2; cert_dir holds <name>.key and <name>.crt.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { echo } from './echo-loop.js';
import { programArgs } from './program-args.js';

const {
  port,
  host,
  cert_dir: certDir,
  names,
} = programArgs('tls-echo', { serve: ['port', 'host', 'cert_dir', 'names'] });

const contexts = new Map<string, tls.SecureContext>();
const pems = names.split(',').map((name) => {
  const pem = {
    key: readFileSync(`${certDir}/${name}.key`, 'utf8'),
    cert: readFileSync(`${certDir}/${name}.crt`, 'utf8'),
  };
  contexts.set(name, tls.createSecureContext(pem));
  return pem;
});

const server = tls.createServer(
  {
    ...pems[0],
    SNICallback: (servername, done) => done(null, contexts.get(servername) ?? contexts.values().next().value),
  },
  (socket) => void echo(socket),
);
server.on('tlsClientError', () => {});
server.listen(Number(port), host, () => {
  console.log(`READY ${(server.address() as AddressInfo).port}`);
});
