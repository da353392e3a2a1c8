// Turns lab result files into the data the dashboard page draws: everything is computed here (including the
// HDR percentile curves), so the page itself needs no wasm and no network. It knows result files only through
// the results schema and reader (harness/src/results/schema.ts, read.ts).
import { latencyHistogram } from '../../harness/src/results/read.js';
import {
  targetLabel,
  type Environment,
  type ResultFile,
  type WorkloadResult,
} from '../../harness/src/results/schema.js';
import { buildScoreboard, SCOREBOARD_ALPHA, type ScoreRow } from './scoreboard.js';
import { headlineTrends, type TrendSeries } from './trends.js';

export interface Bar {
  target: string;
  throughput: number;
  p50: number;
  p99: number;
  p999: number;
  valid: boolean;
  reason?: string;
}
export interface WorkloadGroup {
  name: string;
  variant: string;
  mode: string;
  bars: Bar[];
}
export interface Curve {
  label: string;
  valid: boolean;
  points: Array<{ x: number; y: number }>;
}
export interface PercentilePlot {
  title: string;
  curves: Curve[];
}
export interface LoadCurve {
  label: string;
  points: Array<{ x: number; y: number; valid: boolean }>;
}
export interface LoadPlot {
  title: string;
  curves: LoadCurve[];
}

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
  memory: Array<{
    label: string;
    kind: string;
    unit: string;
    count: number;
    bytes: number;
    valid: boolean;
    parts?: { stack: number; handleBlocks: number; malloc: number; v8Heap: number };
  }>;
  sweep: Array<{
    target: string;
    points: Array<{ size: number; depth: number; rss: number; spawn: number; tls: boolean }>;
  }>;
  // Go beside the sweep: RSS and stack bytes per idle goroutine (growable stacks), at the largest count measured.
  goroutine: { count: number; rss: number; stack?: number } | null;
  trends: TrendSeries[];
  invalid: Array<{ what: string; reason: string }>;
  files: number;
}

// x = 1/(1-p) for the HDR plot's percentiles.
const PERCENTILES = [0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999];

function curveOf(w: WorkloadResult): Curve | null {
  const histogram = latencyHistogram(w);
  if (!histogram || histogram.totalCount === 0) return null;
  const points = PERCENTILES.map((p) => ({ x: 1 / (1 - p / 100), y: histogram.getValueAtPercentile(p) / 1000 }));
  return { label: targetLabel(w), valid: w.valid, points };
}

const key = (w: WorkloadResult): string => `${w.name} ${w.variant}`;

export function goroutineMemory(file: ResultFile): DashboardModel['goroutine'] {
  const idle = file.memory.filter((m) => m.runtime === 'go' && m.kind === 'idle-fibers');
  if (!idle.length) return null;
  const at = idle.reduce((a, b) => (b.count > a.count ? b : a));
  const stack = at.stack_resident_per_unit_bytes;
  return { count: at.count, rss: at.rss_per_unit_bytes, ...(stack !== undefined ? { stack } : {}) };
}

export function buildModel(files: readonly ResultFile[]): DashboardModel {
  const ordered = [...files].sort((a, b) => a.created_at.localeCompare(b.created_at));
  const latest = ordered[ordered.length - 1]!;
  const groups = new Map<string, WorkloadGroup>();
  const percentiles = new Map<string, PercentilePlot>();
  const load = new Map<string, LoadPlot>();
  const invalid: DashboardModel['invalid'] = [];
  for (const w of latest.workloads) {
    if (!w.valid)
      invalid.push({
        what: `${key(w)} ${targetLabel(w)} ${w.mode}${w.offered_rate_per_s ? ` @${Math.round(w.offered_rate_per_s)}/s` : ''}`,
        reason: w.invalid_reason ?? 'invalid',
      });
    if (w.mode === 'closed') {
      const group = groups.get(key(w)) ?? { name: w.name, variant: w.variant, mode: w.mode, bars: [] };
      group.bars.push({
        target: targetLabel(w),
        throughput: w.throughput_per_s,
        p50: w.latency_us.p50,
        p99: w.latency_us.p99,
        p999: w.latency_us.p999,
        valid: w.valid,
        ...(w.invalid_reason ? { reason: w.invalid_reason } : {}),
      });
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
        let curve = plot.curves.find((c) => c.label === targetLabel(w));
        if (!curve) plot.curves.push((curve = { label: targetLabel(w), points: [] }));
        curve.points.push({ x: w.offered_rate_per_s!, y, valid: w.valid });
        curve.points.sort((a, b) => a.x - b.x);
        load.set(plotKey, plot);
      };
      add(key(w), `${key(w)}: p99 latency against offered load (open loop)`, w.latency_us.p99);
      if (w.server_cpu_us_per_op !== undefined)
        add(
          `${key(w)} cpu`,
          `${key(w)}: server CPU per operation against offered load (open loop)`,
          w.server_cpu_us_per_op,
        );
    }
  }
  // What a peer did not run is listed with the invalid points, with the error it printed.
  for (const n of latest.not_run ?? []) invalid.push({ what: `${n.target} ${n.workload}: not run`, reason: n.reason });
  const sweep = new Map<string, DashboardModel['sweep'][number]>();
  for (const s of latest.stack) {
    const target = targetLabel(s);
    const entry = sweep.get(target) ?? { target, points: [] };
    entry.points.push({
      size: s.stack_size_bytes,
      depth: s.max_recursion_depth,
      rss: s.rss_per_fiber_bytes,
      spawn: s.spawn_per_s,
      tls: s.tls_handshake_ok,
    });
    sweep.set(target, entry);
  }
  for (const entry of sweep.values()) entry.points.sort((a, b) => a.size - b.size);
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
    ladder: latest.switch_ladder.map((r) => ({
      label: r.fiber_backend ? `${r.rung} (${r.fiber_backend})` : r.rung,
      ns: r.ns_per_switch,
      samples: r.samples,
    })),
    memory: latest.memory.map((m) => {
      const point = {
        label: targetLabel(m),
        kind: m.kind,
        unit: m.unit,
        count: m.count,
        bytes: m.rss_per_unit_bytes,
        valid: m.valid,
      };
      // Where an idle fiber's bytes go, when the run measured it (older result files did not).
      if (m.kind === 'idle-fibers' && m.malloc_per_unit_bytes !== undefined && m.v8_heap_per_unit_bytes !== undefined) {
        return {
          ...point,
          parts: {
            stack: m.stack_resident_per_unit_bytes ?? 0,
            handleBlocks: m.handle_blocks_per_unit_bytes ?? 0,
            malloc: m.malloc_per_unit_bytes,
            v8Heap: m.v8_heap_per_unit_bytes,
          },
        };
      }
      return point;
    }),
    sweep: [...sweep.values()],
    goroutine: goroutineMemory(latest),
    trends: headlineTrends(ordered),
    invalid,
    files: ordered.length,
  };
}
