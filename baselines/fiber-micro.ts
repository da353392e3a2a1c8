// fiber-micro (Node async/await twin of workloads/fiber-micro.mjs): same variants and output, with promises.
// Usage: fiber-micro.js <variants> <duration_ms> <recursion_depth> | switch <yields> (round trips) | probe
//   probe        runtime identification only
//   switch N     the switch ladder's node-await rung: two async functions ping-pong N round trips through
//                promises; ns per ONE-WAY switch (one await resumption) = elapsed / (2 N)
//   pingpong     one op = an await round trip between two async functions (two resumptions)
//   spawn-join   one op = calling an async function and awaiting its promise (promise creation + await)
//   recursion    one op = a synchronous recursion `depth` deep inside an async function: the
//                same plain recursion the CoroJS twin runs inside a fiber (the fair comparison; an async
//                recursion awaiting at every level would measure promise machinery the fiber side never pays)
import { readFileSync } from 'node:fs';
import { programArgs } from './program-args.js';

const args: Partial<Record<'duration_ms' | 'yields' | 'recursion_depth', string>> = programArgs('fiber-micro', {
  timed: ['variants', 'duration_ms', 'recursion_depth'],
  switch: ['=switch', 'yields'],
  probe: ['=probe'],
});
const variantList = process.argv[2]!;
const amount = Number(args.duration_ms ?? args.yields);
const depth = Number(args.recursion_depth);

const now = (): bigint => process.hrtime.bigint();
const BATCH_TARGET_NS = 20000n;

interface LatencyUs {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

function procCpuTicks(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(rest[11]) + Number(rest[12]);
}

function vmField(name: string): number {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

function percentiles(perOpNs: number[]): LatencyUs {
  const sorted = Float64Array.from(perOpNs).sort();
  const at = (q: number): number =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : 0;
  const us = (ns: number): number => Math.round(ns) / 1000;
  return {
    p50: us(at(0.5)),
    p90: us(at(0.9)),
    p99: us(at(0.99)),
    p999: us(at(0.999)),
    max: us(sorted.length ? sorted[sorted.length - 1]! : 0),
  };
}

// Runs `batch(n)` (n ops) for durationMs after a warm-up and calibration; returns ops/s and per-op latencies.
async function measure(
  variant: string,
  batch: (n: number) => Promise<void>,
  durationMs: number,
): Promise<Record<string, unknown>> {
  const warmUntil = now() + BigInt(Math.round(durationMs * 0.2 * 1e6));
  while (now() < warmUntil) await batch(1);
  // Batch size from the mean per-op time over a ~5 ms block, so one slow op (GC) cannot skew it.
  let block = 1;
  let blockNs = 0;
  for (;;) {
    const t0 = now();
    await batch(block);
    blockNs = Number(now() - t0);
    if (blockNs >= 5e6 || block >= 1 << 24) break;
    block *= 2;
  }
  const size = Math.max(1, Math.min(1 << 20, Math.ceil(Number(BATCH_TARGET_NS) / (blockNs / block))));
  const cpu0 = procCpuTicks();
  const perOp: number[] = [];
  let ops = 0;
  const start = now();
  const end = start + BigInt(Math.round(durationMs * 1e6));
  let t = start;
  while (t < end) {
    await batch(size);
    const t1 = now();
    perOp.push(Number(t1 - t) / size);
    ops += size;
    t = t1;
  }
  const elapsedNs = Number(t - start);
  const cpuPct = ((procCpuTicks() - cpu0) / 100 / (elapsedNs / 1e9)) * 100;
  return {
    variant,
    ops,
    elapsed_ns: elapsedNs,
    ops_per_s: ops / (elapsedNs / 1e9),
    batch: size,
    latency_us: percentiles(perOp),
    cpu_pct: Math.round(cpuPct * 10) / 10,
    rss_bytes: vmField('VmHWM'),
    runtime: `node ${process.versions.node}`,
  };
}

// A one-slot baton: wait() always returns a promise (so every hand-over is a real await resumption).
class Baton {
  #waiter: (() => void) | null = null;
  #pending = false;
  wait(): Promise<void> {
    if (this.#pending) {
      this.#pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => (this.#waiter = resolve));
  }
  signal(): void {
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = null;
      waiter();
    } else this.#pending = true;
  }
}

// Two async functions passing the baton: `rounds(n)` runs n round trips from the caller's side.
function pingPong(): { rounds(n: number): Promise<void>; stop(): void } {
  const toPartner = new Baton();
  const toCaller = new Baton();
  let stopped = false;
  void (async () => {
    for (;;) {
      await toPartner.wait();
      if (stopped) return;
      toCaller.signal();
    }
  })();
  return {
    async rounds(n: number): Promise<void> {
      for (let i = 0; i < n; i++) {
        toPartner.signal();
        await toCaller.wait();
      }
    },
    stop(): void {
      stopped = true;
      toPartner.signal();
    },
  };
}

const benchmarks: Record<string, () => Promise<Record<string, unknown>>> = {
  async pingpong() {
    const pair = pingPong();
    const result = await measure('pingpong', (n) => pair.rounds(n), amount);
    pair.stop();
    return result;
  },
  async 'spawn-join'() {
    let finished = 0;
    const child = async (): Promise<number> => ++finished;
    const result = await measure(
      'spawn-join',
      async (n) => {
        for (let i = 0; i < n; i++) await child();
      },
      amount,
    );
    if (finished < (result.ops as number))
      throw new Error(`spawn-join: ${finished} children finished for ${String(result.ops)}`);
    return result;
  },
  async recursion() {
    const down = (k: number): number => (k === 0 ? 0 : down(k - 1) + 1);
    const result = await measure(
      'recursion',
      async (n) => {
        for (let i = 0; i < n; i++) if (down(depth) !== depth) throw new Error('recursion: wrong result');
      },
      amount,
    );
    return { ...result, depth };
  },
};

async function switchRung(roundTrips: number): Promise<void> {
  const pair = pingPong();
  await pair.rounds(1000); // warm
  const t0 = now();
  await pair.rounds(roundTrips);
  const elapsedNs = Number(now() - t0);
  pair.stop();
  const switches = 2 * roundTrips;
  console.log(
    `RESULT ${JSON.stringify({ variant: 'switch', round_trips: roundTrips, switches, elapsed_ns: elapsedNs, ns_per_switch: elapsedNs / switches, runtime: `node ${process.versions.node}` })}`,
  );
}

const variants = variantList.split(',');
if (variants.includes('probe')) {
  console.log(`RESULT ${JSON.stringify({ variant: 'probe', runtime: `node ${process.versions.node}` })}`);
} else if (variants.includes('switch')) {
  await switchRung(amount);
} else {
  for (const variant of variants) {
    const run = benchmarks[variant];
    if (!run) throw new Error(`unknown variant ${variant}`);
    console.log(`RESULT ${JSON.stringify(await run())}`);
  }
}
