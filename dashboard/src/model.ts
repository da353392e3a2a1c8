// Turns lab result files into the data the dashboard page draws: everything is computed here (including the
// HDR percentile curves, decoded with hdr-histogram-js), so the page itself needs no wasm and no network.
import { metricsOf, median } from '../../harness/src/compare/metrics.js';
import { decodeHistogram } from '../../harness/src/recorders/histogram.js';
import type { Environment, ResultFile, WorkloadResult } from '../../harness/src/results/schema.js';
import { buildScoreboard, SCOREBOARD_ALPHA, type ScoreRow } from './scoreboard.js';

export interface Bar { target: string; throughput: number; p50: number; p99: number; p999: number; valid: boolean; reason?: string }
export interface WorkloadGroup { name: string; variant: string; mode: string; bars: Bar[] }
export interface Curve { label: string; valid: boolean; points: Array<{ x: number; y: number }> }
export interface PercentilePlot { title: string; curves: Curve[] }
export interface LoadCurve { label: string; points: Array<{ x: number; y: number; valid: boolean }> }
export interface LoadPlot { title: string; curves: LoadCurve[] }
export interface TrendSeries { metric: string; points: Array<{ commit: string; created_at: string; value: number }> }

export interface DashboardModel {
  created_at: string;
  git_commit: string;
  env: Environment;
  conclusions: Record<string, string>;
  scoreboard: ScoreRow[];
  alpha: number;
  groups: WorkloadGroup[];
  percentiles: PercentilePlot[];
  load: LoadPlot[];
  ladder: Array<{ label: string; ns: number; samples: number[] }>;
  memory: Array<{ label: string; kind: string; count: number; bytes: number; parts?: { stack: number; handleBlocks: number; malloc: number; v8Heap: number } }>;
  sweep: Array<{ backend: string; points: Array<{ size: number; depth: number; rss: number; spawn: number; tls: boolean }> }>;
  // Go beside the sweep: RSS and stack bytes per idle goroutine (growable stacks), at the largest count measured.
  goroutine: { count: number; rss: number; stack?: number } | null;
  trends: TrendSeries[];
  invalid: Array<{ what: string; reason: string }>;
  files: number;
}

export const target = (w: { runtime: string; fiber_backend?: string }): string =>
  (w.runtime === 'corojs' ? `corojs (${w.fiber_backend ?? 'thread'})` : w.runtime);

// x = 1/(1-p) for the HDR plot's percentiles.
const PERCENTILES = [0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999];

function curveOf(w: WorkloadResult): Curve | null {
  if (!w.histogram) return null;
  const histogram = decodeHistogram(w.histogram);
  if (histogram.totalCount === 0) return null;
  const points = PERCENTILES.map((p) => ({ x: 1 / (1 - p / 100), y: histogram.getValueAtPercentile(p) / 1000 }));
  return { label: target(w), valid: w.valid, points };
}

const key = (w: WorkloadResult): string => `${w.name} ${w.variant}`;

export function goroutineMemory(file: ResultFile): DashboardModel['goroutine'] {
  const idle = file.memory.filter((m) => m.runtime === 'go' && (m as { kind?: string }).kind === 'idle-fibers');
  if (!idle.length) return null;
  const at = idle.reduce((a, b) => (b.idle_connections > a.idle_connections ? b : a));
  const stack = (at as { stack_resident_per_fiber_bytes?: number }).stack_resident_per_fiber_bytes;
  return { count: at.idle_connections, rss: at.rss_per_connection_bytes, ...(stack !== undefined ? { stack } : {}) };
}

