// tcp-echo server (Node async/await twin of workloads/tcp-echo.mjs): echoes every byte; prints "READY <port>".
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { echo } from './echo-loop.js';

const [port = '0', host = '127.0.0.1'] = process.argv.slice(2);

const server = net.createServer((socket) => void echo(socket));
server.listen(Number(port), host, () => {
  console.log(`READY ${(server.address() as AddressInfo).port}`);
});
