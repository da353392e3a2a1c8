// What net and tls share: the port check, the socket over a stream's primordials, and the server whose
// listen() runs the accept loop in the calling fiber (spec) with each connection in a fiber of its own.
// One module, so both reject the same bad input with the same `code`.
import primordials from './primordials.js';
import { codeError, typeError } from './errors.js';
import { Fiber } from './fiber.js';
import { console } from './console.js';

const tcp = primordials.net;
const handles = primordials.handles;

export function checkPort(port) {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    const error = new RangeError(`The "port" argument must be an integer in 0..65535, got ${port}`);
    error.code = 'ERR_SOCKET_BAD_PORT';
    throw error;
  }
  return port;
}

// A connection over `prim` (primordials.net or primordials.tls, which take the same calls on an id).
export class StreamSocket {
  #prim;
  #id;
  #closed = false;
  constructor(id, prim) {
    this.#id = id;
    this.#prim = prim;
  }
  get id() {
    return this.#id;
  }
  // Available data as a String (UTF-8; a character split across packets is held until whole), or null at EOF.
  read() {
    return this.#prim.read(this.#id);
  }
  // Available data as a Uint8Array, or null at EOF.
  readBytes() {
    return this.#prim.readBytes(this.#id);
  }
  // Writes a String or Uint8Array; blocks this fiber only while the kernel will not take more.
  write(data) {
    if (typeof data !== 'string' && !ArrayBuffer.isView(data)) {
      throw typeError('The "data" argument must be a string or Uint8Array');
    }
    return this.#prim.write(this.#id, data);
  }
  close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#prim.close(this.#id);
  }
}

// Writes "<what>: <error>" to stderr whatever the error is: a revoked Proxy or an Error whose `stack` getter
// throws must not take a server down while it reports a failed connection.
function reportFailure(what, error) {
  try {
    console.error(`${what}:`, error);
  } catch {
    let text;
    try {
      text = String(error);
    } catch {
      text = `<unprintable ${typeof error}>`;
    }
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
      try {
        socket ? socket.close() : tcp.close(id);
      } catch {
        /* already closed */
      }
    }
  });
}

// net.Server and tls.Server: close() stops the accept loop, also while listen() is still resolving its host.
// Subclasses give `wrapConnection(tcpId)`, which turns an accepted TCP id into the socket handed out.
export class StreamServer {
  #handler;
  #id = null;
  #state = 'idle'; // 'idle' -> 'binding' (resolving the host) -> 'listening'
  closed = false;
  constructor(handler, what) {
    if (typeof handler !== 'function') throw typeError(`${what} expects a connection handler`);
    this.#handler = handler;
  }
  // Binds and runs the accept loop in this fiber until close(). Extension: port 0 picks a free port, which
  // address() reports (use `Fiber.run(() => server.listen(0))`, which returns once the loop is waiting).
  listen(port, host = '0.0.0.0') {
    if (this.#state !== 'idle' || this.closed) {
      throw codeError('ERR_SERVER_ALREADY_LISTEN', 'Listen method has been called more than once without closing.');
    }
    checkPort(port);
    this.#state = 'binding';
    let id;
    try {
      id = tcp.listen(String(host), port);
    } catch (error) {
      this.#state = 'idle';
      throw error;
    }
    if (this.closed) {
      // close() came while the host was being resolved
      tcp.close(id);
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
        id = tcp.accept(this.#id);
      } catch (error) {
        if (this.closed) return;
        reportFailure('accept failed', error);
        Fiber.sleep(50);
        continue;
      }
      serveConnection(id, (tcpId) => this.wrapConnection(tcpId), this.#handler);
    }
  }
  address() {
    return this.#id === null ? null : tcp.address(this.#id);
  }
  close() {
    if (this.closed) return;
    this.closed = true;
    if (this.#id !== null) tcp.close(this.#id);
  }
}
