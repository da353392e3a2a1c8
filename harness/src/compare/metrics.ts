// The metrics a comparison looks at, derived from whatever points a result file holds (a new workload or
// variant adds its metrics without code changes). Headline metrics (the gate) are ratios measured inside one
// run, so a slower or busier machine moves both sides alike: CoroJS over each Node twin's throughput for every
// valid closed-loop point (paired repetition by repetition), the CoroJS fiber switch over the raw ucontext
// switch, and for TLS and HTTP the server CPU per operation at equal offered load (the open-loop ladder's top
// rung, corojs/node20, lower is better; other rungs and tcp-echo's are shown for information). Absolute
// throughputs and the peers' ratios (CoroJS over the best async/await runtime and over Go) are shown for
// information only.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../results/aggregate.js';
import type { FiberBackend, InstructionCount, ResultFile, SwitchRung, WorkloadResult } from '../results/schema.js';

export { median }; // the one median (results/aggregate.ts), re-exported for the comparison's readers

// harness/gate.json: the metrics not gated, each with its reason (data, so new metrics are gated by default).
export interface NotGated {
  pattern: string;
  why: string;
}
const GATE_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../harness/gate.json');
let notGated: Array<NotGated & { re: RegExp }> | null = null;
export function notGatedReason(metric: string): string | null {
  notGated ??= (JSON.parse(readFileSync(GATE_FILE, 'utf8')) as { not_gated: NotGated[] }).not_gated.map((n) => ({
    ...n,
    re: new RegExp(n.pattern),
  }));
  return notGated.find((n) => n.re.test(metric))?.why ?? null;
}
const gated = (metrics: Metric[]): Metric[] =>
  metrics.map((m) => {
    const why = m.headline ? notGatedReason(m.name) : null;
    return why ? { ...m, headline: false, notGated: why } : m;
  });

// A measurement a metric is computed from, so a metric missing from a run can say why.
export type Source =
  | { kind: 'point'; name: string; variant: string; mode: string; runtime: string; backend?: string }
  | { kind: 'rung'; rung: string; backend?: string }
  | { kind: 'instructions'; op: string; backend?: string };

export interface Metric {
  name: string;
  samples: number[];
  higherIsBetter: boolean;
  headline: boolean;
  unit: string;
  sources: Source[];
  minEffect?: number; // replaces the comparison's min effect: deterministic counts gate on a smaller change
  notGated?: string; // why harness/gate.json keeps this otherwise headline metric out of the gate
}

// Instruction counts barely move between identical runs, so a 3 % change counts (with enough margin over
// V8's background-compilation jitter, which the repetitions show).
export const INSTRUCTION_MIN_EFFECT = 0.03;

