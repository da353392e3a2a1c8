// The metrics a comparison looks at. Headline metrics (the CI gate) are ratios measured inside one run, so a
// slower or busier CI machine moves both sides alike: corojs/node20 and corojs/node18 throughput per workload,
// variant and fiber backend (closed loop, valid points, paired repetition by repetition), and the CoroJS fiber
// switch over the raw ucontext switch, and for TLS and HTTP the server CPU per operation at equal offered load
// (open-loop ladder, corojs/node20, lower is better; tcp-echo's is shown for information). Absolute throughputs
// are shown for information only.
import type { ResultFile, WorkloadResult } from '../results/schema.js';

export interface Metric {
  name: string;
  samples: number[];
  higherIsBetter: boolean;
  headline: boolean;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
export { median };

function paired(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.min(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (b[i]! > 0) out.push(a[i]! / b[i]!);
  return out;
}

const pointKey = (w: WorkloadResult): string => `${w.name}/${w.variant}`;

export function metricsOf(file: ResultFile): Metric[] {
  const out: Metric[] = [];
  const closed = file.workloads.filter((w) => w.mode === 'closed' && w.valid && w.samples.length > 0);
  for (const w of closed) {
    const backend = w.runtime === 'corojs' ? ` [${w.fiber_backend ?? 'thread'}]` : '';
    out.push({ name: `throughput ${pointKey(w)} ${w.runtime}${backend}`, samples: w.samples, higherIsBetter: true, headline: false });
  }
  for (const coro of closed.filter((w) => w.runtime === 'corojs')) {
    for (const node of ['node20', 'node18'] as const) {
      const twin = closed.find((w) => w.runtime === node && pointKey(w) === pointKey(coro));
      if (!twin) continue;
      const samples = paired(coro.samples, twin.samples);
      if (samples.length) out.push({ name: `ratio ${pointKey(coro)} corojs[${coro.fiber_backend ?? 'thread'}]/${node}`, samples, higherIsBetter: true, headline: true });
    }
  }
  const open = file.workloads.filter((w) => w.mode === 'open' && w.valid && w.load_fraction !== undefined && w.repetitions?.length);
  const perOp = (w: WorkloadResult): number[] => (w.repetitions ?? []).map((r) => r.server_cpu_us_per_op ?? 0);
  for (const coro of open.filter((w) => w.runtime === 'corojs' && w.server_cpu_us_per_op !== undefined)) {
    const twin = open.find((w) => w.runtime === 'node20' && pointKey(w) === pointKey(coro) && w.load_fraction === coro.load_fraction);
    if (!twin) continue;
    const samples = paired(perOp(coro), perOp(twin)).filter((x) => x > 0);
    // The headline is the ladder's top rung (the most load every target was offered); lower rungs inform.
    const top = Math.max(...open.filter((w) => pointKey(w) === pointKey(coro)).map((w) => w.load_fraction!));
    const headline = (coro.name === 'tls-echo' || coro.name === 'http-hello') && coro.load_fraction === top;
    if (samples.length) out.push({ name: `cpu/op ${pointKey(coro)} open@${coro.load_fraction} corojs[${coro.fiber_backend ?? 'thread'}]/node20`, samples, higherIsBetter: false, headline });
  }
  const raw = file.switch_ladder.find((r) => r.rung === 'raw-ucontext');
  for (const rung of file.switch_ladder.filter((r) => r.rung === 'corojs-fiber')) {
    if (!raw) break;
    const samples = paired(rung.samples, raw.samples);
    if (samples.length) out.push({ name: `switch corojs-fiber[${rung.fiber_backend ?? 'thread'}]/raw-ucontext`, samples, higherIsBetter: false, headline: true });
  }
  return out;
}
