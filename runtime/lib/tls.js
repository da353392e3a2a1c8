// The global tls (spec 4): createServer({ certificateResolver }, handler).listen(port, host) with SNI chosen
// per handshake, and (extension) connect(port, host, { servername, ca, rejectUnauthorized }).
const prim = primordials.tls;
const netPrim = primordials.net;

class TlsSocket {
  #id;
  #closed = false;
  constructor(id) { this.#id = id; }
  get id() { return this.#id; }
  read() { return prim.read(this.#id); }
  readBytes() { return prim.readBytes(this.#id); }
  write(data) {
    if (typeof data !== 'string' && !ArrayBuffer.isView(data)) {
      throw internal.typeError('The "data" argument must be a string or Uint8Array');
    }
    return prim.write(this.#id, data);
  }
  // Sends close_notify and closes the connection.
  close() {
    if (this.#closed) return;
    this.#closed = true;
    prim.close(this.#id);
  }
}

class TlsServer {
  #context;
  #handler;
  #id = null;
  closed = false;
  constructor(options, handler) {
    if (!options || typeof options.certificateResolver !== 'function') {
      throw internal.typeError('tls.createServer needs options.certificateResolver: (servername) => ({ key, cert })');
    }
    if (typeof handler !== 'function') throw internal.typeError('tls.createServer expects a connection handler');
    this.#context = prim.createContext(options.certificateResolver);
    this.#handler = handler;
  }
  // Runs the accept loop in this fiber; each connection's handshake and handler run in its own fiber, so a
  // slow or hostile handshake delays nobody else. A failed handshake is logged and that connection closed.
  listen(port, host = '0.0.0.0') {
    if (this.#id !== null) throw internal.codeError('ERR_SERVER_ALREADY_LISTEN', 'server is already listening');
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`bad port ${port}`);
    this.#id = netPrim.listen(String(host), port);
    internal.acceptLoop(this, this.#id, (tcpId) => internal.serveConnection(tcpId, (id) => {
      try {
        return new TlsSocket(prim.accept(this.#context, id));
      } catch (error) {
        error.message = `TLS handshake failed: ${error.message}`;
        throw error;
      }
    }, this.#handler));
  }
  address() { return this.#id === null ? null : netPrim.address(this.#id); }
  close() {
    if (this.closed || this.#id === null) return;
    this.closed = true;
    netPrim.close(this.#id);
    prim.close(this.#context);
  }
}

globalThis.tls = {
  TLSSocket: TlsSocket,
  Server: TlsServer,
  createServer: (options, handler) => new TlsServer(options, handler),
  connect(port, host = '127.0.0.1', options = {}) {
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`bad port ${port}`);
    return new TlsSocket(prim.connect(String(host), port, options ?? {}));
  },
};
