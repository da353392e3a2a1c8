// The gate fails closed: a headline metric the base could test but the new run cannot (its point missing or
// invalid), or a failure the new run recorded, is a reason to fail, never a row that quietly passes.
import type { ResultFile, WorkloadResult } from '../results/schema.js';
import { abMetricName, notGatedReason, sourceProblem, type Metric } from './metrics.js';

// Failures a run recorded: `errors` (lab runs since the gate), and the `*_error` conclusions older runs wrote.
export function recordedErrors(file: ResultFile): string[] {
  const out = (file.errors ?? []).map((e) => `${e.workload}: ${e.message}`);
  for (const [key, text] of Object.entries(file.conclusions ?? {})) {
    if (key.endsWith('_error') || key === 'switch_ladder_addon') out.push(`${key}: ${text}`);
  }
  return out;
}

// One line per headline metric of `before` that `after` lacks, saying which of its measurements is missing
// or invalid in `afterFile`.
export function missingHeadlines(
  before: readonly Metric[],
  after: readonly Metric[],
  afterFile: Pick<ResultFile, 'workloads' | 'switch_ladder'>,
): string[] {
  const present = new Set(after.map((m) => m.name));
  return before
    .filter((m) => m.headline && !present.has(m.name))
    .map((m) => {
      const why = m.sources.map((s) => sourceProblem(afterFile, s)).filter((p): p is string => p !== null);
      return `${m.name} missing in the new run (${why.length ? why.join('; ') : 'no paired repetitions'})`;
    });
}

// --ab: CoroJS points neither build measured validly. No metric exists on either side, so without this the
// gate would not see them at all; a gated one cannot be tested (a --strict failure), naming the new side's reason.
export function invalidInBoth(
  file: Pick<ResultFile, 'workloads'> & { ab?: Pick<ResultFile, 'workloads'> },
): Array<{ metric: string; why: string }> {
  const out: Array<{ metric: string; why: string }> = [];
  const closed = (w: WorkloadResult): boolean => w.runtime === 'corojs' && w.mode === 'closed';
  const oldValid = new Set(
    (file.ab?.workloads ?? []).filter((w) => closed(w) && w.valid && w.samples.length).map(abMetricName),
  );
  for (const w of file.workloads.filter((p) => closed(p) && !(p.valid && p.samples.length))) {
    const metric = abMetricName(w);
    if (oldValid.has(metric) || notGatedReason(metric)) continue;
    out.push({ metric, why: `invalid in both builds: ${w.invalid_reason ?? 'no samples'}` });
  }
  return out;
}
