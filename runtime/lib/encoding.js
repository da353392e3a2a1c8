// TextEncoder and TextDecoder (UTF-8 only) per the WHATWG Encoding standard: BOM stripped unless
// `ignoreBOM`, `fatal` throws on invalid bytes, otherwise each invalid maximal subpart becomes U+FFFD, and
// `stream: true` holds back a sequence split across chunks until the rest arrives.
import primordials from './primordials.js';
import { typeError } from './errors.js';

const prim = primordials.encoding;

// The standard's labels for UTF-8 (matched after trimming ASCII whitespace, case-insensitively).
const utf8Labels = new Set(['unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'utf-8', 'utf8', 'x-unicode20utf8']);

function toBytes(input) {
  if (input === undefined) return new Uint8Array(0);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (input instanceof ArrayBuffer || (typeof SharedArrayBuffer === 'function' && input instanceof SharedArrayBuffer)) {
    return new Uint8Array(input);
  }
  throw typeError('The "input" argument must be an instance of ArrayBuffer or ArrayBufferView');
}

function invalidData() {
  return typeError('The encoded data was not valid for encoding utf-8', 'ERR_ENCODING_INVALID_ENCODED_DATA');
}

class TextDecoder {
  #fatal;
  #ignoreBOM;
  #pending = null; // bytes of an unfinished sequence from the previous `stream: true` call
  #bomSeen = false; // the first character of this stream has been output (only it may be a BOM)

  constructor(label = 'utf-8', options = {}) {
    const name = `${label}`.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, '').toLowerCase();
    if (!utf8Labels.has(name)) {
      const error = new RangeError(`The "${label}" encoding is not supported`);
      error.code = 'ERR_ENCODING_NOT_SUPPORTED';
      throw error;
    }
    if (options !== undefined && options !== null && typeof options !== 'object') {
      throw typeError('The "options" argument must be of type object');
    }
    this.#fatal = Boolean(options?.fatal);
    this.#ignoreBOM = Boolean(options?.ignoreBOM);
  }

  get encoding() {
    return 'utf-8';
  }
  get fatal() {
    return this.#fatal;
  }
  get ignoreBOM() {
    return this.#ignoreBOM;
  }

  decode(input = undefined, options = {}) {
    let bytes = toBytes(input);
    const stream = Boolean(options?.stream);
    if (this.#pending) {
      const joined = new Uint8Array(this.#pending.length + bytes.length);
      joined.set(this.#pending);
      joined.set(bytes, this.#pending.length);
      bytes = joined;
      this.#pending = null;
    }
    let end = bytes.length;
    if (this.#fatal || stream) {
      const [valid, complete] = prim.scan(bytes);
      // Unfinished at the end of the stream is an error too; in a stream it waits for the next chunk.
      if (this.#fatal && (!valid || (!stream && complete < end))) {
        this.#bomSeen = false;
        throw invalidData();
      }
      if (stream) {
        if (complete < end) this.#pending = bytes.slice(complete);
        end = complete;
      }
    }
    let text = prim.decode(bytes, 0, end);
    if (!this.#bomSeen && text.length > 0) {
      this.#bomSeen = true;
      if (!this.#ignoreBOM && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (!stream) this.#bomSeen = false; // the next call starts a new stream
    return text;
  }

  get [Symbol.toStringTag]() {
    return 'TextDecoder';
  }
}

class TextEncoder {
  get encoding() {
    return 'utf-8';
  }
  // A lone surrogate becomes U+FFFD (ef bf bd), as the standard's USVString conversion says.
  encode(input = '') {
    return prim.encode(`${input}`);
  }
  encodeInto(source, destination) {
    if (!(destination instanceof Uint8Array)) {
      throw typeError('The "dest" argument must be an instance of Uint8Array');
    }
    const [read, written] = prim.encodeInto(`${source}`, destination);
    return { read, written };
  }
  get [Symbol.toStringTag]() {
    return 'TextEncoder';
  }
}

globalThis.TextDecoder = TextDecoder;
globalThis.TextEncoder = TextEncoder;
export { TextDecoder, TextEncoder };
