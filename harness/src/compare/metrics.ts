// The metrics a comparison looks at, derived from whatever points a result file holds (a new workload or
// variant adds its metrics without code changes). Headline metrics (the gate) are ratios measured inside one
// run, so a slower or busier machine moves both sides alike: CoroJS over each Node twin's throughput for every
// valid closed-loop point (paired repetition by repetition), and the CoroJS fiber switch over the raw ucontext
// switch. Absolute throughputs are shown for information only.
import type { ResultFile, SwitchRung, WorkloadResult } from '../results/schema.js';

// A measurement a metric is computed from, so a metric missing from a run can say why.
export type Source =
  | { kind: 'point'; name: string; variant: string; mode: string; runtime: string; backend?: string }
  | { kind: 'rung'; rung: string; backend?: string };

export interface Metric {
  name: string;
  samples: number[];
  higherIsBetter: boolean;
  headline: boolean;
  unit: string;
  sources: Source[];
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
const backendOf = (w: WorkloadResult | SwitchRung): string => w.fiber_backend ?? 'thread';

export function pointSource(w: WorkloadResult): Source {
  return { kind: 'point', name: w.name, variant: w.variant, mode: w.mode, runtime: w.runtime, ...(w.runtime === 'corojs' ? { backend: backendOf(w) } : {}) };
}

const rungSource = (r: SwitchRung): Source => ({ kind: 'rung', rung: r.rung, ...(r.rung === 'corojs-fiber' ? { backend: backendOf(r) } : {}) });

export function describeSource(s: Source): string {
  return s.kind === 'point' ? `${s.name}/${s.variant} ${s.mode} ${s.runtime}${s.backend ? `[${s.backend}]` : ''}` : `switch rung ${s.rung}${s.backend ? `[${s.backend}]` : ''}`;
}

// Why a source gives no usable samples in `file`, or null when it does.
export function sourceProblem(file: Pick<ResultFile, 'workloads' | 'switch_ladder'>, s: Source): string | null {
  if (s.kind === 'rung') {
    const rung = file.switch_ladder.find((r) => r.rung === s.rung && (s.backend === undefined || backendOf(r) === s.backend));
    if (!rung) return `${describeSource(s)} absent`;
    return rung.samples.length ? null : `${describeSource(s)} has no samples`;
  }
  const point = file.workloads.find((w) => w.name === s.name && w.variant === s.variant && w.mode === s.mode && w.runtime === s.runtime && (s.backend === undefined || backendOf(w) === s.backend));
  if (!point) return `${describeSource(s)} absent`;
  if (!point.valid) return `${describeSource(s)} invalid: ${point.invalid_reason ?? 'no reason given'}`;
  return point.samples.length ? null : `${describeSource(s)} has no samples`;
}

export function metricsOf(file: ResultFile): Metric[] {
  const out: Metric[] = [];
  const closed = file.workloads.filter((w) => w.mode === 'closed' && w.valid && w.samples.length > 0);
  for (const w of closed) {
    const backend = w.runtime === 'corojs' ? ` [${backendOf(w)}]` : '';
    out.push({ name: `throughput ${pointKey(w)} ${w.runtime}${backend}`, samples: w.samples, higherIsBetter: true, headline: false, unit: 'ops/s', sources: [pointSource(w)] });
  }
  for (const coro of closed.filter((w) => w.runtime === 'corojs')) {
    for (const node of ['node20', 'node18'] as const) {
      const twin = closed.find((w) => w.runtime === node && pointKey(w) === pointKey(coro));
      if (!twin) continue;
      const samples = paired(coro.samples, twin.samples);
      if (samples.length) {
        out.push({ name: `ratio ${pointKey(coro)} corojs[${backendOf(coro)}]/${node}`, samples, higherIsBetter: true, headline: true, unit: `throughput ratio corojs/${node}`, sources: [pointSource(coro), pointSource(twin)] });
      }
    }
  }
  const raw = file.switch_ladder.find((r) => r.rung === 'raw-ucontext');
  for (const rung of file.switch_ladder.filter((r) => r.rung === 'corojs-fiber')) {
    if (!raw) break;
    const samples = paired(rung.samples, raw.samples);
    if (samples.length) {
      out.push({ name: `switch corojs-fiber[${backendOf(rung)}]/raw-ucontext`, samples, higherIsBetter: false, headline: true, unit: 'switch time ratio fiber/raw-ucontext', sources: [rungSource(rung), rungSource(raw)] });
    }
  }
  return out;
}
