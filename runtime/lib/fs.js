// The global fs (spec 4): FileHandle over the fs primordials; every call blocks only the calling fiber.
import primordials from './primordials.js';
import { typeError } from './errors.js';
import { TextDecoder } from './encoding.js';

const prim = primordials.fs;
// Like Node's readFile(path, 'utf8'), a leading BOM is part of the file's text.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
// Node's kIoMaxLength: readFile refuses more than this, so an endless file ('/dev/zero') ends in an error.
const kMaxReadFile = 2 ** 31 - 1;

function checkPath(path) {
  if (typeof path !== 'string') throw typeError('The "path" argument must be of type string');
  return path;
}

class FileHandle {
  #id;
  constructor(id) {
    this.#id = id;
  }
  get id() {
    return this.#id;
  }
  // Up to `length` bytes as a Uint8Array (at `offset`, or the current position), or null at end of file.
  read(length = 65536, offset = -1) {
    return prim.read(this.#id, length, offset);
  }
  // Writes a String (UTF-8) or Uint8Array at `offset` (or the current position); returns bytes written (BigInt).
  write(data, offset = -1) {
    if (typeof data !== 'string' && !ArrayBuffer.isView(data)) {
      throw typeError('The "data" argument must be a string or Uint8Array');
    }
    return prim.write(this.#id, data, offset);
  }
  fstat() {
    return withStatMethods(prim.fstat(this.#id));
  }
  fsync() {
    prim.fsync(this.#id);
  }
  fdatasync() {
    prim.fdatasync(this.#id);
  }
  close() {
    prim.close(this.#id);
  }
}

const S_IFMT = 0o170000;
function withStatMethods(stat) {
  const type = stat.mode & S_IFMT;
  stat.isFile = () => type === 0o100000;
  stat.isDirectory = () => type === 0o040000;
  stat.isSymbolicLink = () => type === 0o120000;
  return stat;
}

function tooLarge(size) {
  const error = new RangeError(`File size (${size}) is greater than 2 GiB`);
  error.code = 'ERR_FS_FILE_TOO_LARGE';
  return error;
}

function readAll(handle) {
  const size = Number(handle.fstat().size);
  if (size > kMaxReadFile) throw tooLarge(size);
  const chunks = [];
  let total = 0;
  // A size of 0 may be a lie (/proc, /dev/zero, pipes): count what actually arrives.
  for (let chunk; (chunk = handle.read(Math.min(1 << 20, kMaxReadFile + 1 - total))) !== null;) {
    chunks.push(chunk);
    total += chunk.length;
    if (total > kMaxReadFile) throw tooLarge(total);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function withFile(path, flags, fn) {
  const handle = new FileHandle(prim.open(checkPath(path), flags, 0o666));
  try {
    return fn(handle);
  } finally {
    handle.close();
  }
}

globalThis.fs = {
  FileHandle,
  open(path, flags = 'r', mode = 0o666) {
    return new FileHandle(prim.open(checkPath(path), flags, mode));
  },
  // The file's contents as a String (UTF-8); extension: `encoding === null` returns the bytes.
  readFile(path, encoding = 'utf8') {
    const bytes = withFile(path, 'r', readAll);
    return encoding === null ? bytes : decoder.decode(bytes);
  },
  // Extension: creates or truncates `path` and writes `data` (String or Uint8Array).
  writeFile(path, data) {
    withFile(path, 'w', (handle) => handle.write(data, -1));
  },
  appendFile(path, data) {
    withFile(path, 'a', (handle) => handle.write(data, -1));
  },
  readdir(path) {
    return prim.readdir(checkPath(path));
  },
  unlink(path) {
    prim.unlink(checkPath(path));
  },
  mkdir(path, mode = 0o777) {
    prim.mkdir(checkPath(path), mode);
  },
  rmdir(path) {
    prim.rmdir(checkPath(path));
  },
  stat(path) {
    return withStatMethods(prim.stat(checkPath(path)));
  },
  exists(path) {
    try {
      prim.stat(checkPath(path));
      return true;
    } catch (e) {
      if (e.code === 'ENOENT') return false;
      throw e;
    }
  },
};
