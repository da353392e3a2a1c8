// Latency histograms (HdrHistogram): values are recorded in nanoseconds and summarised in microseconds.
import * as hdr from 'hdr-histogram-js';
import type { LatencySummaryUs } from '../results/schema.js';

export type LatencyHistogram = hdr.Histogram;

// 1 ns .. 60 s at 3 significant digits: 0.1% resolution at every scale.
export function createLatencyHistogram(): LatencyHistogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60e9,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
  });
}

export function recordNs(histogram: LatencyHistogram, ns: number): void {
  histogram.recordValue(Math.max(1, Math.round(ns)));
}

const roundUs = (ns: number): number => Math.round(ns / 10) / 100;

export function summarizeUs(histogram: LatencyHistogram): LatencySummaryUs {
  if (histogram.totalCount === 0) return { p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  return {
    p50: roundUs(histogram.getValueAtPercentile(50)),
    p90: roundUs(histogram.getValueAtPercentile(90)),
    p99: roundUs(histogram.getValueAtPercentile(99)),
    p999: roundUs(histogram.getValueAtPercentile(99.9)),
    max: roundUs(histogram.maxValue),
  };
}

export function encodeHistogram(histogram: LatencyHistogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

export function decodeHistogram(encoded: string): LatencyHistogram {
  return hdr.decodeFromCompressedBase64(encoded);
}

// Merges encoded histograms (one per repetition) into one.
export function mergeEncoded(encoded: readonly string[]): LatencyHistogram {
  const merged = createLatencyHistogram();
  for (const text of encoded) merged.add(decodeHistogram(text));
  return merged;
}
