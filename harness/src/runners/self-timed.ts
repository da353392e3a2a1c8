// Workloads whose program times itself (file-io, dns): each target's program runs pinned to the server CPU for
// every repetition (interleaved across targets) and prints `RESULT {variant, ops, seconds, latency_ns:
// [[ns, count]...], cpu_pct, rss_bytes, errors?, first_error?}` per variant; the latencies become an
// HdrHistogram, the repetitions a WorkloadResult per variant and target.
import type { LabConfig } from '../lab-config.js';
import { GENERATOR_MAX_PCT } from '../loadgen/validity.js';
import { createLatencyHistogram, encodeHistogram } from '../recorders/histogram.js';
import type { Progress } from '../report/progress.js';
import { aggregatePoint, invalidPoint, type PointKey, type RepetitionSample } from '../results/aggregate.js';
import { targetOf, type WorkloadResult } from '../results/schema.js';
import { failureReason, parseJsonLines, runPinned } from '../process/run-command.js';
import { fiberTargets, forTarget, targetArgv, type Target } from '../targets.js';

export interface SelfTimedOutput {
  variant: string;
  ops: number;
  seconds: number;
  latency_ns: Array<[number, number]>;
  cpu_pct?: number;
  peer_cpu_pct?: number; // the peer's (dns: dnsmasq's) CPU over the same window
  rss_bytes?: number;
  errors?: number;
  first_error?: string;
}

// One repetition's sample from a program's RESULT line (errors make it invalid: every answer is checked). With a
// peer (dns: dnsmasq on the load CPU), the peer is the load side: it must stay under GENERATOR_MAX_PCT of its
// core, or the point measures the peer.
export function sampleFromOutput(
  out: SelfTimedOutput | undefined,
  whyMissing: string,
  peerName?: string,
): RepetitionSample {
  if (!out || !(out.seconds > 0))
    return { throughputPerS: 0, serverCpuPct: 0, serverRssBytes: 0, generatorCpuPct: 0, invalidReason: whyMissing };
  const histogram = createLatencyHistogram();
  for (const [ns, count] of out.latency_ns) histogram.recordValueWithCount(Math.max(1, Math.round(ns)), count);
  const sample: RepetitionSample = {
    throughputPerS: out.ops / out.seconds,
    serverCpuPct: out.cpu_pct ?? 0,
    serverRssBytes: out.rss_bytes ?? 0,
    generatorCpuPct: Math.round((out.peer_cpu_pct ?? 0) * 10) / 10,
    histogram: encodeHistogram(histogram),
  };
  if (out.errors) sample.invalidReason = `${out.errors} failed operations (${out.first_error ?? 'no detail'})`;
  else if (out.ops === 0) sample.invalidReason = 'no operation completed';
  else if (peerName && sample.generatorCpuPct! >= GENERATOR_MAX_PCT) {
    sample.invalidReason = `${peerName} saturated: ${sample.generatorCpuPct}% of its core (needs < ${GENERATOR_MAX_PCT}%), program ${Math.round(sample.serverCpuPct * 10) / 10}%`;
  }
  return sample;
}

export interface SelfTimedSpec {
  name: string; // workloads/<name>.mjs, baselines/<name>.ts
  variants: readonly string[];
  args: readonly string[]; // program arguments
  concurrency: number; // recorded as `connections`
  timeoutMs: number;
  peerName?: string; // the load-side peer whose CPU the program reports as peer_cpu_pct (dns: dnsmasq)
}

export async function runSelfTimed(
  spec: SelfTimedSpec,
  config: LabConfig,
  progress: Progress,
): Promise<WorkloadResult[]> {
  const { targets, notes } = await fiberTargets(config, true, true);
  for (const note of notes) progress.note(`${spec.name}: ${note}`);
  const reps = new Map<string, RepetitionSample[]>();
  const key = (target: Target, variant: string): string => `${target.label}\u0000${variant}`;
  for (let rep = 1; rep <= config.repetitions; rep++) {
    for (const target of targets) {
      progress.step(`${spec.name} ${target.label} rep ${rep}/${config.repetitions}`);
      const run = await runPinned(targetArgv(config, target, spec.name, spec.args), config, spec.timeoutMs);
      const outputs = new Map(parseJsonLines<SelfTimedOutput>(run.stdout).map((o) => [o.variant, o]));
      for (const variant of spec.variants) {
        const list = reps.get(key(target, variant)) ?? [];
        reps.set(key(target, variant), list);
        list.push(
          sampleFromOutput(
            outputs.get(variant),
            run.code === 0 ? `no ${variant} result in the output` : failureReason(run),
            spec.peerName,
          ),
        );
      }
    }
  }
  const results: WorkloadResult[] = [];
  for (const variant of spec.variants) {
    for (const target of targets) {
      const pointKey: PointKey = {
        name: spec.name,
        variant,
        ...targetOf(target.runtime, target.backend),
        mode: 'closed',
        connections: spec.concurrency,
      };
      const samples = reps.get(key(target, variant)) ?? [];
      const point = samples.length
        ? aggregatePoint(pointKey, samples, config.repetitions)
        : invalidPoint(pointKey, 'not run');
      results.push(forTarget(point, target));
    }
  }
  return results;
}