function paired(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.min(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (b[i]! > 0) out.push(a[i]! / b[i]!);
  return out;
}

const pointKey = (w: WorkloadResult): string => `${w.name}/${w.variant}`;
// The CoroJS fiber backend a measurement says it ran on (metric names keep their `corojs[backend]` form: gate.json
// patterns and trackers' histories key on them).
const backendOf = (w: WorkloadResult | SwitchRung | InstructionCount): FiberBackend | undefined => w.fiber_backend;

function instructionMetrics(counts: readonly InstructionCount[] | undefined, headline: boolean): Metric[] {
  return (counts ?? [])
    .filter((c) => c.runtime === 'corojs' && c.samples.length > 0)
    .map((c) => ({
      name: `instructions ${c.op} corojs[${backendOf(c)}]`,
      samples: c.samples,
      higherIsBetter: false,
      headline,
      unit: `instructions/${c.op === 'switch' ? 'switch' : 'message'}`,
      sources: [{ kind: 'instructions', op: c.op, backend: backendOf(c) }],
      minEffect: INSTRUCTION_MIN_EFFECT,
    }));
}

export function pointSource(w: WorkloadResult): Source {
  return {
    kind: 'point',
    name: w.name,
    variant: w.variant,
    mode: w.mode,
    runtime: w.runtime,
    ...(w.runtime === 'corojs' ? { backend: backendOf(w) } : {}),
  };
}

const rungSource = (r: SwitchRung): Source => ({
  kind: 'rung',
  rung: r.rung,
  ...(r.rung === 'corojs-fiber' ? { backend: backendOf(r) } : {}),
});

export function describeSource(s: Source): string {
  const backend = s.backend ? `[${s.backend}]` : '';
  if (s.kind === 'point') return `${s.name}/${s.variant} ${s.mode} ${s.runtime}${backend}`;
  return s.kind === 'rung' ? `switch rung ${s.rung}${backend}` : `instruction count ${s.op} corojs${backend}`;
}

// Why a source gives no usable samples in `file`, or null when it does.
export function sourceProblem(
  file: Pick<ResultFile, 'workloads' | 'switch_ladder' | 'instructions'>,
  s: Source,
): string | null {
  if (s.kind === 'instructions') {
    const count = (file.instructions ?? []).find((c) => c.op === s.op && backendOf(c) === s.backend);
    return count?.samples.length ? null : `${describeSource(s)} absent`;
  }
  if (s.kind === 'rung') {
    const rung = file.switch_ladder.find(
      (r) => r.rung === s.rung && (s.backend === undefined || backendOf(r) === s.backend),
    );
    if (!rung) return `${describeSource(s)} absent`;
    return rung.samples.length ? null : `${describeSource(s)} has no samples`;
  }
  const point = file.workloads.find(
    (w) =>
      w.name === s.name &&
      w.variant === s.variant &&
      w.mode === s.mode &&
      w.runtime === s.runtime &&
      (s.backend === undefined || backendOf(w) === s.backend),
  );
  if (!point) return `${describeSource(s)} absent`;
  if (!point.valid) return `${describeSource(s)} invalid: ${point.invalid_reason ?? 'no reason given'}`;
  return point.samples.length ? null : `${describeSource(s)} has no samples`;
}

export function metricsOf(file: ResultFile): Metric[] {
  const out: Metric[] = [];
  const closed = file.workloads.filter((w) => w.mode === 'closed' && w.valid && w.samples.length > 0);
  for (const w of closed) {
    const backend = w.runtime === 'corojs' ? ` [${backendOf(w)}]` : '';
    out.push({
      name: `throughput ${pointKey(w)} ${w.runtime}${backend}`,
      samples: w.samples,
      higherIsBetter: true,
      headline: false,
      unit: 'ops/s',
      sources: [pointSource(w)],
    });
  }
  for (const coro of closed.filter((w) => w.runtime === 'corojs')) {
    for (const node of ['node20', 'node18'] as const) {
      const twin = closed.find((w) => w.runtime === node && pointKey(w) === pointKey(coro));
      if (!twin) continue;
      const samples = paired(coro.samples, twin.samples);
      if (samples.length) {
        out.push({
          name: `ratio ${pointKey(coro)} corojs[${backendOf(coro)}]/${node}`,
          samples,
          higherIsBetter: true,
          headline: true,
          unit: `throughput ratio corojs/${node}`,
          sources: [pointSource(coro), pointSource(twin)],
        });
      }
    }
  }
  const open = file.workloads.filter(
    (w) => w.mode === 'open' && w.valid && w.load_fraction !== undefined && w.repetitions?.length,
  );
  const perOp = (w: WorkloadResult): number[] => (w.repetitions ?? []).map((r) => r.server_cpu_us_per_op ?? 0);
  for (const coro of open.filter((w) => w.runtime === 'corojs' && w.server_cpu_us_per_op !== undefined)) {
    const twin = open.find(
      (w) => w.runtime === 'node20' && pointKey(w) === pointKey(coro) && w.load_fraction === coro.load_fraction,
    );
    if (!twin) continue;
    const samples = paired(perOp(coro), perOp(twin)).filter((x) => x > 0);
    // The headline is the ladder's top rung (the most load every target was offered); lower rungs inform.
    const top = Math.max(...open.filter((w) => pointKey(w) === pointKey(coro)).map((w) => w.load_fraction!));
    const headline = (coro.name === 'tls-echo' || coro.name === 'http-hello') && coro.load_fraction === top;
    if (samples.length) {
      out.push({
        name: `cpu/op ${pointKey(coro)} open@${coro.load_fraction} corojs[${backendOf(coro)}]/node20`,
        samples,
        higherIsBetter: false,
        headline,
        unit: 'server CPU per operation ratio corojs/node20',
        sources: [pointSource(coro), pointSource(twin)],
      });
    }
  }
  const raw = file.switch_ladder.find((r) => r.rung === 'raw-ucontext');
  for (const rung of file.switch_ladder.filter((r) => r.rung === 'corojs-fiber')) {
    if (!raw) break;
    const samples = paired(rung.samples, raw.samples);
    if (samples.length) {
      out.push({
        name: `switch corojs-fiber[${backendOf(rung)}]/raw-ucontext`,
        samples,
        higherIsBetter: false,
        headline: true,
        unit: 'switch time ratio fiber/raw-ucontext',
        sources: [rungSource(rung), rungSource(raw)],
      });
    }
  }
  // Shown, not gated, between two files: the count depends on the CPU (V8 and glibc pick code by CPU features).
  out.push(...instructionMetrics(file.instructions, false));
  out.push(...peerMetrics(file));
  return gated(out);
}

export const abMetricName = (w: WorkloadResult): string => `throughput ${pointKey(w)} corojs[${backendOf(w)}]`;

// The async/await targets a CoroJS point is weighed against (the Nodes and the peers Bun and Deno).
export const ASYNC_RUNTIMES = ['node18', 'node20', 'bun', 'deno'] as const;

// The peers' comparisons, for information (issue 14; never gated): CoroJS over the best async/await target of
// each closed-loop point (the highest median throughput among the Nodes, Bun and Deno, named in the unit) and
// over Go, paired repetition by repetition; the fiber switch over the fastest await rung and over Go's.
export function peerMetrics(file: Pick<ResultFile, 'workloads' | 'switch_ladder'>): Metric[] {
  const out: Metric[] = [];
  const closed = file.workloads.filter((w) => w.mode === 'closed' && w.valid && w.samples.length > 0);
  for (const coro of closed.filter((w) => w.runtime === 'corojs')) {
    const asyncTwins = closed.filter(
      (w) => (ASYNC_RUNTIMES as readonly string[]).includes(w.runtime) && pointKey(w) === pointKey(coro),
    );
    const best = asyncTwins.sort((a, b) => median(b.samples) - median(a.samples))[0];
    const go = closed.find((w) => w.runtime === 'go' && pointKey(w) === pointKey(coro));
    for (const [against, twin] of [
      ['best-async', best],
      ['go', go],
    ] as const) {
      const samples = twin ? paired(coro.samples, twin.samples) : [];
      if (
        !twin ||
        !samples.length ||
        (against === 'best-async' && !asyncTwins.some((w) => w.runtime === 'bun' || w.runtime === 'deno'))
      )
        continue;
      out.push({
        name: `peer ratio ${pointKey(coro)} corojs[${backendOf(coro)}]/${against}`,
        samples,
        higherIsBetter: true,
        headline: false,
        unit: `throughput ratio corojs/${twin.runtime}`,
        sources: [pointSource(coro), pointSource(twin)],
      });
    }
  }
  const awaitRungs = file.switch_ladder.filter((r) => r.rung.endsWith('-await') && r.samples.length);
  const bestAwait = [...awaitRungs].sort((a, b) => a.ns_per_switch - b.ns_per_switch)[0];
  const goRung = file.switch_ladder.find((r) => r.rung === 'go-goroutine' && r.samples.length);
  for (const rung of file.switch_ladder.filter((r) => r.rung === 'corojs-fiber')) {
    for (const [against, other] of [
      ['best-await', awaitRungs.some((r) => r.rung === 'bun-await' || r.rung === 'deno-await') ? bestAwait : undefined],
      ['go', goRung],
    ] as const) {
      const samples = other ? paired(rung.samples, other.samples) : [];
      if (!other || !samples.length) continue;
      out.push({
        name: `peer switch corojs-fiber[${backendOf(rung)}]/${against}`,
        samples,
        higherIsBetter: false,
        headline: false,
        unit: `switch time ratio fiber/${other.rung}`,
        sources: [rungSource(rung), rungSource(other)],
      });
    }
  }
  return out;
}

// `npm run compare -- --ab FILE`: every CoroJS measurement of the --ab build (old) and of this build (new) from
// one run, interleaved repetition by repetition, so machine differences cancel: closed-loop throughput per
// workload, variant and fiber backend, the fiber switch time per backend, and the instruction counts. All are
// headline metrics.
export function abMetricsOf(sections: Pick<ResultFile, 'workloads' | 'switch_ladder' | 'instructions'>): Metric[] {
  const out: Metric[] = [];
  for (const w of sections.workloads.filter(
    (p) => p.runtime === 'corojs' && p.mode === 'closed' && p.valid && p.samples.length > 0,
  )) {
    out.push({
      name: abMetricName(w),
      samples: w.samples,
      higherIsBetter: true,
      headline: true,
      unit: 'ops/s',
      sources: [pointSource(w)],
    });
  }
  for (const r of sections.switch_ladder.filter((rung) => rung.rung === 'corojs-fiber' && rung.samples.length > 0)) {
    out.push({
      name: `switch corojs-fiber[${backendOf(r)}]`,
      samples: r.samples,
      higherIsBetter: false,
      headline: true,
      unit: 'ns/switch',
      sources: [rungSource(r)],
    });
  }
  out.push(...instructionMetrics(sections.instructions, true));
  return gated(out);
}
