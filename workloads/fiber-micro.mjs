// fiber-micro (CoroJS): fiber micro-benchmarks, each printing one "RESULT {json}" line (twin: baselines/fiber-micro.ts).
// Usage: fiber-micro.mjs <variants> <duration_ms> <recursion_depth> | switch <yields> | probe
//   probe              Fiber.stats() only (which fiber backend runs)
//   switch N           the switch ladder's corojs-fiber rung: two fibers ping-pong with Fiber.yield N times each;
//                      ns per ONE-WAY switch = elapsed / switches counted by Fiber.stats()
//   pingpong           one op = a round trip between two fibers (two one-way switches)
//   spawn-join         one op = Fiber.run of a child that runs to its end (spawn, run, finish, back)
//   recursion          one op = a synchronous recursion `depth` deep inside a fiber
// Variants may be comma-separated; each runs for durationMs after a warm-up. Latency = per-op time of timed batches
// (each batch ~20 us, so the clock's own cost stays small), summarised as percentiles in microseconds.
import { programArgs } from './program-args.mjs';

const args = programArgs('fiber-micro', {
  timed: ['variants', 'duration_ms', 'recursion_depth'],
  switch: ['=switch', 'yields'],
  probe: ['=probe'],
});
const variantList = process.argv[2];
const amount = Number(args.duration_ms ?? args.yields);
const depth = Number(args.recursion_depth);

const now = () => process.hrtime.bigint();
const BATCH_TARGET_NS = 20000n;

function procCpuTicks() {
  const stat = fs.readFile('/proc/self/stat');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(rest[11]) + Number(rest[12]);
}

function vmField(name) {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(fs.readFile('/proc/self/status'));
  return match ? Number(match[1]) * 1024 : 0;
}

function percentiles(perOpNs) {
  const sorted = Float64Array.from(perOpNs).sort();
  const at = (q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0);
  const us = (ns) => Math.round(ns) / 1000;
  return {
    p50: us(at(0.5)),
    p90: us(at(0.9)),
    p99: us(at(0.99)),
    p999: us(at(0.999)),
    max: us(sorted.length ? sorted[sorted.length - 1] : 0),
  };
}

// Runs `batch(n)` (n ops) for durationMs after calibration and a warm-up; returns ops/s and per-op latencies.
function measure(variant, batch, durationMs) {
  const warmUntil = now() + BigInt(Math.round(durationMs * 0.2 * 1e6));
  while (now() < warmUntil) batch(1);
  // Batch size from the mean per-op time over a ~5 ms block, so one slow op (GC) cannot skew it.
  let block = 1;
  let blockNs = 0;
  for (;;) {
    const t0 = now();
    batch(block);
    blockNs = Number(now() - t0);
    if (blockNs >= 5e6 || block >= 1 << 24) break;
    block *= 2;
  }
  const size = Math.max(1, Math.min(1 << 20, Math.ceil(Number(BATCH_TARGET_NS) / (blockNs / block))));
  const cpu0 = procCpuTicks();
  const stats0 = Fiber.stats();
  const perOp = [];
  let ops = 0;
  const start = now();
  const end = start + BigInt(Math.round(durationMs * 1e6));
  let t = start;
  while (t < end) {
    batch(size);
    const t1 = now();
    perOp.push(Number(t1 - t) / size);
    ops += size;
    t = t1;
  }
  const elapsedNs = Number(t - start);
  const stats1 = Fiber.stats();
  const cpuPct = ((procCpuTicks() - cpu0) / 100 / (elapsedNs / 1e9)) * 100;
  return {
    variant,
    ops,
    elapsed_ns: elapsedNs,
    ops_per_s: ops / (elapsedNs / 1e9),
    batch: size,
    latency_us: percentiles(perOp),
    switches_per_op: (stats1.switches - stats0.switches) / ops,
    cpu_pct: Math.round(cpuPct * 10) / 10,
    rss_bytes: vmField('VmHWM'),
    backend: stats1.backend,
  };
}

// Each benchmark runs inside a fiber of its own; the main module only starts it.
const benchmarks = {
  pingpong() {
    let stop = false;
    Fiber.run(() => {
      while (!stop) Fiber.yield();
    });
    const result = measure(
      'pingpong',
      (n) => {
        for (let i = 0; i < n; i++) Fiber.yield();
      },
      amount,
    );
    stop = true;
    Fiber.yield();
    return result;
  },
  'spawn-join'() {
    let finished = 0;
    const child = () => {
      finished++;
    };
    const result = measure(
      'spawn-join',
      (n) => {
        for (let i = 0; i < n; i++) Fiber.run(child);
      },
      amount,
    );
    if (finished < result.ops) throw new Error(`spawn-join: ${finished} children finished for ${result.ops} spawned`);
    return result;
  },
  recursion() {
    const down = (k) => (k === 0 ? 0 : down(k - 1) + 1);
    const result = measure(
      'recursion',
      (n) => {
        for (let i = 0; i < n; i++) if (down(depth) !== depth) throw new Error('recursion: wrong result');
      },
      amount,
    );
    return { ...result, depth };
  },
};

// The ladder rung: exactly `amount` yields in each of two fibers, timed from when both have finished the same
// warm-up as the Node twin (1000 round trips) until the last ends.
const SWITCH_WARMUP_YIELDS = 1000;
function switchRung() {
  let done = 0;
  let warmed = 0;
  let t0 = 0n;
  let stats0 = null;
  const body = () => {
    for (let i = 0; i < SWITCH_WARMUP_YIELDS; i++) Fiber.yield();
    if (++warmed === 2) {
      stats0 = Fiber.stats();
      t0 = now();
    }
    for (let i = 0; i < amount; i++) Fiber.yield();
    if (++done < 2) return;
    const t1 = now();
    const stats1 = Fiber.stats();
    const switches = stats1.switches - stats0.switches;
    const elapsedNs = Number(t1 - t0);
    console.log(
      `RESULT ${JSON.stringify({ variant: 'switch', yields_per_fiber: amount, switches, elapsed_ns: elapsedNs, ns_per_switch: elapsedNs / switches, backend: stats1.backend })}`,
    );
  };
  Fiber.run(body);
  Fiber.run(body); // the main module ends here: from now on the two fibers only switch to each other
}

const variants = variantList.split(',');
if (variants.includes('probe')) {
  console.log(`RESULT ${JSON.stringify({ variant: 'probe', ...Fiber.stats() })}`);
} else if (variants.includes('switch')) {
  switchRung();
} else {
  Fiber.run(() => {
    for (const variant of variants) {
      const run = benchmarks[variant];
      if (!run) throw new Error(`unknown variant ${variant}`);
      console.log(`RESULT ${JSON.stringify(run())}`);
    }
  });
}
