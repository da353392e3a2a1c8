// The global net (spec 4): createServer(handler).listen(port, host) runs the accept loop in the calling fiber
// and each connection's handler in a fiber of its own; Socket wraps a connection; connect() is an extension.
const prim = primordials.net;
const handles = primordials.handles;

function checkPort(port) {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    const error = new RangeError(`The "port" argument must be an integer in 0..65535, got ${port}`);
    error.code = 'ERR_SOCKET_BAD_PORT';
    throw error;
  }
  return port;
}

class Socket {
  #id;
  #closed = false;
  constructor(id) { this.#id = id; }
  get id() { return this.#id; }
  // Available data as a String (UTF-8; a character split across packets is held until whole), or null at EOF.
  read() { return prim.read(this.#id); }
  // Available data as a Uint8Array, or null at EOF.
  readBytes() { return prim.readBytes(this.#id); }
  // Writes a String or Uint8Array; blocks this fiber only while the kernel will not take more.
  write(data) {
    if (typeof data !== 'string' && !ArrayBuffer.isView(data)) {
      throw internal.typeError('The "data" argument must be a string or Uint8Array');
    }
    return prim.write(this.#id, data);
  }
  // Half-close: sends FIN after queued data; reading goes on.
  end() { prim.shutdown(this.#id); }
  close() {
    if (this.#closed) return;
    this.#closed = true;
    prim.close(this.#id);
  }
  address() { return prim.address(this.#id); }
  remoteAddress() { return prim.remoteAddress(this.#id); }
}

// Runs `handler(socket)` for each accepted id in a fiber that owns the connection; an exception escaping the
// handler is logged with its stack and closes that connection only. Shared by net and tls servers.
internal.serveConnection = function serveConnection(id, wrap, handler) {
  Fiber.run(() => {
    handles.transfer(id);
    let socket;
    try {
      socket = wrap(id);
      handler(socket);
    } catch (error) {
      console.error('connection handler failed:', error);
    } finally {
      try { socket ? socket.close() : prim.close(id); } catch { /* already closed */ }
    }
  });
};

// Accepts until the server is closed; a failed accept (e.g. EMFILE) is logged and retried after a pause.
internal.acceptLoop = function acceptLoop(server, serverId, onConnection) {
  for (;;) {
    let id;
    try {
      id = prim.accept(serverId);
    } catch (error) {
      if (server.closed) return;
      console.error('accept failed:', error);
      Fiber.sleep(50);
      continue;
    }
    onConnection(id);
  }
};

class Server {
  #handler;
  #id = null;
  closed = false;
  constructor(handler) {
    if (typeof handler !== 'function') throw internal.typeError('net.createServer expects a connection handler');
    this.#handler = handler;
  }
  // Binds and runs the accept loop in this fiber until close(). Extension: port 0 picks a free port, which
  // address() reports (use `Fiber.run(() => server.listen(0))`, which returns once the loop is waiting).
  listen(port, host = '0.0.0.0') {
    if (this.#id !== null) throw internal.codeError('ERR_SERVER_ALREADY_LISTEN', 'server is already listening');
    this.#id = prim.listen(String(host), checkPort(port));
    internal.acceptLoop(this, this.#id, (id) => internal.serveConnection(id, (i) => new Socket(i), this.#handler));
  }
  address() {
    if (this.#id === null) return null;
    return prim.address(this.#id);
  }
  close() {
    if (this.closed || this.#id === null) return;
    this.closed = true;
    prim.close(this.#id);
  }
}

globalThis.net = {
  Server,
  Socket,
  createServer: (handler) => new Server(handler),
  // Extension: a connected client Socket.
  connect(port, host = '127.0.0.1') { return new Socket(prim.connect(String(host), checkPort(port))); },
};
