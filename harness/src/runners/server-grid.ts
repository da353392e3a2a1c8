// Runs a server workload's grid: every target's server (CoroJS on each fiber backend that really runs, node18,
// node20) pinned to the server CPU, variants x modes x repetitions interleaved across targets, server CPU/RSS
// sampled from /proc while each point is measured. Each variant runs closed loop (max throughput) and then an
// open-loop ladder: constant rates that are the same for every target (fractions of the slowest target's
// closed-loop throughput), where server CPU per operation compares the targets at equal offered load.
import type { LabConfig } from '../lab-config.js';
import { startServer, type RunningServer } from '../process/server-process.js';
import { startProcSampler } from '../recorders/proc-sampler.js';
import type { Progress } from '../report/progress.js';
import { aggregatePoint, invalidPoint, median, type PointKey, type RepetitionSample } from '../results/aggregate.js';
import {
  targetOf,
  type LatencySummaryUs,
  type LoadMode,
  type RunError,
  type WorkloadResult,
} from '../results/schema.js';
import { fiberTargets, forTarget, PLANNED_TARGETS, targetArgv } from '../targets.js';
import { programArgs, type Workload, type WorkloadDeclaration } from './workload.js';

export interface Measured {
  throughputPerS: number;
  histogram?: string;
  histogramUncorrected?: string;
  latencyUs?: LatencySummaryUs; // when the generator reports only a summary (wrk, autocannon)
  generator?: string; // native, node, wrk, autocannon
  generatorCpuPct?: number; // the generator's CPU over its measured window
  serverCpuPct?: number; // the server's CPU over the same window (else the harness's /proc sampling is used)
  serverCpuUsPerOp?: number;
  sendLagP99Us?: number; // open loop: the generator's own send lag p99 (its schedule kept or not)
  invalidReason?: string;
  scheduleMissed?: boolean; // open loop: invalid only because the generator missed its schedule
}

export interface ServerHandle {
  port: number;
  pid: number;
}

// The open-loop ladder: fractions of the slowest target's closed-loop throughput (the same rates for all).
export const DEFAULT_OPEN_LADDER = [0.25, 0.5];

export interface VariantSpec {
  variant: string;
  connections: number;
  modes: readonly LoadMode[];
  measure(server: ServerHandle, mode: LoadMode, ratePerS?: number): Promise<Measured>;
}

export interface ServerWorkloadSpec {
  name: string; // result name and program name (workloads/<name>.mjs, baselines/<name>.ts)
  serverArgs: Readonly<Record<string, string>>; // the program's `serve` arguments after port and host
  variants: readonly VariantSpec[];
  openLadder?: readonly number[]; // open-loop rates as fractions of the slowest target's closed-loop throughput
}

const ladderOf = (spec: ServerWorkloadSpec): readonly number[] => spec.openLadder ?? DEFAULT_OPEN_LADDER;

export function plannedSteps(spec: ServerWorkloadSpec, config: LabConfig): number {
  const runs = (v: VariantSpec): number =>
    v.modes.reduce((n, mode) => n + (mode === 'open' ? ladderOf(spec).length : 1), 0);
  return spec.variants.reduce((n, v) => n + runs(v) * config.repetitions * PLANNED_TARGETS, 0);
}

async function measureRepetition(
  server: RunningServer,
  variant: VariantSpec,
  mode: LoadMode,
  ratePerS?: number,
): Promise<RepetitionSample> {
  const sampler = startProcSampler(server.pid);
  let measured: Measured;
  try {
    measured = await variant.measure({ port: server.port, pid: server.pid }, mode, ratePerS);
  } catch (error) {
    measured = { throughputPerS: 0, invalidReason: (error as Error).message.split('\n')[0] };
  }
  const usage = sampler.stop();
  const sample: RepetitionSample = {
    throughputPerS: measured.throughputPerS,
    serverCpuPct: measured.serverCpuPct ?? usage.cpuPct,
    serverRssBytes: usage.maxRssBytes,
    generatorCpuPct: measured.generatorCpuPct ?? 0,
  };
  if (measured.serverCpuUsPerOp !== undefined) sample.serverCpuUsPerOp = measured.serverCpuUsPerOp;
  if (measured.generator) sample.generator = measured.generator;
  if (measured.sendLagP99Us !== undefined) sample.sendLagP99Us = measured.sendLagP99Us;
  if (measured.histogram) sample.histogram = measured.histogram;
  if (measured.histogramUncorrected) sample.histogramUncorrected = measured.histogramUncorrected;
  if (measured.latencyUs) sample.latencyUs = measured.latencyUs;
  if (measured.invalidReason) sample.invalidReason = measured.invalidReason;
  if (measured.scheduleMissed) sample.scheduleMissed = true;
  return sample;
}

