// Folds per-repetition measurements of one point (workload, variant, runtime, mode) into a WorkloadResult.
import { encodeHistogram, mergeEncoded, summarizeUs } from '../recorders/histogram.js';
import type { LatencySummaryUs, LoadMode, RuntimeName, WorkloadResult } from './schema.js';

export interface RepetitionSample {
  throughputPerS: number;
  histogram?: string; // encoded, ns
  histogramUncorrected?: string;
  latencyUs?: LatencySummaryUs; // when the program summarised its own latencies (self-timed workloads)
  serverCpuPct: number;
  serverRssBytes: number;
  invalidReason?: string; // set when this repetition cannot be trusted
}

export interface PointKey {
  name: string;
  variant: string;
  runtime: RuntimeName;
  mode: LoadMode;
  connections: number;
  offeredRatePerS?: number;
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
    runtime: key.runtime,
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
  if (merged) result.histogram = encodeHistogram(merged);
  const uncorrected = reps.map((r) => r.histogramUncorrected).filter((h): h is string => Boolean(h));
  if (uncorrected.length) result.latency_uncorrected_us = summarizeUs(mergeEncoded(uncorrected));
  if (key.runtime === 'corojs') result.fiber_backend = 'thread';
  return result;
}

function medianLatency(latencies: readonly LatencySummaryUs[]): LatencySummaryUs {
  const pick = (field: keyof LatencySummaryUs): number => round(median(latencies.map((l) => l[field])), 2);
  return { p50: pick('p50'), p90: pick('p90'), p99: pick('p99'), p999: pick('p999'), max: pick('max') };
}

// An entry for a point that could not be measured at all (runtime missing, server failed to start...).
export function invalidPoint(key: PointKey, reason: string): WorkloadResult {
  return { ...aggregatePoint(key, [], 0), valid: false, invalid_reason: reason };
}
