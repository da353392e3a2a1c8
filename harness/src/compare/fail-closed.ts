// The gate fails closed: a headline metric the base could test but the new run cannot (its point missing or
// invalid), or a failure the new run recorded, is a reason to fail, never a row that quietly passes.
import type { ResultFile } from '../results/schema.js';
import { sourceProblem, type Metric } from './metrics.js';

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
export function missingHeadlines(before: readonly Metric[], after: readonly Metric[], afterFile: Pick<ResultFile, 'workloads' | 'switch_ladder'>): string[] {
  const present = new Set(after.map((m) => m.name));
  return before
    .filter((m) => m.headline && !present.has(m.name))
    .map((m) => {
      const why = m.sources.map((s) => sourceProblem(afterFile, s)).filter((p): p is string => p !== null);
      return `${m.name} missing in the new run (${why.length ? why.join('; ') : 'no paired repetitions'})`;
    });
}
