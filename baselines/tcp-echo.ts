// tcp-echo server (Node async/await twin of workloads/tcp-echo.mjs): echoes every byte; prints "READY <port>".
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { echo } from './echo-loop.js';
import { programArgs } from './program-args.js';

const { port, host } = programArgs('tcp-echo', { serve: ['port', 'host'] });

const server = net.createServer((socket) => void echo(socket));
server.listen(Number(port), host, () => {
  console.log(`READY ${(server.address() as AddressInfo).port}`);
});