export function buildModel(files: readonly ResultFile[]): DashboardModel {
  const ordered = [...files].sort((a, b) => a.created_at.localeCompare(b.created_at));
  const latest = ordered[ordered.length - 1]!;
  const groups = new Map<string, WorkloadGroup>();
  const percentiles = new Map<string, PercentilePlot>();
  const load = new Map<string, LoadPlot>();
  const invalid: DashboardModel['invalid'] = [];
  for (const w of latest.workloads) {
    if (!w.valid) invalid.push({ what: `${key(w)} ${target(w)} ${w.mode}${w.offered_rate_per_s ? ` @${Math.round(w.offered_rate_per_s)}/s` : ''}`, reason: w.invalid_reason ?? 'invalid' });
    if (w.mode === 'closed') {
      const group = groups.get(key(w)) ?? { name: w.name, variant: w.variant, mode: w.mode, bars: [] };
      group.bars.push({ target: target(w), throughput: w.throughput_per_s, p50: w.latency_us.p50, p99: w.latency_us.p99, p999: w.latency_us.p999, valid: w.valid, ...(w.invalid_reason ? { reason: w.invalid_reason } : {}) });
      groups.set(key(w), group);
      const curve = curveOf(w);
      if (curve) {
        const plot = percentiles.get(key(w)) ?? { title: `${key(w)}: latency by percentile (closed loop)`, curves: [] };
        plot.curves.push(curve);
        percentiles.set(key(w), plot);
      }
    } else if (w.offered_rate_per_s) {
      const add = (plotKey: string, title: string, y: number): void => {
        const plot = load.get(plotKey) ?? { title, curves: [] };
        let curve = plot.curves.find((c) => c.label === target(w));
        if (!curve) plot.curves.push((curve = { label: target(w), points: [] }));
        curve.points.push({ x: w.offered_rate_per_s!, y, valid: w.valid });
        curve.points.sort((a, b) => a.x - b.x);
        load.set(plotKey, plot);
      };
      add(key(w), `${key(w)}: p99 latency against offered load (open loop)`, w.latency_us.p99);
      if (w.server_cpu_us_per_op !== undefined) add(`${key(w)} cpu`, `${key(w)}: server CPU per operation against offered load (open loop)`, w.server_cpu_us_per_op);
    }
  }
  // What a peer did not run is listed with the invalid points, with the error it printed.
  for (const n of latest.not_run ?? []) invalid.push({ what: `${n.target} ${n.workload}: not run`, reason: n.reason });
  const sweep = new Map<string, DashboardModel['sweep'][number]>();
  for (const s of latest.stack) {
    const backend = (s as { fiber_backend?: string }).fiber_backend ?? 'thread';
    const entry = sweep.get(backend) ?? { backend, points: [] };
    entry.points.push({ size: s.stack_size_bytes, depth: s.max_recursion_depth, rss: s.rss_per_fiber_bytes, spawn: s.spawn_per_s, tls: s.tls_handshake_ok });
    sweep.set(backend, entry);
  }
  for (const entry of sweep.values()) entry.points.sort((a, b) => a.size - b.size);
  const trends = new Map<string, TrendSeries>();
  for (const file of ordered) {
    for (const metric of metricsOf(file).filter((m) => m.headline)) {
      const series = trends.get(metric.name) ?? { metric: metric.name, points: [] };
      series.points.push({ commit: file.git_commit.slice(0, 8), created_at: file.created_at, value: median(metric.samples) });
      trends.set(metric.name, series);
    }
  }
  return {
    created_at: latest.created_at,
    git_commit: latest.git_commit,
    env: latest.env,
    conclusions: latest.conclusions ?? {},
    scoreboard: buildScoreboard(latest),
    alpha: SCOREBOARD_ALPHA,
    groups: [...groups.values()],
    percentiles: [...percentiles.values()],
    load: [...load.values()],
    ladder: latest.switch_ladder.map((r) => ({ label: r.fiber_backend ? `${r.rung} (${r.fiber_backend})` : r.rung, ns: r.ns_per_switch, samples: r.samples })),
    memory: latest.memory.map((m) => {
      const point = { label: target({ runtime: m.runtime, ...(m.fiber_backend ? { fiber_backend: m.fiber_backend } : {}) }), kind: m.kind ?? 'idle-connections', count: m.idle_connections, bytes: m.rss_per_connection_bytes };
      // Where an idle fiber's bytes go, when the run measured it (older result files did not).
      if (m.kind === 'idle-fibers' && m.malloc_per_fiber_bytes !== undefined && m.v8_heap_per_fiber_bytes !== undefined) {
        return { ...point, parts: { stack: m.stack_resident_per_fiber_bytes ?? 0, handleBlocks: m.handle_blocks_per_fiber_bytes ?? 0, malloc: m.malloc_per_fiber_bytes, v8Heap: m.v8_heap_per_fiber_bytes } };
      }
      return point;
    }),
    sweep: [...sweep.values()],
    goroutine: goroutineMemory(latest),
    trends: [...trends.values()],
    invalid,
    files: ordered.length,
  };
}
