// One-sided Mann-Whitney U test: is `b` stochastically smaller than `a`? Exact for small samples (the lab's
// 3-5 repetitions: with 3 against 3 the smallest possible p is 1/20), normal approximation with tie
// correction beyond. Returns the p-value.

function ranks(values: readonly number[]): { ranks: number[]; tieTerm: number } {
  const order = values.map((v, i) => ({ v, i })).sort((x, y) => x.v - y.v);
  const out = new Array<number>(values.length);
  let tieTerm = 0;
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.v === order[start]!.v) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) out[order[k]!.i] = rank;
    const t = end - start + 1;
    tieTerm += t * t * t - t;
    start = end + 1;
  }
  return { ranks: out, tieTerm };
}

// Number of ways to reach each U for sample sizes (m, n), by the classic recurrence (no ties). Memoised across
// calls: the power simulation asks for the same few sizes many thousand times.
const memo = new Map<string, number[]>();
function exactUCounts(m: number, n: number): number[] {
  const counts = (i: number, j: number): number[] => {
    if (i === 0 || j === 0) return [1];
    const key = `${i},${j}`;
    const hit = memo.get(key);
    if (hit) return hit;
    // The largest value is from the first sample (adds j to U) or from the second.
    const a = counts(i - 1, j);
    const b = counts(i, j - 1);
    const out = new Array<number>(i * j + 1).fill(0);
    a.forEach((c, u) => {
      out[u + j] += c;
    });
    b.forEach((c, u) => {
      out[u] += c;
    });
    memo.set(key, out);
    return out;
  };
  return counts(m, n);
}

function normalCdf(z: number): number {
  // Abramowitz-Stegun 7.1.26 on erf; ample for a p-value.
  const t = 1 / (1 + (0.3275911 * Math.abs(z)) / Math.SQRT2);
  const erf =
    1 -
    t *
      (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) *
      Math.exp(-(z * z) / 2);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

// P(U_b <= u) for every u with no shift, m against n values without ties, where U_b counts the pairs in which
// b's value is above a's (small when b lies below a).
const tails = new Map<string, number[]>();
export function exactLowerTail(m: number, n: number): number[] {
  const key = `${m},${n}`;
  let tail = tails.get(key);
  if (!tail) {
    const counts = exactUCounts(n, m);
    const total = counts.reduce((s, c) => s + c, 0);
    let run = 0;
    tail = counts.map((c) => (run += c) / total);
    tails.set(key, tail);
  }
  return tail;
}

// The smallest p-value the one-sided test can give with m against n repetitions (complete separation):
// 1 / C(m + n, m), e.g. 1/20 for 3 against 3, 1/252 for 5 against 5.
export function smallestP(m: number, n: number): number {
  let c = 1;
  for (let k = 1; k <= m; k++) c = (c * (n + k)) / k;
  return 1 / c;
}

// p-value of "b < a" (b shifted down). `a` and `b` need at least one value each.
export function mannWhitneyLess(a: readonly number[], b: readonly number[]): number {
  const m = a.length;
  const n = b.length;
  if (m === 0 || n === 0) return 1;
  const { ranks: r, tieTerm } = ranks([...a, ...b]);
  const rankSumB = r.slice(m).reduce((s, x) => s + x, 0);
  const uB = rankSumB - (n * (n + 1)) / 2; // small when b is below a
  if (tieTerm === 0 && m * n <= 400) return exactLowerTail(m, n)[Math.floor(uB)]!;
  const N = m + n;
  const mean = (m * n) / 2;
  const variance = ((m * n) / 12) * (N + 1 - tieTerm / (N * (N - 1)));
  if (variance <= 0) return 1;
  return normalCdf((uB - mean + 0.5) / Math.sqrt(variance)); // continuity correction
}
