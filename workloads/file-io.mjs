// file-io (CoroJS): read, write, append and fsync mixes, K fibers each looping on one operation kind for a fixed
// time; prints one RESULT line per variant: ops, seconds, latencies (ns, 3 significant digits, as counts), CPU.
// Usage: file-io.mjs <dir> <variants, e.g. read-4KiB,write-1MiB,append-4KiB,fsync-4KiB> <seconds> <concurrency>
import { cpuSeconds, round3, rssBytes } from './self-timing.mjs';

const [dir, variantList, secondsArg = '2', concurrencyArg = '8'] = process.argv.slice(2);
const SIZES = { '4KiB': 4096, '1MiB': 1 << 20, '64MiB': 64 << 20 };
const CHUNK = 1 << 20;

function writeWhole(handle, size, chunk) {
  for (let done = 0; done < size; done += chunk.length) handle.write(size - done >= chunk.length ? chunk : chunk.subarray(0, size - done));
}

// One operation of `kind` on a file of `size` bytes; worker `w` has files of its own.
function operation(kind, size, w, chunk) {
  const path = `${dir}/${kind}-${size}-${w}`;
  if (kind === 'read') {
    const f = fs.open(`${dir}/data-${size}`, 'r');
    while (f.read(CHUNK) !== null);
    f.close();
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

for (const variant of variantList.split(',')) {
  const [kind, sizeName] = variant.split('-');
  const size = SIZES[sizeName];
  const chunk = new Uint8Array(Math.min(size, CHUNK)).fill(97);
  if (kind === 'read') { const f = fs.open(`${dir}/data-${size}`, 'w'); writeWhole(f, size, chunk); f.close(); }
  const counts = new Map();
  let ops = 0;
  let running = 0;
  const seconds = Number(secondsArg);
  const cpu0 = cpuSeconds();
  const t0 = process.hrtime.bigint();
  const deadline = t0 + BigInt(Math.round(seconds * 1e9));
  for (let w = 0; w < Number(concurrencyArg); w++) {
    running++;
    Fiber.run(() => {
      while (process.hrtime.bigint() < deadline) {
        const start = process.hrtime.bigint();
        operation(kind, size, w, chunk);
        const ns = round3(Number(process.hrtime.bigint() - start));
        counts.set(ns, (counts.get(ns) ?? 0) + 1);
        ops++;
      }
      running--;
    });
  }
  while (running > 0) Fiber.sleep(5);
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log('RESULT ' + JSON.stringify({ variant, ops, seconds: elapsed, latency_ns: [...counts], cpu_pct: ((cpuSeconds() - cpu0) / elapsed) * 100, rss_bytes: rssBytes() }));
}
