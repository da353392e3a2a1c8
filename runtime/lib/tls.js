// The global tls (spec 4): createServer({ certificateResolver }, handler).listen(port, host) with SNI chosen
// per handshake, and (extension) connect(port, host, { servername, ca, rejectUnauthorized }).
import primordials from './primordials.js';
import { typeError } from './errors.js';
import { TextDecoder } from './encoding.js';
import { StreamServer, StreamSocket, checkPort } from './stream-server.js';

const prim = primordials.tls;

// Sends close_notify when closed.
class TlsSocket extends StreamSocket {
  constructor(id) {
    super(id, prim);
  }
}

// The accept loop and connection fibers are stream-server.js's; each connection's handshake runs
// in its own fiber, so a slow or hostile handshake delays nobody else. A failed handshake is logged and that
// connection closed. The resolver may block (e.g. read its files).
class TlsServer extends StreamServer {
  #context;
  constructor(options, handler) {
    if (!options || typeof options.certificateResolver !== 'function') {
      throw typeError('tls.createServer needs options.certificateResolver: (servername) => ({ key, cert })');
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
    throw typeError('The "options.ca" property must be a string, Uint8Array or an array of them');
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
    return new TlsSocket(prim.connect(String(host), checkPort(port), options));
  },
};
