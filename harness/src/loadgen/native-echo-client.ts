// The tcp-echo load generator in the N-API addon (epoll, one thread), which Node's own sockets cannot match;
// its raw latencies are folded into HdrHistograms here.
import { createLatencyHistogram, encodeHistogram, recordNs } from '../recorders/histogram.js';
import type { NativeAddon } from '../native-addon.js';
import type { EchoLoadConfig, LoadResult } from './loadgen-protocol.js';

function histogramOf(values: Float64Array): string {
  const histogram = createLatencyHistogram();
  for (const v of values) recordNs(histogram, v);
  return encodeHistogram(histogram);
}

export function runNativeEchoLoad(addon: NativeAddon, config: EchoLoadConfig): LoadResult {
  const raw = addon.runEchoLoad({
    host: config.host,
    port: config.port,
    connections: config.connections,
    messageSize: config.messageSize,
    warmupS: config.warmupS,
    durationS: config.durationS,
    open: config.mode === 'open',
    ratePerS: config.ratePerS ?? 0,
  });
  const result: LoadResult = {
    completed: raw.completed,
    errors: raw.errors,
    mismatches: raw.mismatches,
    elapsedS: raw.elapsedS,
    throughputPerS: raw.completed / raw.elapsedS,
    histogram: histogramOf(raw.correctedNs),
    cpuPct: Math.round((raw.cpuS / raw.elapsedS) * 1000) / 10,
  };
  if (raw.firstError) result.firstError = raw.firstError;
  if (config.mode === 'open') {
    result.histogramUncorrected = histogramOf(raw.uncorrectedNs);
    const lag = createLatencyHistogram();
    for (const v of raw.lagNs) recordNs(lag, v);
    result.lagP99Us = Math.round(lag.getValueAtPercentile(99) / 100) / 10;
  }
  return result;
}
