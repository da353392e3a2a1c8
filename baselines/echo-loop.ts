// The echo loop both Node echo twins (tcp-echo, tls-echo) run per connection: read, write back, wait for
// 'drain' when the peer reads slowly (the back-pressure CoroJS's blocking write gives), end on error or EOF.
import { once } from 'node:events';
import type { Socket } from 'node:net';

export async function echo(socket: Socket): Promise<void> {
  try {
    for await (const chunk of socket) {
      if (!socket.write(chunk as Buffer)) await once(socket, 'drain');
    }
  } catch {
    // a reset peer (or a failed TLS handshake) ends the connection, as in the CoroJS twins
  } finally {
    socket.destroy();
  }
}
