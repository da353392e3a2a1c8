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

// Writes "<what>: <error>" to stderr whatever the error is: a revoked Proxy or an Error whose `stack` getter
// throws must not take a server down while it reports a failed connection.
function reportFailure(what, error) {
  try {
    console.error(`${what}:`, error);
  } catch {
    let text;
    try { text = String(error); } catch { text = `<unprintable ${typeof error}>`; }
    primordials.console.write(2, `${what}: ${text}\n`);
  }
}

// Runs `handler(socket)` for each accepted id in a fiber that owns the connection. An async handler keeps
// it across its awaits (the fiber waits for its promise). Whatever escapes the handler (thrown or rejected)
// is logged and closes that connection only.
function serveConnection(id, wrap, handler) {
  Fiber.run(() => {
    handles.transfer(id);
    let socket;
    try {
      socket = wrap(id);
      const result = handler(socket);
      if (result !== null && typeof result === 'object' && typeof result.then === 'function') Fiber.wait(result);
    } catch (error) {
      reportFailure('connection handler failed', error);
    } finally {
      try { socket ? socket.close() : prim.close(id); } catch { /* already closed */ }
    }
  });
}

// What net.Server and tls.Server share: listen() runs the accept loop in the calling fiber (spec), each
// connection in a fiber of its own; close() stops it, also while listen() is still resolving its host.
// Subclasses give `wrapConnection(tcpId)`, which turns an accepted TCP id into the socket handed out.
internal.StreamServer = class StreamServer {
  #handler;
  #id = null;
  #state = 'idle';  // 'idle' -> 'binding' (resolving the host) -> 'listening'
  closed = false;
  constructor(handler, what) {
    if (typeof handler !== 'function') throw internal.typeError(`${what} expects a connection handler`);
    this.#handler = handler;
  }
  // Binds and runs the accept loop in this fiber until close(). Extension: port 0 picks a free port, which
  // address() reports (use `Fiber.run(() => server.listen(0))`, which returns once the loop is waiting).
  listen(port, host = '0.0.0.0') {
    if (this.#state !== 'idle' || this.closed) {
      throw internal.codeError('ERR_SERVER_ALREADY_LISTEN', 'Listen method has been called more than once without closing.');
    }
    checkPort(port);
    this.#state = 'binding';
    let id;
    try {
      id = prim.listen(String(host), port);
    } catch (error) {
      this.#state = 'idle';
      throw error;
    }
    if (this.closed) {  // close() came while the host was being resolved
      prim.close(id);
      return;
    }
    this.#id = id;
    this.#state = 'listening';
    this.#acceptLoop();
  }
  // Accepts until the server is closed; a failed accept (e.g. EMFILE) is logged and retried after a pause.
  #acceptLoop() {
    for (;;) {
      let id;
      try {
        id = prim.accept(this.#id);
      } catch (error) {
        if (this.closed) return;
        reportFailure('accept failed', error);
        Fiber.sleep(50);
        continue;
      }
      serveConnection(id, (tcpId) => this.wrapConnection(tcpId), this.#handler);
    }
  }
  address() { return this.#id === null ? null : prim.address(this.#id); }
  close() {
    if (this.closed) return;
    this.closed = true;
    if (this.#id !== null) prim.close(this.#id);
  }
};

class Server extends internal.StreamServer {
  constructor(handler) { super(handler, 'net.createServer'); }
  wrapConnection(id) { return new Socket(id); }
}

internal.checkPort = checkPort;

globalThis.net = {
  Server,
  Socket,
  createServer: (handler) => new Server(handler),
  // Extension: a connected client Socket.
  connect(port, host = '127.0.0.1') { return new Socket(prim.connect(String(host), checkPort(port))); },
};
