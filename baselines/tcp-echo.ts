// tcp-echo server (Node async/await twin of workloads/tcp-echo.mjs): echoes every byte; prints "READY <port>".
import { once } from 'node:events';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

const [port = '0', host = '127.0.0.1'] = process.argv.slice(2);

async function echo(socket: net.Socket): Promise<void> {
  try {
    for await (const chunk of socket) {
      if (!socket.write(chunk as Buffer)) await once(socket, 'drain');
    }
  } catch {
    // a reset peer ends the connection, as in the CoroJS twin
  } finally {
    socket.destroy();
  }
}

const server = net.createServer((socket) => void echo(socket));
server.listen(Number(port), host, () => {
  console.log(`READY ${(server.address() as AddressInfo).port}`);
});
