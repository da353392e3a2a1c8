// http-hello server (Node async/await twin of workloads/http-hello.mjs): the same minimal HTTP/1.1 keep-alive
// parser on raw TCP (a request ends at a blank line; pipelined requests answered in order).
import { once } from 'node:events';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { programArgs } from './program-args.js';

const { port, host } = programArgs('http-hello', { serve: ['port', 'host'] });
const RESPONSE = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world';

async function serve(socket: net.Socket): Promise<void> {
  socket.setEncoding('utf8');
  let pending = '';
  try {
    for await (const chunk of socket) {
      pending += chunk as string;
      let replies = '';
      let end;
      while ((end = pending.indexOf('\r\n\r\n')) !== -1) {
        pending = pending.slice(end + 4);
        replies += RESPONSE;
      }
      if (replies && !socket.write(replies)) await once(socket, 'drain');
    }
  } catch {
    // a reset peer ends the connection
  } finally {
    socket.destroy();
  }
}

const server = net.createServer((socket) => void serve(socket));
server.listen(Number(port), host, () => {
  console.log(`READY ${(server.address() as AddressInfo).port}`);
});