// One repetition; an open-loop one whose generator missed its schedule (a hiccup on the 2-core VM's load core,
// where any other process delays its wake-ups by milliseconds) is measured once more, and its record keeps the first
// attempt's reason. A second miss stands and makes the point invalid.
export async function measureWithRetry(
  server: RunningServer,
  variant: VariantSpec,
  mode: LoadMode,
  ratePerS?: number,
): Promise<RepetitionSample> {
  const first = await measureRepetition(server, variant, mode, ratePerS);
  if (!first.scheduleMissed) return first;
  const second = await measureRepetition(server, variant, mode, ratePerS);
  return { ...second, retriedAfter: first.invalidReason! };
}

export async function runServerGrid(
  declaration: WorkloadDeclaration,
  spec: ServerWorkloadSpec,
  config: LabConfig,
  progress: Progress,
  errors: RunError[] = [],
): Promise<WorkloadResult[]> {
  const { targets, notes } = await fiberTargets(config, true, true);
  for (const note of notes) progress.note(`${spec.name}: ${note}`);
  const servers = new Map<string, RunningServer>();
  const unavailable = new Map<string, string>();
  for (const target of targets) {
    try {
      servers.set(
        target.label,
        await startServer(
          targetArgv(
            config,
            target,
            spec.name,
            programArgs(declaration, 'serve', { port: 0, host: '127.0.0.1', ...spec.serverArgs }),
          ),
          config.serverCpus,
        ),
      );
    } catch (error) {
      unavailable.set(target.label, `server did not start: ${(error as Error).message.slice(0, 300)}`);
      errors.push({
        workload: spec.name,
        message: `${target.label}: ${unavailable.get(target.label)!}`,
        target: target.label,
      });
      progress.note(
        `${spec.name}: ${target.label} server did not start: ${(error as Error).message.split('\n').slice(0, 3).join(' | ')}`,
      );
    }
  }
  const results: WorkloadResult[] = [];
  try {
    for (const variant of spec.variants) {
      let closedThroughputs: number[] = [];
      for (const mode of variant.modes) {
        // Closed loop is one run; open loop is the ladder of rates, set from the closed-loop throughputs.
        const base = closedThroughputs.filter((t) => t > 0);
        const rungs: Array<{ fraction?: number; ratePerS?: number }> =
          mode === 'closed'
            ? [{}]
            : ladderOf(spec).map((fraction) => ({
                fraction,
                ...(base.length ? { ratePerS: Math.max(1, Math.round(Math.min(...base) * fraction)) } : {}),
              }));
        for (const { fraction, ratePerS } of rungs) {
          const reps = new Map<string, RepetitionSample[]>(targets.map((t) => [t.label, []]));
          for (let rep = 1; rep <= config.repetitions; rep++) {
            for (const target of targets) {
              progress.step(
                `${spec.name} ${variant.variant} ${target.label} ${mode}${ratePerS ? ` @${ratePerS}/s` : ''} rep ${rep}/${config.repetitions}`,
              );
              const server = servers.get(target.label);
              if (!server || (mode === 'open' && ratePerS === undefined)) continue;
              reps.get(target.label)!.push(await measureWithRetry(server, variant, mode, ratePerS));
            }
          }
          for (const target of targets) {
            const key: PointKey = {
              name: spec.name,
              variant: variant.variant,
              ...targetOf(target.runtime, target.backend),
              mode,
              connections: variant.connections,
            };
            if (ratePerS !== undefined) key.offeredRatePerS = ratePerS;
            if (fraction !== undefined) key.loadFraction = fraction;
            const why =
              unavailable.get(target.label) ??
              (mode === 'open' && ratePerS === undefined
                ? 'no closed-loop throughput to set the open-loop rate from'
                : undefined);
            const point = forTarget(
              why ? invalidPoint(key, why) : aggregatePoint(key, reps.get(target.label)!, config.repetitions),
              target,
            );
            results.push(point);
            if (mode === 'closed' && point.valid) closedThroughputs.push(point.throughput_per_s);
          }
          if (mode === 'closed' && closedThroughputs.length === 0) {
            // No valid closed point (e.g. a saturated generator everywhere): the throughputs reached still bound
            // what every server can take, so the ladder stays below all of them.
            closedThroughputs = results
              .filter((r) => r.name === spec.name && r.variant === variant.variant && r.mode === 'closed')
              .map((r) => median(r.samples));
          }
        }
      }
    }
  } finally {
    await Promise.all([...servers.values()].map((s) => s.stop()));
  }
  return results;
}

// A server workload: its declaration and the grid its spec builds for a run.
export function serverWorkload(
  declaration: WorkloadDeclaration,
  spec: (config: LabConfig) => ServerWorkloadSpec,
): Workload {
  return {
    ...declaration,
    steps: (config) => plannedSteps(spec(config), config),
    run: async (config, progress, into) => {
      into.workloads.push(...(await runServerGrid(declaration, spec(config), config, progress, into.errors)));
    },
  };
}
