// tcp-echo: messages of 64 B, 4 KiB and 64 KiB over 100 connections, closed and open loop.
import type { LabConfig } from '../lab-config.js';
import type { EchoLoadConfig } from '../loadgen/loadgen-protocol.js';
import { loadInvalidReason, runLoadgen } from '../loadgen/run-loadgen.js';
import type { LoadMode } from '../results/schema.js';
import type { Measured, ServerWorkloadSpec, VariantSpec } from './server-grid.js';

export const ECHO_SIZES: ReadonlyArray<{ variant: string; bytes: number }> = [
  { variant: '64B', bytes: 64 },
  { variant: '4KiB', bytes: 4096 },
  { variant: '64KiB', bytes: 65536 },
];

export async function measureEcho(base: Omit<EchoLoadConfig, 'port' | 'mode'>, port: number, mode: LoadMode, config: LabConfig, ratePerS?: number): Promise<Measured> {
  const load: EchoLoadConfig = { ...base, port, mode };
  if (ratePerS !== undefined) load.ratePerS = ratePerS;
  const result = await runLoadgen(load, config.loadCpus);
  const measured: Measured = { throughputPerS: result.throughputPerS, histogram: result.histogram };
  if (result.histogramUncorrected) measured.histogramUncorrected = result.histogramUncorrected;
  const why = loadInvalidReason(result, mode);
  if (why) measured.invalidReason = why;
  return measured;
}

export function tcpEchoSpec(config: LabConfig): ServerWorkloadSpec {
  const connections = 100;
  // Quick runs keep the smallest and largest message (the 10-minute budget); the default suite has all three.
  const sizes = config.quick ? ECHO_SIZES.filter((s) => s.variant !== '4KiB') : ECHO_SIZES;
  const variants: VariantSpec[] = sizes.map(({ variant, bytes }) => ({
    variant,
    connections,
    modes: ['closed', 'open'],
    measure: (port, mode, ratePerS) =>
      measureEcho(
        { kind: 'echo', host: '127.0.0.1', transport: 'tcp', pattern: 'steady', connections, messageSize: bytes, warmupS: config.warmupS, durationS: config.durationS },
        port, mode, config, ratePerS,
      ),
  }));
  return { name: 'tcp-echo', serverArgs: [], variants };
}
