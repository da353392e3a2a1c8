// file-io (Node async/await twin of workloads/file-io.mjs): the same operations on the same files with K async
// workers, the same warm-up, the same read checks (length and every 4 KiB block's stamp) and the same buffer
// policy: every read call gets a fresh, uninitialised CHUNK-byte buffer (Buffer.allocUnsafeSlow), as CoroJS's
// handle.read(length) does. The same RESULT lines. Usage: file-io.js <dir> <variants> <seconds> <concurrency>
import { open } from 'node:fs/promises';
import { programArgs } from './program-args.js';
import { reportTimedVariant, workersFor, type TimedRun } from './self-timing.js';

const {
  dir,
  variants: variantList,
  seconds: secondsArg,
  concurrency: concurrencyArg,
} = programArgs('file-io', { run: ['dir', 'variants', 'seconds', 'concurrency'] });
const SIZES: Record<string, number> = { '4KiB': 4096, '1MiB': 1 << 20, '64MiB': 64 << 20 };
const CHUNK = 1 << 20;
const BLOCK = 4096;

type Handle = Awaited<ReturnType<typeof open>>;

function dataChunk(offset: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length).fill(97);
  const view = new DataView(bytes.buffer);
  for (let at = 0; at + 4 <= length; at += BLOCK) view.setUint32(at, (offset + at) / BLOCK, true);
  return bytes;
}

function wrongData(chunk: Uint8Array, offset: number): string | undefined {
  const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  for (let at = 0; at + 4 <= chunk.length; at += BLOCK) {
    if (view.getUint32(at, true) !== (offset + at) / BLOCK)
      return `block ${(offset + at) / BLOCK} read back as ${view.getUint32(at, true)}`;
  }
  return undefined;
}

async function writeWhole(handle: Handle, size: number, chunk: Uint8Array): Promise<void> {
  for (let done = 0; done < size; done += chunk.length)
    await handle.write(size - done >= chunk.length ? chunk : chunk.subarray(0, size - done));
}

async function operation(kind: string, size: number, w: number, chunk: Uint8Array): Promise<void> {
  const path = `${dir}/${kind}-${size}-${w}`;
  if (kind === 'read') {
    const f = await open(`${dir}/data-${size}`, 'r');
    let offset = 0;
    try {
      for (;;) {
        const buffer = Buffer.allocUnsafeSlow(CHUNK);
        const { bytesRead } = await f.read(buffer, 0, CHUNK, null);
        if (bytesRead === 0) break;
        const wrong = wrongData(buffer.subarray(0, bytesRead), offset);
        if (wrong) throw new Error(`data-${size}: ${wrong}`);
        offset += bytesRead;
      }
    } finally {
      await f.close();
    }
    if (offset !== size) throw new Error(`data-${size}: read ${offset} of ${size} bytes`);
  } else if (kind === 'write' || kind === 'fsync') {
    const f = await open(path, 'w');
    await writeWhole(f, size, chunk);
    if (kind === 'fsync') await f.sync();
    await f.close();
  } else if (kind === 'append') {
    const f = await open(path, 'a');
    await f.write(chunk.subarray(0, size));
    await f.close();
  }
}

function loopFor(kind: string, size: number, chunk: Uint8Array, seconds: number, record: boolean): Promise<TimedRun> {
  return workersFor(Number(concurrencyArg), seconds, record, (worker) => operation(kind, size, worker, chunk));
}

for (const variant of variantList.split(',')) {
  const [kind = 'read', sizeName = '4KiB'] = variant.split('-');
  const size = SIZES[sizeName]!;
  const chunk = new Uint8Array(Math.min(size, CHUNK)).fill(97);
  if (kind === 'read') {
    const f = await open(`${dir}/data-${size}`, 'w');
    for (let offset = 0; offset < size; offset += CHUNK)
      await f.write(dataChunk(offset, Math.min(CHUNK, size - offset)));
    await f.close();
  }
  await reportTimedVariant(variant, Number(secondsArg), (seconds, record) =>
    loopFor(kind, size, chunk, seconds, record),
  );
}
