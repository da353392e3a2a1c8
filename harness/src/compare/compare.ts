// Compares two result files metric by metric: a one-sided Mann-Whitney U test on the repeated samples in the
// direction of a regression, plus a minimum effect on the medians. A metric regressed when both hold.
import type { ResultFile } from '../results/schema.js';
import { mannWhitneyLess } from './mann-whitney.js';
import { median, metricsOf, type Metric } from './metrics.js';

export interface CompareOptions {
  minEffect: number; // relative change of the median that matters (0.05 = 5 %)
  alpha: number; // significance level
}

export type Verdict = 'regressed' | 'improved' | 'unchanged' | 'only in base' | 'only in new';

export interface Row {
  metric: string;
  headline: boolean;
  base: number | null;
  new: number | null;
  change: number | null; // relative shift new vs base (Hodges-Lehmann)
  threshold: number | null; // the smallest change that counts for this metric (see effectThreshold)
  p: number | null; // p-value of the change in its observed direction
  verdict: Verdict;
}

export function compareFiles(base: ResultFile, next: ResultFile, options: CompareOptions): Row[] {
  const before = new Map(metricsOf(base).map((m) => [m.name, m]));
  const after = new Map(metricsOf(next).map((m) => [m.name, m]));
  const rows: Row[] = [];
  for (const name of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(name);
    const b = after.get(name);
    if (!a || !b) {
      const only = (a ?? b) as Metric;
      rows.push({ metric: name, headline: only.headline, base: a ? median(a.samples) : null, new: b ? median(b.samples) : null, change: null, threshold: null, p: null, verdict: a ? 'only in base' : 'only in new' });
      continue;
    }
    rows.push(compareMetric(a, b, options));
  }
  return rows.sort((x, y) => Number(y.headline) - Number(x.headline) || x.metric.localeCompare(y.metric));
}

// The Hodges-Lehmann estimate of the relative shift: the median of every pairwise new/base quotient. Steadier
// than the quotient of two medians when each side has only 3-5 noisy repetitions.
function relativeShift(a: readonly number[], b: readonly number[]): number {
  const quotients: number[] = [];
  for (const x of a) for (const y of b) if (x > 0) quotients.push(y / x);
  return quotients.length ? median(quotients) - 1 : 0;
}

// Relative standard deviation of the repetitions, pooled over both sides.
function relativeNoise(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  let dof = 0;
  for (const side of [a, b]) {
    if (side.length < 2) continue;
    const mean = side.reduce((s, x) => s + x, 0) / side.length;
    if (mean <= 0) continue;
    for (const x of side) sum += ((x - mean) / mean) ** 2;
    dof += side.length - 1;
  }
  return dof ? Math.sqrt(sum / dof) : 0;
}

// A change counts only if it is at least `minEffect` and at least three times the noise the repetitions themselves
// show: on a shared machine one run's repetitions can spread by 10-20 %, and a gate tighter than that fails
// at random.
export function effectThreshold(a: readonly number[], b: readonly number[], minEffect: number): number {
  return Math.max(minEffect, 3 * relativeNoise(a, b));
}

export function compareMetric(a: Metric, b: Metric, { minEffect, alpha }: CompareOptions): Row {
  const base = median(a.samples);
  const next = median(b.samples);
  const change = relativeShift(a.samples, b.samples);
  const worse = a.higherIsBetter ? change < 0 : change > 0;
  // p-value of the observed direction: "new below base" or "new above base".
  const pDown = mannWhitneyLess(a.samples, b.samples);
  const pUp = mannWhitneyLess(b.samples, a.samples);
  const p = change < 0 ? pDown : pUp;
  let verdict: Verdict = 'unchanged';
  const threshold = effectThreshold(a.samples, b.samples, minEffect);
  if (Math.abs(change) >= threshold && p <= alpha) verdict = worse ? 'regressed' : 'improved';
  return { metric: a.name, headline: a.headline, base, new: next, change, threshold, p, verdict };
}

const fmt = (v: number | null, digits = 3): string => (v === null ? '-' : Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(digits));

export function formatTable(rows: readonly Row[]): string {
  const head = ['metric', 'base', 'new', 'change', 'p-value', 'verdict', 'needs'];
  const body = rows.map((r) => [
    `${r.headline ? '* ' : '  '}${r.metric}`, fmt(r.base), fmt(r.new),
    r.change === null ? '-' : `${r.change >= 0 ? '+' : ''}${(r.change * 100).toFixed(1)}%`,
    r.p === null ? '-' : r.p.toFixed(3), r.verdict, r.threshold === null ? '-' : `>=${(r.threshold * 100).toFixed(1)}%`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 || i >= 5 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line), '(* headline metric: ratios measured within one run; only these can fail the comparison. "needs": the change that counts, max(min effect, 3x the repetitions\' own noise))'].join('\n');
}
