// The native load generator in the N-API addon (epoll + OpenSSL, one thread, no JavaScript per message): TCP
// and TLS echo, HTTP/1.1, steady or per-operation handshakes; its raw latencies become HdrHistograms here.
import { createLatencyHistogram, encodeHistogram, recordNs } from '../recorders/histogram.js';
import type { NativeAddon } from '../native-addon.js';
import { serverCpuFigures, type LoadConfig, type LoadResult } from './loadgen-protocol.js';

function histogramOf(values: Float64Array): ReturnType<typeof createLatencyHistogram> {
  const histogram = createLatencyHistogram();
  for (const v of values) recordNs(histogram, v);
  return histogram;
}

export function runNativeLoad(addon: NativeAddon, config: LoadConfig): LoadResult {
  const raw = addon.runLoad({
    host: config.host,
    port: config.port,
    protocol: config.kind,
    tls: config.transport === 'tls',
    caPem: config.tls?.ca ?? '',
    servernames: config.tls?.servernames ?? [],
    handshake: config.pattern === 'handshake',
    connections: config.connections,
    messageSize: config.messageSize,
    warmupS: config.warmupS,
    durationS: config.durationS,
    drainS: config.drainS ?? 2,
    open: config.mode === 'open',
    ratePerS: config.ratePerS ?? 0,
    serverPid: config.serverPid ?? 0,
  });
  const elapsedS = raw.elapsedS > 0 ? raw.elapsedS : config.durationS;
  const result: LoadResult = {
    generator: 'native',
    completed: raw.completed,
    errors: raw.errors,
    mismatches: raw.mismatches,
    elapsedS,
    throughputPerS: raw.completed / elapsedS,
    histogram: encodeHistogram(histogramOf(raw.correctedNs)),
    histogramUncorrected: encodeHistogram(histogramOf(raw.uncorrectedNs)),
    cpuPct: Math.round((raw.cpuS / elapsedS) * 1000) / 10,
    ...serverCpuFigures(raw.serverCpuS, elapsedS, raw.completed),
  };
  if (raw.firstError) result.firstError = raw.firstError;
  if (config.mode === 'open') {
    result.lagP99Us = Math.round(histogramOf(raw.lagNs).getValueAtPercentile(99) / 100) / 10;
    result.unsent = raw.unsent;
  }
  return result;
}
