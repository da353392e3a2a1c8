// TextEncoder and TextDecoder (UTF-8), with TextDecoder's streaming mode: bytes of a character split across
// two chunks are held back until the rest arrives.
const prim = primordials.encoding;

// Length of the longest prefix of `bytes` that does not end inside a UTF-8 sequence.
function completePrefix(bytes) {
  const n = bytes.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = bytes[n - back];
    if ((b & 0xc0) !== 0x80) {  // a lead byte (or ASCII): does its sequence fit in what we have?
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      return need > back ? n - back : n;
    }
  }
  return n;
}

class TextDecoder {
  #pending = null;
  constructor(label = 'utf-8', options = {}) {
    if (!/^utf-?8$/i.test(String(label))) throw new RangeError(`The "${label}" encoding is not supported`);
    this.fatal = Boolean(options.fatal);
  }
  get encoding() { return 'utf-8'; }
  decode(input = new Uint8Array(0), options = {}) {
    let bytes = ArrayBuffer.isView(input) ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
      : input instanceof ArrayBuffer ? new Uint8Array(input) : null;
    if (!bytes) throw internal.typeError('The "input" argument must be an ArrayBuffer or ArrayBufferView');
    if (this.#pending) {
      const joined = new Uint8Array(this.#pending.length + bytes.length);
      joined.set(this.#pending);
      joined.set(bytes, this.#pending.length);
      bytes = joined;
      this.#pending = null;
    }
    if (options.stream) {
      const cut = completePrefix(bytes);
      if (cut < bytes.length) this.#pending = bytes.slice(cut);
      return prim.decode(bytes, 0, cut);
    }
    return prim.decode(bytes);
  }
}

class TextEncoder {
  get encoding() { return 'utf-8'; }
  encode(input = '') { return prim.encode(String(input)); }
}

globalThis.TextDecoder = TextDecoder;
globalThis.TextEncoder = TextEncoder;
internal.utf8CompletePrefix = completePrefix;
