// tcp-echo: messages of 64 B, 4 KiB and 64 KiB over 100 connections, closed loop and the open-loop ladder.
import type { LabConfig } from '../lab-config.js';
import { measureLoad } from './load-point.js';
import type { ServerWorkloadSpec, VariantSpec } from './server-grid.js';

export const ECHO_SIZES: ReadonlyArray<{ variant: string; bytes: number }> = [
  { variant: '64B', bytes: 64 },
  { variant: '4KiB', bytes: 4096 },
  { variant: '64KiB', bytes: 65536 },
];

export function tcpEchoSpec(config: LabConfig): ServerWorkloadSpec {
  const connections = 100;
  // Quick runs keep the smallest and largest message (the time budget); the default suite has all three.
  const sizes = config.quick ? ECHO_SIZES.filter((s) => s.variant !== '4KiB') : ECHO_SIZES;
  const variants: VariantSpec[] = sizes.map(({ variant, bytes }) => ({
    variant,
    connections,
    // The quick suite runs the open-loop ladder on the 64 B messages only (its time budget).
    modes: config.quick && variant !== '64B' ? ['closed'] : ['closed', 'open'],
    measure: (server, mode, ratePerS) =>
      measureLoad(
        { kind: 'echo', host: '127.0.0.1', transport: 'tcp', pattern: 'steady', connections, messageSize: bytes, warmupS: config.warmupS, durationS: config.durationS },
        server, mode, config, ratePerS,
      ),
  }));
  return { name: 'tcp-echo', serverArgs: [], variants };
}
