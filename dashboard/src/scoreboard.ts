// The dashboard's opening answer: one row per workload and variant, and for each CoroJS fiber backend against
// each async/await target (node18, node20, and the peers bun and deno) and Go the ratios that matter, with their spread over repetitions and a
// plain verdict from the regression gate's test (one-sided Mann-Whitney U at its alpha on the repetitions):
// - throughput, closed loop (higher is better), where both points are valid;
// - server CPU per operation at equal offered load (the open-loop ladder's highest rung; lower is better);
// - p99 latency at that same offered load (lower is better).
// A cell that cannot be compared says why (the invalid point's reason).
import { mannWhitneyLess } from '../../harness/src/compare/mann-whitney.js';
import { median } from '../../harness/src/compare/metrics.js';
import { targetLabel, type ResultFile, type WorkloadResult } from '../../harness/src/results/schema.js';

export const SCOREBOARD_ALPHA = 0.05; // the gate's default (npm run compare --alpha)

export type ScoreMetric = 'throughput' | 'cpu/op' | 'p99';
export interface ScoreEntry {
  metric: ScoreMetric;
  ratio: number | null; // CoroJS / the async target, median of per-repetition ratios
  low: number | null; // spread: the smallest and largest per-repetition ratio
  high: number | null;
  verdict: 'better' | 'worse' | 'no difference' | 'not comparable';
  words: string; // the verdict in plain words, e.g. "faster", "less CPU per operation"
  at?: string; // for equal-load metrics: the offered rate
  reason?: string; // not comparable: why
}
export interface ScoreCell {
  coro: string;
  against: string;
  entries: ScoreEntry[];
}
export interface ScoreRow {
  workload: string;
  variant: string;
  cells: ScoreCell[];
}

const WORDS: Record<ScoreMetric, [string, string]> = {
  throughput: ['faster', 'slower'],
  'cpu/op': ['less CPU/op', 'more CPU/op'],
  p99: ['lower p99', 'higher p99'],
};

function perRepetition(w: WorkloadResult, metric: ScoreMetric): number[] {
  if (metric === 'throughput') return w.samples;
  const reps = w.repetitions ?? [];
  return reps
    .map((r) => (metric === 'cpu/op' ? r.server_cpu_us_per_op : r.latency_us?.p99))
    .filter((x): x is number => typeof x === 'number' && x > 0);
}

export function compareEntry(
  metric: ScoreMetric,
  coro: WorkloadResult | undefined,
  other: WorkloadResult | undefined,
  alpha = SCOREBOARD_ALPHA,
): ScoreEntry {
  const at =
    metric !== 'throughput' && (coro?.offered_rate_per_s ?? other?.offered_rate_per_s)
      ? `${Math.round((coro?.offered_rate_per_s ?? other?.offered_rate_per_s)!)}/s`
      : undefined;
  const none = (reason: string): ScoreEntry => ({
    metric,
    ratio: null,
    low: null,
    high: null,
    verdict: 'not comparable',
    words: 'not comparable',
    reason,
    ...(at ? { at } : {}),
  });
  if (!coro || !other) return none(`no ${!coro ? 'CoroJS' : 'async/await'} point`);
  for (const w of [coro, other])
    if (!w.valid) return none(`${targetLabel(w)} invalid: ${w.invalid_reason ?? 'no reason given'}`);
  const a = perRepetition(coro, metric);
  const b = perRepetition(other, metric);
  if (a.length === 0 || b.length === 0) return none(`no per-repetition ${metric} figures`);
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) ratios.push(a[i]! / b[i]!);
  const higherIsBetter = metric === 'throughput';
  // The one-sided test in the direction the medians point (mannWhitneyLess(x, y): is y below x?).
  const coroHigher = median(a) > median(b);
  const p = coroHigher ? mannWhitneyLess(a, b) : mannWhitneyLess(b, a);
  let verdict: ScoreEntry['verdict'] = 'no difference';
  if (p <= alpha) verdict = coroHigher === higherIsBetter ? 'better' : 'worse';
  const [good, bad] = WORDS[metric];
  const words = verdict === 'better' ? good : verdict === 'worse' ? bad : `no difference (p ${p.toFixed(2)})`;
  return {
    metric,
    ratio: median(ratios),
    low: Math.min(...ratios),
    high: Math.max(...ratios),
    verdict,
    words,
    ...(at ? { at } : {}),
  };
}

export function buildScoreboard(file: ResultFile): ScoreRow[] {
  const rows: ScoreRow[] = [];
  const pairs = [...new Set(file.workloads.map((w) => `${w.name}\u0000${w.variant}`))];
  for (const pair of pairs) {
    const [workload, variant] = pair.split('\u0000') as [string, string];
    const points = file.workloads.filter((w) => w.name === workload && w.variant === variant);
    const coroTargets = [
      ...new Map(points.filter((w) => w.runtime === 'corojs').map((w) => [targetLabel(w), w])).keys(),
    ];
    // Equal offered load: the open-loop ladder's highest rate that was offered to every target.
    const rates = [
      ...new Set(points.filter((w) => w.mode === 'open' && w.offered_rate_per_s).map((w) => w.offered_rate_per_s!)),
    ].sort((x, y) => y - x);
    const cells: ScoreCell[] = [];
    // Against each async/await target and Go that measured this point (the Nodes, then the peers present).
    const others = ['node18', 'node20', 'bun', 'deno', 'go'].filter(
      (r) => r.startsWith('node') || points.some((w) => w.runtime === r),
    );
    for (const coro of coroTargets) {
      for (const against of others) {
        // `corojs` stands for this cell's CoroJS target; any other name is a runtime (its label).
        const pick =
          (mode: string, rate?: number) =>
          (side: string): WorkloadResult | undefined =>
            points.find(
              (w) =>
                w.mode === mode &&
                targetLabel(w) === (side === 'corojs' ? coro : side) &&
                (rate === undefined || w.offered_rate_per_s === rate),
            );
        const entries: ScoreEntry[] = [];
        const closedCoro = pick('closed')('corojs');
        const closedOther = pick('closed')(against);
        if (closedCoro || closedOther) entries.push(compareEntry('throughput', closedCoro, closedOther));
        const rate = rates.find((r) => pick('open', r)('corojs')?.valid && pick('open', r)(against)?.valid) ?? rates[0];
        if (rate !== undefined) {
          const [c, o] = [pick('open', rate)('corojs'), pick('open', rate)(against)];
          if (c?.server_cpu_us_per_op !== undefined || o?.server_cpu_us_per_op !== undefined)
            entries.push(compareEntry('cpu/op', c, o));
          entries.push(compareEntry('p99', c, o));
        }
        if (entries.length) cells.push({ coro, against, entries });
      }
    }
    if (cells.length) rows.push({ workload, variant, cells });
  }
  return rows;
}
