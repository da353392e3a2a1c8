// One repetition measured by the load generator child (native unless LAB_JS_LOADGEN=1): runs it against the
// server and turns its LoadResult into a Measured with the validity verdict of loadgen/validity.ts.
import type { LabConfig } from '../lab-config.js';
import type { LoadConfig } from '../loadgen/loadgen-protocol.js';
import { runLoadgen } from '../loadgen/run-loadgen.js';
import { generatorFigures, loadInvalidReason, scheduleMissed } from '../loadgen/validity.js';
import type { LoadMode } from '../results/schema.js';
import type { Measured, ServerHandle, VariantSpec } from './server-grid.js';

const QUICK_OPEN_DURATION_S = 1;
const QUICK_OPEN_WARMUP_S = 0.3;

export type LoadBase = Omit<LoadConfig, 'port' | 'mode' | 'ratePerS' | 'serverPid'>;

// What a workload's variant chooses of the load; the host (loopback), connection count and windows are the run's.
export type VariantLoad = Pick<LoadBase, 'kind' | 'transport' | 'pattern' | 'messageSize' | 'tls'>;

// One variant of a server workload measured by the load generator in the given modes.
export function loadVariant(
  config: LabConfig,
  variant: string,
  connections: number,
  modes: VariantSpec['modes'],
  load: VariantLoad,
): VariantSpec {
  const base: LoadBase = {
    ...load,
    host: '127.0.0.1',
    connections,
    warmupS: config.warmupS,
    durationS: config.durationS,
  };
  return {
    variant,
    connections,
    modes,
    measure: (server, mode, ratePerS) => measureLoad(base, server, mode, config, ratePerS),
  };
}

export async function measureLoad(
  base: LoadBase,
  server: ServerHandle,
  mode: LoadMode,
  config: LabConfig,
  ratePerS?: number,
): Promise<Measured> {
  const load: LoadConfig = { ...base, port: server.port, serverPid: server.pid, mode };
  if (mode === 'open' && config.quick) {
    // The quick suite's ladder rungs: 1 s windows after 0.3 s (the rate is far below saturation, so the server
    // is in steady state at once; thousands of operations still make p99.9 and CPU per operation).
    load.durationS = Math.min(load.durationS, QUICK_OPEN_DURATION_S);
    load.warmupS = Math.min(load.warmupS, QUICK_OPEN_WARMUP_S);
  }
  if (ratePerS !== undefined) load.ratePerS = ratePerS;
  const result = await runLoadgen(load, config.loadCpus);
  const measured: Measured = {
    throughputPerS: result.throughputPerS,
    histogram: result.histogram,
    generator: result.generator,
    generatorCpuPct: result.cpuPct,
  };
  if (result.histogramUncorrected) measured.histogramUncorrected = result.histogramUncorrected;
  if (result.serverCpuPct !== undefined) measured.serverCpuPct = result.serverCpuPct;
  if (result.serverCpuUsPerOp !== undefined) measured.serverCpuUsPerOp = result.serverCpuUsPerOp;
  const loadFigures = {
    ...generatorFigures(`${result.generator} generator`, result),
    ...(result.lagP99Us !== undefined ? { lagP99Us: result.lagP99Us } : {}),
    ...(mode === 'open' && load.ratePerS ? { ratePerS: load.ratePerS, throughputPerS: result.throughputPerS } : {}),
  };
  const why = loadInvalidReason(loadFigures, mode);
  if (result.lagP99Us !== undefined) measured.sendLagP99Us = result.lagP99Us;
  if (why && mode === 'open' && why === scheduleMissed(loadFigures)) measured.scheduleMissed = true;
  if (why) measured.invalidReason = why;
  return measured;
}
