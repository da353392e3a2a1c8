// The global fs (spec 4): FileHandle over the fs primordials; every call blocks only the calling fiber.
const prim = primordials.fs;
const decoder = new TextDecoder();

function checkPath(path) {
  if (typeof path !== 'string') throw internal.typeError('The "path" argument must be of type string');
  return path;
}

class FileHandle {
  #id;
  constructor(id) { this.#id = id; }
  get id() { return this.#id; }
  // Up to `length` bytes as a Uint8Array (at `offset`, or the current position), or null at end of file.
  read(length = 65536, offset = -1) { return prim.read(this.#id, length, offset); }
  // Writes a String (UTF-8) or Uint8Array at `offset` (or the current position); returns bytes written (BigInt).
  write(data, offset = -1) {
    if (typeof data !== 'string' && !ArrayBuffer.isView(data)) {
      throw internal.typeError('The "data" argument must be a string or Uint8Array');
    }
    return prim.write(this.#id, data, offset);
  }
  fstat() { return withStatMethods(prim.fstat(this.#id)); }
  fsync() { prim.fsync(this.#id); }
  fdatasync() { prim.fdatasync(this.#id); }
  close() { prim.close(this.#id); }
}

const S_IFMT = 0o170000;
function withStatMethods(stat) {
  const type = stat.mode & S_IFMT;
  stat.isFile = () => type === 0o100000;
  stat.isDirectory = () => type === 0o040000;
  stat.isSymbolicLink = () => type === 0o120000;
  return stat;
}

function readAll(handle) {
  const chunks = [];
  let total = 0;
  for (let chunk; (chunk = handle.read(1 << 20)) !== null;) {
    chunks.push(chunk);
    total += chunk.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) { out.set(chunk, at); at += chunk.length; }
  return out;
}

function withFile(path, flags, fn) {
  const handle = new FileHandle(prim.open(checkPath(path), flags, 0o666));
  try { return fn(handle); } finally { handle.close(); }
}

globalThis.fs = {
  FileHandle,
  open(path, flags = 'r', mode = 0o666) { return new FileHandle(prim.open(checkPath(path), flags, mode)); },
  // The file's contents as a String (UTF-8); extension: `encoding === null` returns the bytes.
  readFile(path, encoding = 'utf8') {
    const bytes = withFile(path, 'r', readAll);
    return encoding === null ? bytes : decoder.decode(bytes);
  },
  // Extension: creates or truncates `path` and writes `data` (String or Uint8Array).
  writeFile(path, data) { withFile(path, 'w', (handle) => handle.write(data, -1)); },
  appendFile(path, data) { withFile(path, 'a', (handle) => handle.write(data, -1)); },
  readdir(path) { return prim.readdir(checkPath(path)); },
  unlink(path) { prim.unlink(checkPath(path)); },
  mkdir(path, mode = 0o777) { prim.mkdir(checkPath(path), mode); },
  rmdir(path) { prim.rmdir(checkPath(path)); },
  stat(path) { return withStatMethods(prim.stat(checkPath(path))); },
  exists(path) {
    try { prim.stat(checkPath(path)); return true; } catch (e) { if (e.code === 'ENOENT') return false; throw e; }
  },
};
