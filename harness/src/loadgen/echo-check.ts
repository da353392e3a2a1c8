// Answer checks for echo workloads: deterministic payloads stamped with a sequence number, reassembled from
// arbitrary chunking and compared byte for byte with what was sent.

// A payload whose bytes depend on the connection, so a reply crossing connections is caught.
export function makeEchoPayload(size: number, connection: number): Buffer {
  const payload = Buffer.alloc(size);
  for (let i = 0; i < size; i++) payload[i] = (i * 31 + connection * 7 + 1) & 0xff;
  return payload;
}

// Writes the sequence number into the first (up to) 4 bytes, so a stale or repeated reply is caught too.
export function stampSequence(payload: Buffer, sequence: number): void {
  const bytes = Math.min(4, payload.length);
  for (let i = 0; i < bytes; i++) payload[i] = (sequence >>> (8 * i)) & 0xff;
}

// Collects chunks until one whole message of `size` bytes has arrived.
export class EchoReassembler {
  #chunks: Buffer[] = [];
  #length = 0;
  constructor(readonly size: number) {}

  // Returns the complete message once `size` bytes are in, keeping any surplus for the next one.
  push(chunk: Buffer): Buffer | null {
    this.#chunks.push(chunk);
    this.#length += chunk.length;
    if (this.#length < this.size) return null;
    const all = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks, this.#length);
    const message = all.subarray(0, this.size);
    const surplus = all.subarray(this.size);
    this.#chunks = surplus.length ? [surplus] : [];
    this.#length = surplus.length;
    return message;
  }

  get buffered(): number {
    return this.#length;
  }
}

export function echoMatches(sent: Buffer, received: Buffer): boolean {
  return sent.length === received.length && sent.equals(received);
}

// An HTTP/1.1 response to the hello workload is exactly this.
export const HELLO_RESPONSE = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world';
