// The global net (spec 4): createServer(handler).listen(port, host) runs the accept loop in the calling fiber
// and each connection's handler in a fiber of its own; Socket wraps a connection; connect() is an extension.
import primordials from './primordials.js';
import { StreamServer, StreamSocket, checkPort } from './stream-server.js';

const prim = primordials.net;

class Socket extends StreamSocket {
  constructor(id) {
    super(id, prim);
  }
  // Half-close: sends FIN after queued data; reading goes on.
  end() {
    prim.shutdown(this.id);
  }
  address() {
    return prim.address(this.id);
  }
  remoteAddress() {
    return prim.remoteAddress(this.id);
  }
}

class Server extends StreamServer {
  constructor(handler) {
    super(handler, 'net.createServer');
  }
  wrapConnection(id) {
    return new Socket(id);
  }
}

globalThis.net = {
  Server,
  Socket,
  createServer: (handler) => new Server(handler),
  // Extension: a connected client Socket.
  connect(port, host = '127.0.0.1') {
    return new Socket(prim.connect(String(host), checkPort(port)));
  },
};
