// fiber-micro: fiber operations against their async/await counterparts, one workloads[] entry per variant and
// runtime (and CoroJS fiber backend): ping-pong round trip, spawn-and-join, 1000-deep recursion. Each program
// times itself (workloads/fiber-micro.mjs, baselines/fiber-micro.ts) pinned to the server CPU; repetitions are
// separate processes interleaved across runtimes; latency is the per-op time of timed batches.
import type { LabConfig } from '../lab-config.js';
import { failureReason, parseJsonLines, runPinned } from '../process/run-command.js';
import { aggregatePoint, invalidPoint, type PointKey, type RepetitionSample } from '../results/aggregate.js';
import { targetOf, type LatencySummaryUs, type WorkloadResult } from '../results/schema.js';
import { fiberTargets, forTarget, PLANNED_TARGETS, targetArgv, type Target } from '../targets.js';
import { programArgs, type Workload, type WorkloadDeclaration } from './workload.js';

export const MICRO_VARIANTS = ['pingpong', 'spawn-join', 'recursion'] as const; // the program's variant names
export const RECURSION_DEPTH = 1000;

export const FIBER_MICRO = {
  name: 'fiber-micro',
  about: 'fiber ping-pong, spawn-and-join and 1000-deep recursion against their async/await counterparts',
  variants: MICRO_VARIANTS.map((v) => microVariantName(v)),
  concurrency: 1,
  // timed: the variants, each for duration_ms after a warm-up; switch: the switch ladder's rung (yields per
  // fiber); probe: Fiber.stats() only (which fiber backend runs)
  program: {
    name: 'fiber-micro',
    forms: { timed: ['variants', 'duration_ms', 'recursion_depth'], switch: ['=switch', 'yields'], probe: ['=probe'] },
  },
  parameters: { recursion_depth: RECURSION_DEPTH, duration_ms: 1000, quick_duration_ms: 300 },
} satisfies WorkloadDeclaration;

// The result's variant name for a program variant.
export function microVariantName(variant: string): string {
  return variant === 'recursion' ? `recursion-${RECURSION_DEPTH}` : variant;
}

export interface MicroOutput {
  variant: string;
  ops_per_s: number;
  latency_us: LatencySummaryUs;
  cpu_pct: number;
  rss_bytes: number;
  backend?: string;
}

const PERCENTILES = ['p50', 'p90', 'p99', 'p999', 'max'] as const;

// The well-formed RESULT lines of one fiber-micro run, keyed by variant (malformed lines are left out).
export function parseMicroOutput(stdout: string): Map<string, MicroOutput> {
  const out = new Map<string, MicroOutput>();
  for (const r of parseJsonLines<Record<string, unknown>>(stdout)) {
    const latency = r.latency_us as Record<string, unknown> | undefined;
    if (typeof r.variant !== 'string' || typeof r.ops_per_s !== 'number' || !(r.ops_per_s > 0) || !latency) continue;
    if (!PERCENTILES.every((p) => typeof latency[p] === 'number' && (latency[p] as number) >= 0)) continue;
    const parsed: MicroOutput = {
      variant: r.variant,
      ops_per_s: r.ops_per_s,
      latency_us: Object.fromEntries(PERCENTILES.map((p) => [p, latency[p] as number])) as unknown as LatencySummaryUs,
      cpu_pct: typeof r.cpu_pct === 'number' ? r.cpu_pct : 0,
      rss_bytes: typeof r.rss_bytes === 'number' ? r.rss_bytes : 0,
    };
    if (typeof r.backend === 'string') parsed.backend = r.backend;
    out.set(r.variant, parsed);
  }
  return out;
}

export function microDurationMs(config: LabConfig): number {
  return config.quick ? FIBER_MICRO.parameters.quick_duration_ms : FIBER_MICRO.parameters.duration_ms;
}

export const fiberMicro: Workload = {
  ...FIBER_MICRO,
  steps: (config) => config.repetitions * PLANNED_TARGETS,
  async run(config, progress, into) {
    const { targets, notes } = await fiberTargets(config, true, true);
    for (const note of notes) progress.note(`fiber-micro: ${note}`);
    const durationMs = microDurationMs(config);
    const reps = new Map<string, RepetitionSample[]>();
    const backends = new Map<string, string>();
    const key = (target: Target, variant: string): string => `${target.label}\u0000${variant}`;
    for (let rep = 1; rep <= config.repetitions; rep++) {
      for (const target of targets) {
        progress.step(`fiber-micro ${target.label} rep ${rep}/${config.repetitions}`);
        const args = programArgs(FIBER_MICRO, 'timed', {
          variants: MICRO_VARIANTS.join(','),
          duration_ms: durationMs,
          recursion_depth: RECURSION_DEPTH,
        });
        const run = await runPinned(targetArgv(config, target, 'fiber-micro', args), config, 60000 + 10 * durationMs);
        const parsed = parseMicroOutput(run.stdout);
        for (const variant of MICRO_VARIANTS) {
          const list = reps.get(key(target, variant)) ?? [];
          reps.set(key(target, variant), list);
          const out = parsed.get(variant);
          if (!out) {
            list.push({
              throughputPerS: 0,
              serverCpuPct: 0,
              serverRssBytes: 0,
              invalidReason: run.code === 0 ? `no ${variant} result in the output` : failureReason(run),
            });
            continue;
          }
          if (out.backend) backends.set(target.label, out.backend);
          list.push({
            throughputPerS: out.ops_per_s,
            latencyUs: out.latency_us,
            serverCpuPct: out.cpu_pct,
            serverRssBytes: out.rss_bytes,
          });
        }
      }
    }
    for (const variant of MICRO_VARIANTS) {
      for (const target of targets) {
        const pointKey: PointKey = {
          name: FIBER_MICRO.name,
          variant: microVariantName(variant),
          ...targetOf(target.runtime, backends.get(target.label) ?? target.backend),
          mode: 'closed',
          connections: FIBER_MICRO.concurrency,
        };
        const samples = reps.get(key(target, variant)) ?? [];
        const point: WorkloadResult = samples.length
          ? aggregatePoint(pointKey, samples, config.repetitions)
          : invalidPoint(pointKey, 'not run');
        into.workloads.push(forTarget(point, target, backends.get(target.label) ?? target.backend));
      }
    }
  },
};
