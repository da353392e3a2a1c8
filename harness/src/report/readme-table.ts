// The README's results table, written from a result file (`npm run report`), so no figure in the README is
// typed by hand: it sits between the two markers below and a test checks it against results/reference.json.
import { betweenMarkers } from './markers.js';
import { FIBER_BACKENDS, targetLabel, type ResultFile, type TargetId, type WorkloadResult } from '../results/schema.js';
import { PEERS } from '../runtimes.js';

export const BEGIN_MARKER =
  '<!-- results-table: written by `npm run report` from results/reference.json; do not edit -->';
export const END_MARKER = '<!-- /results-table -->';

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

interface Column {
  label: string;
  target: TargetId;
}

function columnsOf(file: ResultFile): Column[] {
  const present = new Set(file.workloads.map((w) => w.fiber_backend));
  // The peers (bun, deno, go) get a column when the file measured them.
  const peers = PEERS.filter(
    (p) => file.workloads.some((w) => w.runtime === p) || file.memory.some((m) => m.runtime === p),
  );
  return [
    ...FIBER_BACKENDS.filter((b) => present.has(b)).map((b) => ({
      label: `corojs ${b}`,
      target: { runtime: 'corojs' as const, fiber_backend: b },
    })),
    { label: 'node18 (same V8)', target: { runtime: 'node18' } },
    { label: 'node20', target: { runtime: 'node20' } },
    ...peers.map((p) => ({ label: p, target: { runtime: p } })),
  ];
}

const matches =
  (c: Column) =>
  (w: TargetId): boolean =>
    targetLabel(w) === targetLabel(c.target);

// A closed-loop throughput cell: the median, or why the point is not valid.
function throughputCell(file: ResultFile, c: Column, name: string, variant: string): string {
  const point = file.workloads.find(
    (w) => w.name === name && w.variant === variant && w.mode === 'closed' && matches(c)(w),
  );
  if (!point) return '-';
  // The reason's verdict only ("not server-bound", "load generator saturated (98.9% CPU)"); its figures are in the result file.
  return point.valid
    ? fmt(point.throughput_per_s)
    : `invalid (${(point.invalid_reason ?? '').split(';')[0]!.split(':')[0]!.slice(0, 60)})`;
}

// Server CPU per operation (µs) at the ladder's top offered rate, the same rate for every target.
function cpuCell(file: ResultFile, c: Column, name: string, variant: string): string {
  const open = file.workloads.filter(
    (w) => w.name === name && w.variant === variant && w.mode === 'open' && w.load_fraction !== undefined,
  );
  if (!open.length) return '-';
  const top = Math.max(...open.map((w) => w.load_fraction!));
  const point = open.find((w) => w.load_fraction === top && matches(c)(w));
  if (!point) return '-';
  if (!point.valid || point.server_cpu_us_per_op === undefined) return 'invalid';
  return (Math.round(point.server_cpu_us_per_op * 10) / 10).toString();
}

function rateOf(file: ResultFile, name: string, variant: string): string {
  const open = file.workloads.filter(
    (w: WorkloadResult) => w.name === name && w.variant === variant && w.mode === 'open' && w.offered_rate_per_s,
  );
  if (!open.length) return '';
  const top = Math.max(...open.map((w) => w.load_fraction ?? 0));
  const rate = open.find((w) => (w.load_fraction ?? 0) === top)?.offered_rate_per_s;
  return rate ? ` at ${fmt(rate)}/s` : '';
}

export function readmeTable(file: ResultFile): string {
  const columns = columnsOf(file);
  const rows: string[][] = [];
  const switchRow = columns.map((c) => {
    const rung = file.switch_ladder.find((r) => r.runtime !== undefined && matches(c)({ ...r, runtime: r.runtime }));
    const how = c.target.runtime === 'corojs' ? '' : c.target.runtime === 'go' ? 'goroutine ' : '`await` ';
    return rung ? `${how}${fmt(rung.ns_per_switch)}` : '-';
  });
  const raw = (name: string): string => {
    const rung = file.switch_ladder.find((r) => r.rung === name);
    return rung ? fmt(rung.ns_per_switch) : '-';
  };
  rows.push([
    `fiber switch, ns per one-way switch (raw \`swapcontext\` ${raw('raw-ucontext')}, raw \`jump_fcontext\` ${raw('raw-fcontext')}, pinned thread handoff ${raw('thread-handoff')})`,
    ...switchRow,
  ]);
  const throughputs: Array<[string, string, string]> = [
    ['tcp-echo 64 B, messages/s', 'tcp-echo', '64B'],
    ['tcp-echo 64 KiB, messages/s', 'tcp-echo', '64KiB'],
    ['tls-echo steady 64 B, messages/s', 'tls-echo', 'steady-64B'],
    ['tls-echo steady 16 KiB, messages/s', 'tls-echo', 'steady-16KiB'],
    ['tls-echo full handshakes/s', 'tls-echo', 'handshake'],
    ['http-hello (native generator), requests/s', 'http-hello', 'native'],
    ['dns A lookups/s', 'dns', 'A'],
    ['file-io read 4 KiB files/s', 'file-io', 'read-4KiB'],
  ];
  for (const [label, name, variant] of throughputs) {
    if (!file.workloads.some((w) => w.name === name && w.variant === variant && w.mode === 'closed')) continue;
    rows.push([label, ...columns.map((c) => throughputCell(file, c, name, variant))]);
  }
  const cpu: Array<[string, string, string]> = [
    ['tcp-echo 64 B', 'tcp-echo', '64B'],
    ['tls-echo steady 64 B', 'tls-echo', 'steady-64B'],
    ['tls-echo steady 16 KiB', 'tls-echo', 'steady-16KiB'],
    ['tls-echo handshake', 'tls-echo', 'handshake'],
    ['http-hello', 'http-hello', 'native'],
  ];
  for (const [label, name, variant] of cpu) {
    if (
      !file.workloads.some(
        (w) => w.name === name && w.variant === variant && w.mode === 'open' && w.server_cpu_us_per_op !== undefined,
      )
    )
      continue;
    rows.push([
      `${label}: server CPU µs per operation${rateOf(file, name, variant)} (equal offered load)`,
      ...columns.map((c) => cpuCell(file, c, name, variant)),
    ]);
  }
  for (const [label, kind] of [
    ['RSS per idle connection', 'idle-connections'],
    [
      `RSS per idle fiber / async function${columns.some((c) => c.target.runtime === 'go') ? ' / goroutine' : ''}`,
      'idle-fibers',
    ],
  ] as const) {
    const ofKind = file.memory.filter((m) => m.kind === kind);
    if (!ofKind.length) continue;
    const count = Math.max(...ofKind.map((m) => m.count)); // the largest count measured
    const points = ofKind.filter((m) => m.count === count);
    rows.push([
      `${label}${count ? ` at ${fmt(count)}` : ''}`,
      ...columns.map((c) => {
        const m = points.find(matches(c));
        return m ? kib(m.rss_per_unit_bytes) : '-';
      }),
    ]);
  }
  const header = ['measurement', ...columns.map((c) => c.label)];
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

// `readme` with the text between the markers replaced by the table for `file`; throws without markers.
export function withTable(readme: string, file: ResultFile): string {
  return betweenMarkers(readme, BEGIN_MARKER, END_MARKER, readmeTable(file), 'README has no results-table');
}
