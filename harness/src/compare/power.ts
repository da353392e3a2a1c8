// What a comparison can see, from the base run's repetitions alone: their noise, the change that counts
// (threshold), the smallest change the test detects with 80 % power at the chosen alpha, and whether the
// samples are bimodal or drift (reported, not averaged away).
import { exactLowerTail, mannWhitneyLess, smallestP } from './mann-whitney.js';

// A change must be at least this many standard errors of the shift (the base's relative noise times
// sqrt(1/m + 1/n)): the noise comes from 3-7 repetitions, so it is itself often underestimated, and a run
// tests ~50-70 headline metrics at once. Simulated with normal noise and 5 repetitions, 5 keeps false alarms
// at 0.06-0.3 % per metric (4: 0.1-0.6 %), while a 15 % change with 3 % noise is still caught 94 % of the time.
export const NOISE_Z = 5;
export const POWER = 0.8;
// A metric is untestable when not even a 2x slowdown would be detected with POWER: half the throughput, or
// twice the time or instruction count.
export const maxDetectable = (higherIsBetter: boolean): number => (higherIsBetter ? 0.5 : 1);

export function relativeNoise(samples: readonly number[]): number {
  if (samples.length < 2) return 0;
  const mean = samples.reduce((s, x) => s + x, 0) / samples.length;
  if (!(mean > 0)) return 0;
  return Math.sqrt(samples.reduce((s, x) => s + ((x - mean) / mean) ** 2, 0) / (samples.length - 1));
}

export function threshold(baseSamples: readonly number[], minEffect: number, newCount = baseSamples.length): number {
  const m = baseSamples.length;
  if (m < 2 || newCount < 1) return minEffect;
  return Math.max(minEffect, NOISE_Z * relativeNoise(baseSamples) * Math.sqrt(1 / m + 1 / newCount));
}

// The Hodges-Lehmann estimate of the relative shift: the median of every pairwise new/base quotient. Steadier
// than the quotient of two medians when each side has only a few noisy repetitions.
export function relativeShift(a: readonly number[], b: readonly number[]): number {
  const quotients: number[] = [];
  for (const x of a) for (const y of b) if (x > 0) quotients.push(y / x);
  if (!quotients.length) return 0;
  quotients.sort((x, y) => x - y);
  const mid = quotients.length >> 1;
  return (quotients.length % 2 ? quotients[mid]! : (quotients[mid - 1]! + quotients[mid]!) / 2) - 1;
}

// The gate's decision that `next` is worse than `base`: significant and moved by at least `bar`, downwards for
// higher-is-better metrics, upwards for the others.
export function flagsWorse(
  base: readonly number[],
  next: readonly number[],
  alpha: number,
  bar: number,
  higherIsBetter: boolean,
): boolean {
  const shift = relativeShift(base, next);
  return higherIsBetter
    ? shift <= -bar && mannWhitneyLess(base, next) <= alpha
    : shift >= bar && mannWhitneyLess(next, base) <= alpha;
}

function seededNormals(seed: number, count: number): number[] {
  let s = seed >>> 0;
  const uniform = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s + 0.5) / 4294967296;
  };
  return Array.from({ length: count }, () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()));
}

const TRIALS = 400;
const draws = new Map<string, number[]>();

// Fraction of simulated runs the gate flags when the truth is a change `d` for the worse: m base and n new
// repetitions, each scattering normally with relative noise `noise` (the same draws for every d, so power is
// monotone in d). The same decision as flagsWorse, computed without allocations: it runs ~10^4 times per metric.
function power(
  d: number,
  noise: number,
  m: number,
  n: number,
  alpha: number,
  bar: number,
  higherIsBetter: boolean,
): number {
  const key = `${m},${n}`;
  let z = draws.get(key);
  if (!z) draws.set(key, (z = seededNormals(12345, TRIALS * (m + n))));
  const tail = exactLowerTail(m, n);
  const factor = higherIsBetter ? 1 - d : 1 + d;
  const quotients = new Float64Array(m * n);
  let flagged = 0;
  for (let t = 0; t < TRIALS; t++) {
    const at = t * (m + n);
    let below = 0; // pairs with the new value below the base value
    for (let i = 0; i < m; i++) {
      const x = Math.max(1e-9, 1 + noise * z[at + i]!);
      for (let j = 0; j < n; j++) {
        const y = Math.max(1e-9, factor * (1 + noise * z[at + m + j]!));
        quotients[i * n + j] = y / x;
        if (y < x) below++;
      }
    }
    quotients.sort();
    const k = quotients.length;
    const shift = (k % 2 ? quotients[k >> 1]! : (quotients[(k >> 1) - 1]! + quotients[k >> 1]!) / 2) - 1;
    // U of the worse side lying beyond the base: pairs in the other direction.
    const p = tail[higherIsBetter ? m * n - below : below]!;
    if ((higherIsBetter ? shift <= -bar : shift >= bar) && p <= alpha) flagged++;
  }
  return flagged / TRIALS;
}

// The smallest relative change for the worse (a loss of higher-is-better metrics, a rise of the others) that
// the gate detects with POWER, or null when not even a 2x slowdown is or the repetitions cannot reach alpha.
export function detectableChange(
  noise: number,
  m: number,
  n: number,
  alpha: number,
  bar: number,
  higherIsBetter = true,
): number | null {
  if (m < 2 || n < 1 || smallestP(m, n) > alpha) return null;
  if (noise === 0) return bar; // deterministic: every repetition moves by exactly the change
  if (power(maxDetectable(higherIsBetter), noise, m, n, alpha, bar, higherIsBetter) < POWER) return null;
  let lo = 0;
  let hi = maxDetectable(higherIsBetter);
  while (hi - lo > 0.0025) {
    const mid = (lo + hi) / 2;
    if (power(mid, noise, m, n, alpha, bar, higherIsBetter) >= POWER) hi = mid;
    else lo = mid;
  }
  return Math.max(hi, bar);
}

// Samples in repetition order: "drift" when they rise or fall monotonically over >= 5 repetitions by at least
// `minEffect` of the median; "bimodal" when a gap splits them into two groups of >= 2 that sit further apart
// than three times either group's own spread and at least twice `minEffect` of the median.
export function sampleShape(samples: readonly number[], minEffect: number): string | null {
  const n = samples.length;
  if (n < 4) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted[n >> 1]!;
  if (!(mid > 0)) return null;
  if (n >= 5) {
    let rising = true;
    let falling = true;
    for (let i = 1; i < n; i++) {
      rising &&= samples[i]! > samples[i - 1]!;
      falling &&= samples[i]! < samples[i - 1]!;
    }
    if ((rising || falling) && (sorted[n - 1]! - sorted[0]!) / mid >= minEffect)
      return `drift (${rising ? 'rising' : 'falling'} over ${n} repetitions)`;
  }
  let best = { gap: 0, at: 0 };
  for (let i = 2; i <= n - 2; i++)
    if (sorted[i]! - sorted[i - 1]! > best.gap) best = { gap: sorted[i]! - sorted[i - 1]!, at: i };
  if (best.at === 0) return null;
  const lowSpread = sorted[best.at - 1]! - sorted[0]!;
  const highSpread = sorted[n - 1]! - sorted[best.at]!;
  if (best.gap > 3 * Math.max(lowSpread, highSpread) && best.gap / mid >= 2 * minEffect) {
    return `bimodal (${best.at} near ${sorted[(best.at - 1) >> 1]!.toPrecision(3)}, ${n - best.at} near ${sorted[best.at + ((n - best.at - 1) >> 1)]!.toPrecision(3)})`;
  }
  return null;
}
