// http-hello server (CoroJS): HTTP/1.1 keep-alive "hello world" on raw TCP with the same minimal parser as the
// Node twin (a request ends at a blank line; pipelined requests are answered in order).
import { programArgs } from './program-args.mjs';

const { port, host } = programArgs('http-hello', { serve: ['port', 'host'] });
const RESPONSE = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world';

const server = net.createServer((socket) => {
  let pending = '';
  let chunk;
  while ((chunk = socket.read()) !== null) {
    pending += chunk;
    let replies = '';
    let end;
    while ((end = pending.indexOf('\r\n\r\n')) !== -1) {
      pending = pending.slice(end + 4);
      replies += RESPONSE;
    }
    if (replies) socket.write(replies);
  }
});
Fiber.run(() => server.listen(Number(port), host));
console.log(`READY ${server.address().port}`);
