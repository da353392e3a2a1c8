// The global tls (spec 4): createServer({ certificateResolver }, handler).listen(port, host) with SNI chosen
// per handshake, and (extension) connect(port, host, { servername, ca, rejectUnauthorized }).
const prim = primordials.tls;

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

// The accept loop and connection fibers are net's (internal.StreamServer); each connection's handshake runs
// in its own fiber, so a slow or hostile handshake delays nobody else. A failed handshake is logged and that
// connection closed. The resolver may block (e.g. read its files).
class TlsServer extends internal.StreamServer {
  #context;
  constructor(options, handler) {
    if (!options || typeof options.certificateResolver !== 'function') {
      throw internal.typeError('tls.createServer needs options.certificateResolver: (servername) => ({ key, cert })');
    }
    super(handler, 'tls.createServer');
    this.#context = prim.createContext(options.certificateResolver);
  }
  wrapConnection(tcpId) {
    try {
      return new TlsSocket(prim.accept(this.#context, tcpId));
    } catch (error) {
      error.message = `TLS handshake failed: ${error.message}`;
      throw error;
    }
  }
  close() {
    if (this.closed) return;
    super.close();
    prim.close(this.#context);
  }
}

// `ca` as Node takes it: a PEM string, its bytes, or an array of either; one PEM bundle for the runtime.
function caBundle(ca) {
  if (ca === undefined) return undefined;
  const one = (item) => {
    if (typeof item === 'string') return item;
    if (ArrayBuffer.isView(item)) return new TextDecoder().decode(item);
    throw internal.typeError('The "options.ca" property must be a string, Uint8Array or an array of them');
  };
  return Array.isArray(ca) ? ca.map(one).join('\n') : one(ca);
}

globalThis.tls = {
  TLSSocket: TlsSocket,
  Server: TlsServer,
  createServer: (options, handler) => new TlsServer(options, handler),
  connect(port, host = '127.0.0.1', options = {}) {
    options = { ...(options ?? {}) };
    options.ca = caBundle(options.ca);
    if (options.ca === undefined) delete options.ca;
    return new TlsSocket(prim.connect(String(host), internal.checkPort(port), options));
  },
};
