// file-io (Node async/await twin of workloads/file-io.mjs): the same operations on the same files with K async
// workers; the same RESULT lines. Usage: file-io.js <dir> <variants> <seconds> <concurrency>
import { open } from 'node:fs/promises';
import { cpuSeconds, round3, rssBytes } from './self-timing.js';

const [dir = '.', variantList = 'read-4KiB', secondsArg = '2', concurrencyArg = '8'] = process.argv.slice(2);
const SIZES: Record<string, number> = { '4KiB': 4096, '1MiB': 1 << 20, '64MiB': 64 << 20 };
const CHUNK = 1 << 20;


type Handle = Awaited<ReturnType<typeof open>>;
async function writeWhole(handle: Handle, size: number, chunk: Uint8Array): Promise<void> {
  for (let done = 0; done < size; done += chunk.length) await handle.write(size - done >= chunk.length ? chunk : chunk.subarray(0, size - done));
}

async function operation(kind: string, size: number, w: number, chunk: Uint8Array, buffer: Uint8Array): Promise<void> {
  const path = `${dir}/${kind}-${size}-${w}`;
  if (kind === 'read') {
    const f = await open(`${dir}/data-${size}`, 'r');
    while ((await f.read(buffer, 0, CHUNK, null)).bytesRead > 0);
    await f.close();
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

for (const variant of variantList.split(',')) {
  const [kind = 'read', sizeName = '4KiB'] = variant.split('-');
  const size = SIZES[sizeName]!;
  const chunk = new Uint8Array(Math.min(size, CHUNK)).fill(97);
  if (kind === 'read') { const f = await open(`${dir}/data-${size}`, 'w'); await writeWhole(f, size, chunk); await f.close(); }
  const counts = new Map<number, number>();
  let ops = 0;
  const seconds = Number(secondsArg);
  const cpu0 = await cpuSeconds();
  const t0 = process.hrtime.bigint();
  const deadline = t0 + BigInt(Math.round(seconds * 1e9));
  await Promise.all(Array.from({ length: Number(concurrencyArg) }, async (_, w) => {
    const buffer = new Uint8Array(CHUNK); // each worker reads into its own buffer, like each CoroJS read gets its own
    while (process.hrtime.bigint() < deadline) {
      const start = process.hrtime.bigint();
      await operation(kind, size, w, chunk, buffer);
      const ns = round3(Number(process.hrtime.bigint() - start));
      counts.set(ns, (counts.get(ns) ?? 0) + 1);
      ops++;
    }
  }));
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log('RESULT ' + JSON.stringify({ variant, ops, seconds: elapsed, latency_ns: [...counts], cpu_pct: ((await cpuSeconds() - cpu0) / elapsed) * 100, rss_bytes: await rssBytes() }));
}
