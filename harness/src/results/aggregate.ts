// Folds per-repetition measurements of one point (workload, variant, target, mode) into a WorkloadResult.
import { decodeHistogram, encodeHistogram, mergeEncoded, summarizeUs } from '../recorders/histogram.js';
import { targetOf, type LatencySummaryUs, type LoadMode, type RepetitionRecord, type TargetId, type WorkloadResult } from './schema.js';

export interface RepetitionSample {
  throughputPerS: number;
  histogram?: string; // encoded, ns
  histogramUncorrected?: string;
  latencyUs?: LatencySummaryUs; // when the program summarised its own latencies (self-timed workloads)
  serverCpuPct: number; // over the measured window
  serverRssBytes: number;
  generatorCpuPct?: number; // the load generator's (or peer's) own CPU over the same window
  serverCpuUsPerOp?: number; // server CPU per answered operation, µs
  sendLagP99Us?: number; // open loop: the generator's own send lag p99, µs
  generator?: string;
  invalidReason?: string; // set when this repetition cannot be trusted
  scheduleMissed?: boolean; // open loop: invalid only because the generator missed its schedule
  retriedAfter?: string; // measured again after a first attempt missed its schedule: that attempt's reason
}

export interface PointKey extends TargetId {
  name: string;
  variant: string;
  mode: LoadMode;
  connections: number;
  offeredRatePerS?: number;
  loadFraction?: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;

export function aggregatePoint(key: PointKey, reps: readonly RepetitionSample[], minRepetitions = 3): WorkloadResult {
  const reasons = [...new Set(reps.map((r) => r.invalidReason).filter((r): r is string => Boolean(r)))];
  if (reps.length < minRepetitions) reasons.push(`only ${reps.length} of ${minRepetitions} repetitions completed`);
  const histograms = reps.map((r) => r.histogram).filter((h): h is string => Boolean(h));
  const merged = histograms.length ? mergeEncoded(histograms) : null;
  const latency = merged
    ? summarizeUs(merged)
    : medianLatency(reps.map((r) => r.latencyUs).filter((l): l is LatencySummaryUs => Boolean(l)));
  const result: WorkloadResult = {
    name: key.name,
    variant: key.variant,
    ...targetOf(key.runtime, key.fiber_backend),
    mode: key.mode,
    connections: key.connections,
    throughput_per_s: round(median(reps.map((r) => r.throughputPerS))),
    latency_us: latency,
    server_cpu_pct: round(median(reps.map((r) => r.serverCpuPct))),
    server_rss_bytes: Math.max(0, ...reps.map((r) => r.serverRssBytes)),
    valid: reasons.length === 0,
    samples: reps.map((r) => round(r.throughputPerS)),
  };
  if (reasons.length) result.invalid_reason = reasons.join('; ');
  if (key.offeredRatePerS !== undefined) result.offered_rate_per_s = key.offeredRatePerS;
  if (key.loadFraction !== undefined) result.load_fraction = key.loadFraction;
  if (reps.length) {
    result.generator_cpu_pct = round(median(reps.map((r) => r.generatorCpuPct ?? 0)));
    const perOp = reps.map((r) => r.serverCpuUsPerOp).filter((x): x is number => x !== undefined);
    if (perOp.length === reps.length) result.server_cpu_us_per_op = round(median(perOp), 2);
    const generators = [...new Set(reps.map((r) => r.generator).filter((g): g is string => Boolean(g)))];
    if (generators.length) result.generator = generators.join('+');
    result.repetitions = reps.map(repetitionRecord);
  }
  if (merged) result.histogram = encodeHistogram(merged);
  const uncorrected = reps.map((r) => r.histogramUncorrected).filter((h): h is string => Boolean(h));
  if (uncorrected.length) result.latency_uncorrected_us = summarizeUs(mergeEncoded(uncorrected));
  return result;
}

function repetitionRecord(r: RepetitionSample): RepetitionRecord {
  const record: RepetitionRecord = { throughput_per_s: round(r.throughputPerS), server_cpu_pct: round(r.serverCpuPct), generator_cpu_pct: round(r.generatorCpuPct ?? 0) };
  if (r.serverCpuUsPerOp !== undefined) record.server_cpu_us_per_op = round(r.serverCpuUsPerOp, 2);
  if (r.sendLagP99Us !== undefined) record.generator_send_lag_p99_us = round(r.sendLagP99Us, 1);
  if (r.histogram) record.latency_us = summarizeUs(decodeHistogram(r.histogram));
  else if (r.latencyUs) record.latency_us = r.latencyUs;
  if (r.histogramUncorrected) record.latency_uncorrected_us = summarizeUs(decodeHistogram(r.histogramUncorrected));
  if (r.invalidReason) record.invalid_reason = r.invalidReason;
  if (r.retriedAfter) record.retried_after = r.retriedAfter;
  return record;
}

function medianLatency(latencies: readonly LatencySummaryUs[]): LatencySummaryUs {
  const pick = (field: keyof LatencySummaryUs): number => round(median(latencies.map((l) => l[field])), 2);
  return { p50: pick('p50'), p90: pick('p90'), p99: pick('p99'), p999: pick('p999'), max: pick('max') };
}

// An entry for a point that could not be measured at all (runtime missing, server failed to start...).
export function invalidPoint(key: PointKey, reason: string): WorkloadResult {
  return { ...aggregatePoint(key, [], 0), valid: false, invalid_reason: reason };
}
