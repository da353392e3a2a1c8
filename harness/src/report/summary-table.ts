// The terminal summary: one row per workload point (open-loop points: one per offered rate), a column per
// runtime (CoroJS per fiber backend), the corojs/node throughput ratios, p99 latency, and where the generator
// read it, the server's CPU per operation with the CoroJS/Node 20 ratio (the headline at equal offered load).
import { peerMetrics, median } from '../compare/metrics.js';
import {
  FIBER_BACKENDS,
  targetLabel,
  type ResultFile,
  type RuntimeName,
  type WorkloadResult,
} from '../results/schema.js';
import { PEERS } from '../runtimes.js';

const fmt = (x: number): string =>
  x >= 1000 ? Math.round(x).toLocaleString('en-US') : String(Math.round(x * 10) / 10);

function cell(point: WorkloadResult | undefined): string {
  if (!point) return '-';
  if (!point.valid) return `${fmt(point.throughput_per_s)}!`;
  return fmt(point.throughput_per_s);
}

function ratio(
  a: WorkloadResult | undefined,
  b: WorkloadResult | undefined,
  field: (w: WorkloadResult) => number | undefined = (w) => w.throughput_per_s,
): string {
  if (!a || !b || !a.valid || !b.valid) return '-';
  const [x, y] = [field(a), field(b)];
  if (x === undefined || y === undefined || !(y > 0)) return '-';
  return `${(x / y).toFixed(2)}x`;
}

const cpuPerOp = (w: WorkloadResult): number | undefined => w.server_cpu_us_per_op;

// CoroJS columns in FIBER_BACKENDS order (the default backend first).
const ABBREV: Record<string, string> = { fcontext: 'fc', ucontext: 'uc', thread: 'thr' };

export function summaryTable(file: ResultFile): string {
  const present = new Set(file.workloads.map((w) => w.fiber_backend));
  const backends = FIBER_BACKENDS.filter((b) => present.has(b));
  const short = backends.map((b) => ABBREV[b] ?? b);
  // The peers (bun, deno, go) present in the file get a column each, after the Nodes.
  const peers = PEERS.filter((p) => file.workloads.some((w) => w.runtime === p));
  const all = [...short, 'n18', 'n20', ...peers].join('/');
  const rows: string[][] = [
    [
      'workload',
      'variant',
      'mode',
      'conns',
      ...short.map((b) => `coro-${b}/s`),
      'node18/s',
      'node20/s',
      ...peers.map((p) => `${p}/s`),
      ...short.flatMap((b) => [`${b}/n20`, `${b}/n18`]),
      `p99 us ${all}`,
      `cpu us/op ${all}`,
      ...short.map((b) => `cpu ${b}/n20`),
    ],
  ];
  const keyOf = (w: WorkloadResult): string =>
    `${w.name}\u0000${w.variant}\u0000${w.mode}\u0000${w.offered_rate_per_s ?? ''}`;
  const keys = [...new Set(file.workloads.map(keyOf))];
  for (const key of keys) {
    const pick = (runtime: RuntimeName, backend?: string): WorkloadResult | undefined =>
      file.workloads.find((w) => keyOf(w) === key && w.runtime === runtime && w.fiber_backend === backend);
    const coro = backends.map((b) => pick('corojs', b));
    const [n18, n20] = [pick('node18'), pick('node20')];
    const peerPoints = peers.map((p) => pick(p));
    const everyone = [...coro, n18, n20, ...peerPoints];
    const any = everyone.find((p) => p)!;
    const p99 = everyone.map((p) => (p && p.valid ? fmt(p.latency_us.p99) : '-')).join('/');
    const cpu = everyone.some((p) => p?.server_cpu_us_per_op !== undefined)
      ? everyone
          .map((p) => (p && p.valid && p.server_cpu_us_per_op !== undefined ? fmt(p.server_cpu_us_per_op) : '-'))
          .join('/')
      : '';
    const rate = any.offered_rate_per_s;
    rows.push([
      any.name,
      any.variant,
      rate ? `open@${fmt(rate)}` : any.mode,
      String(any.connections),
      ...coro.map(cell),
      cell(n18),
      cell(n20),
      ...peerPoints.map(cell),
      ...coro.flatMap((c) => [ratio(c, n20), ratio(c, n18)]),
      p99,
      cpu,
      ...coro.map((c) => (cpu ? ratio(c, n20, cpuPerOp) : '')),
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const extra: string[] = [];
  for (const rung of file.switch_ladder)
    extra.push(
      `switch ${rung.rung}${rung.fiber_backend ? ` (${rung.fiber_backend})` : ''}: ${fmt(rung.ns_per_switch)} ns per one-way switch`,
    );
  for (const m of file.memory)
    extra.push(
      `memory ${targetLabel(m)} ${m.kind}${m.workload ? ` (${m.workload})` : ''} ${m.count} x ${m.unit}: ${fmt(m.rss_per_unit_bytes)} B RSS each${m.valid ? '' : ` (invalid: ${m.invalid_reason})`}`,
    );
  for (const s of file.stack)
    extra.push(
      `stack ${targetLabel(s)} ${s.stack_size_bytes / 1024} KiB: depth ${s.max_recursion_depth}, tls ${s.tls_handshake_ok ? 'ok' : 'FAIL'}, ${fmt(s.rss_per_fiber_bytes)} B/fiber, ${fmt(s.spawn_per_s)} spawn/s`,
    );
  for (const [k, v] of Object.entries(file.conclusions ?? {})) extra.push(`${k}: ${v}`);
  // The peers' ratios for the default (first) backend only: the others are in the dashboard and `npm run compare`.
  const peerLines = peerMetrics(file)
    .filter((m) => m.name.includes(`[${backends[0] ?? 'fcontext'}]`))
    .map((m) => `  ${m.name.replace(/^peer /, '')}: ${median(m.samples).toFixed(2)}x (${m.unit})`);
  if (peerLines.length)
    extra.push(
      'against the peers (information, not gated; ratios > 1 mean CoroJS is faster for throughput, slower for switch time):',
      ...peerLines,
    );
  for (const n of file.not_run ?? []) extra.push(`not run: ${n.target} ${n.workload}: ${n.reason.slice(0, 200)}`);
  const invalid = file.workloads
    .filter((w) => !w.valid)
    .map(
      (w) =>
        `  ${w.name} ${w.variant} ${targetLabel(w)} ${w.offered_rate_per_s ? `open@${fmt(w.offered_rate_per_s)}` : w.mode}: ${w.invalid_reason ?? ''}`,
    );
  return [
    ...lines,
    '(throughput: operations/s, median of repetitions; "!" = invalid measurement; ratios over valid points only;',
    " cpu us/op: the server's CPU per answered operation over the measured window, median; at equal offered load",
    ' (open@rate) a ratio below 1.00x means CoroJS spends less CPU per operation than Node 20)',
    ...extra,
    ...(invalid.length ? ['invalid points:', ...invalid] : []),
  ].join('\n');
}
