// Compares two sets of metrics (two result files, or old and new build inside one --ab file): a one-sided
// Mann-Whitney U test on the repetitions in the direction of a regression, plus a change of at least the
// threshold, both judged against the base's own noise only (a noisy new run cannot raise its own bar).
import type { ResultFile } from '../results/schema.js';
import { mannWhitneyLess, smallestP } from './mann-whitney.js';
import { median, metricsOf, type Metric } from './metrics.js';
import { detectableChange, relativeNoise, relativeShift, sampleShape, threshold } from './power.js';

export interface CompareOptions {
  minEffect: number; // relative change of the median that matters (0.05 = 5 %)
  alpha: number; // significance level
}

export type Verdict = 'regressed' | 'improved' | 'unchanged' | 'untestable' | 'only in base' | 'only in new';

export interface Row {
  metric: string;
  headline: boolean;
  unit: string;
  higherIsBetter: boolean;
  base: number | null;
  new: number | null;
  change: number | null; // relative shift new vs base (Hodges-Lehmann)
  noise: number | null; // relative standard deviation of the base's repetitions
  threshold: number | null; // the smallest change that counts: max(min effect, 5 standard errors from the base's noise)
  detectable: number | null; // the smallest change for the worse detected with 80 % power (null: none)
  p: number | null; // p-value of the change in its observed direction
  verdict: Verdict;
  untestable?: string; // why this metric cannot be tested with these repetitions
  shape?: string; // bimodal or drifting samples, per side
  notGated?: string; // a headline metric harness/gate.json keeps out of the gate, and why
}

export function compareMetrics(before: readonly Metric[], after: readonly Metric[], options: CompareOptions): Row[] {
  const a = new Map(before.map((m) => [m.name, m]));
  const b = new Map(after.map((m) => [m.name, m]));
  const rows: Row[] = [];
  for (const name of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(name);
    const y = b.get(name);
    if (x && y) {
      rows.push(compareMetric(x, y, options));
      continue;
    }
    const only = (x ?? y)!;
    rows.push({
      metric: name,
      headline: only.headline,
      unit: only.unit,
      higherIsBetter: only.higherIsBetter,
      base: x ? median(x.samples) : null,
      new: y ? median(y.samples) : null,
      change: null,
      noise: null,
      threshold: null,
      detectable: null,
      p: null,
      verdict: x ? 'only in base' : 'only in new',
    });
  }
  return rows.sort((r, s) => Number(s.headline) - Number(r.headline) || r.metric.localeCompare(s.metric));
}

export function compareFiles(base: ResultFile, next: ResultFile, options: CompareOptions): Row[] {
  return compareMetrics(metricsOf(base), metricsOf(next), options);
}

export function compareMetric(a: Metric, b: Metric, options: CompareOptions): Row {
  const { alpha } = options;
  const minEffect = a.minEffect ?? options.minEffect;
  const m = a.samples.length;
  const n = b.samples.length;
  const change = relativeShift(a.samples, b.samples);
  const worse = a.higherIsBetter ? change < 0 : change > 0;
  // p-value of the observed direction: "new below base" or "new above base".
  const p = change < 0 ? mannWhitneyLess(a.samples, b.samples) : mannWhitneyLess(b.samples, a.samples);
  const noise = relativeNoise(a.samples);
  const bar = threshold(a.samples, minEffect, n);
  const detectable = detectableChange(noise, m, n, alpha, bar, a.higherIsBetter);
  let verdict: Verdict = 'unchanged';
  if (Math.abs(change) >= bar && p <= alpha) verdict = worse ? 'regressed' : 'improved';
  const row: Row = {
    metric: a.name,
    headline: a.headline,
    unit: a.unit,
    higherIsBetter: a.higherIsBetter,
    base: median(a.samples),
    new: median(b.samples),
    change,
    noise,
    threshold: bar,
    detectable,
    p,
    verdict,
  };
  if (m < 2) row.untestable = `${m} base repetition(s): no noise estimate`;
  else if (smallestP(m, n) > alpha)
    row.untestable = `${m} vs ${n} repetitions cannot reach p <= ${alpha} (smallest p ${smallestP(m, n).toPrecision(2)})`;
  else if (detectable === null)
    row.untestable = `noise ${(noise * 100).toFixed(1)}%: not even a 2x slowdown would be detected with 80% power`;
  if (row.untestable && verdict !== 'regressed') row.verdict = 'untestable';
  if (a.notGated) row.notGated = a.notGated;
  const shapes = [
    ['base', sampleShape(a.samples, minEffect)],
    ['new', sampleShape(b.samples, minEffect)],
  ]
    .filter(([, s]) => s)
    .map(([side, s]) => `${side} ${s}`);
  if (shapes.length) row.shape = shapes.join('; ');
  return row;
}

// The smallest p-value any headline metric's repetitions can reach; an alpha below it disables the gate.
export function smallestReachableP(
  before: readonly Metric[],
  after: readonly Metric[],
): { p: number; metric: string } | null {
  const b = new Map(after.map((m) => [m.name, m]));
  let worst: { p: number; metric: string } | null = null;
  for (const a of before.filter((m) => m.headline)) {
    const y = b.get(a.name);
    if (!y) continue;
    const p = smallestP(a.samples.length, y.samples.length);
    if (!worst || p > worst.p)
      worst = { p, metric: `${a.name} (${a.samples.length} vs ${y.samples.length} repetitions)` };
  }
  return worst;
}

const fmt = (v: number | null, digits = 3): string =>
  v === null ? '-' : Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(digits);
const pct = (v: number | null, signed = false): string =>
  v === null ? '-' : `${signed && v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}%`;

export function formatTable(rows: readonly Row[]): string {
  const head = ['metric', 'base', 'new', 'change', 'p-value', 'needs', 'detects', 'verdict', 'samples'];
  const body = rows.map((r) => [
    `${r.headline ? '* ' : '  '}${r.metric}`,
    fmt(r.base),
    fmt(r.new),
    pct(r.change, true),
    r.p === null ? '-' : r.p.toFixed(3),
    r.threshold === null ? '-' : `>=${pct(r.threshold)}`,
    r.detectable === null ? '-' : pct(r.detectable),
    r.verdict,
    r.shape ?? '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === 0 || i >= 7 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    '(* headline metric: only these can fail the comparison. "needs": the change that counts, max(min effect, 5 standard errors of the shift from the base\'s own noise);',
    ' "detects": the smallest change for the worse this comparison detects with 80% power at the chosen alpha, with the base\'s noise and these repetition counts)',
  ].join('\n');
}
