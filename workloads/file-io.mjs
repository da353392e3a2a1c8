// file-io (CoroJS): read, write, append and fsync mixes, K fibers each looping on one operation kind for a fixed
// time after a warm-up of a fifth of it (like the Node twin); prints one RESULT line per variant: ops, seconds,
// latencies (ns, 3 significant digits, as counts), CPU.
// Reads verify what they read: the length, and every 4 KiB block's stamp (its block number, written when the
// data file was made). Buffer policy, the same on both sides: every read call gets a fresh, uninitialised
// buffer of CHUNK bytes (CoroJS's handle.read(length) allocates one; the Node twin uses Buffer.allocUnsafeSlow).
// Usage: file-io.mjs <dir> <variants, e.g. read-4KiB,write-1MiB,append-4KiB,fsync-4KiB> <seconds> <concurrency>
import { programArgs } from './program-args.mjs';
import { reportTimedVariant, round3 } from './self-timing.mjs';

const {
  dir,
  variants: variantList,
  seconds: secondsArg,
  concurrency: concurrencyArg,
} = programArgs('file-io', { run: ['dir', 'variants', 'seconds', 'concurrency'] });
const SIZES = { '4KiB': 4096, '1MiB': 1 << 20, '64MiB': 64 << 20 };
const CHUNK = 1 << 20;
const BLOCK = 4096;

// `length` bytes of the data file from `offset` (a multiple of BLOCK): 'a's, each block starting with its number.
function dataChunk(offset, length) {
  const bytes = new Uint8Array(length).fill(97);
  const view = new DataView(bytes.buffer);
  for (let at = 0; at + 4 <= length; at += BLOCK) view.setUint32(at, (offset + at) / BLOCK, true);
  return bytes;
}

// Why `chunk`, read at `offset` of the data file, is not what was written (or undefined).
function wrongData(chunk, offset) {
  const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  for (let at = 0; at + 4 <= chunk.length; at += BLOCK) {
    if (view.getUint32(at, true) !== (offset + at) / BLOCK)
      return `block ${(offset + at) / BLOCK} read back as ${view.getUint32(at, true)}`;
  }
  return undefined;
}

function writeWhole(handle, size, chunk) {
  for (let done = 0; done < size; done += chunk.length)
    handle.write(size - done >= chunk.length ? chunk : chunk.subarray(0, size - done));
}

// One operation of `kind` on a file of `size` bytes; worker `w` has files of its own. Throws on wrong data.
function operation(kind, size, w, chunk) {
  const path = `${dir}/${kind}-${size}-${w}`;
  if (kind === 'read') {
    const f = fs.open(`${dir}/data-${size}`, 'r');
    let offset = 0;
    for (let got; (got = f.read(CHUNK)) !== null; offset += got.length) {
      const wrong = wrongData(got, offset);
      if (wrong) {
        f.close();
        throw new Error(`data-${size}: ${wrong}`);
      }
    }
    f.close();
    if (offset !== size) throw new Error(`data-${size}: read ${offset} of ${size} bytes`);
  } else if (kind === 'write' || kind === 'fsync') {
    const f = fs.open(path, 'w');
    writeWhole(f, size, chunk);
    if (kind === 'fsync') f.fsync();
    f.close();
  } else if (kind === 'append') {
    const f = fs.open(path, 'a');
    f.write(chunk.subarray(0, size));
    f.close();
  }
}

// K fibers doing `kind` for `seconds`; latencies recorded when `record`.
function loopFor(kind, size, chunk, seconds, record) {
  const run = { ops: 0, errors: 0, firstError: undefined, counts: new Map() };
  let running = 0;
  const deadline = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  for (let w = 0; w < Number(concurrencyArg); w++) {
    running++;
    Fiber.run(() => {
      while (process.hrtime.bigint() < deadline) {
        const start = process.hrtime.bigint();
        try {
          operation(kind, size, w, chunk);
          run.ops++;
        } catch (e) {
          run.errors++;
          run.firstError ??= `${e.code ?? ''} ${e.message}`;
        }
        if (record) {
          const ns = round3(Number(process.hrtime.bigint() - start));
          run.counts.set(ns, (run.counts.get(ns) ?? 0) + 1);
        }
      }
      running--;
    });
  }
  while (running > 0) Fiber.sleep(5);
  return run;
}

for (const variant of variantList.split(',')) {
  const [kind, sizeName] = variant.split('-');
  const size = SIZES[sizeName];
  const chunk = new Uint8Array(Math.min(size, CHUNK)).fill(97);
  if (kind === 'read') {
    const f = fs.open(`${dir}/data-${size}`, 'w');
    for (let offset = 0; offset < size; offset += CHUNK) f.write(dataChunk(offset, Math.min(CHUNK, size - offset)));
    f.close();
  }
  reportTimedVariant(variant, Number(secondsArg), (seconds, record) => loopFor(kind, size, chunk, seconds, record));
}
