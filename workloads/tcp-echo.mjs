// tcp-echo server (CoroJS, blocking fiber style): echoes every byte back; prints "READY <port>" once listening.
import { programArgs } from './program-args.mjs';

const { port, host } = programArgs('tcp-echo', { serve: ['port', 'host'] });

const server = net.createServer((socket) => {
  let chunk;
  while ((chunk = socket.readBytes()) !== null) socket.write(chunk);
});
Fiber.run(() => server.listen(Number(port), host));
console.log(`READY ${server.address().port}`);
