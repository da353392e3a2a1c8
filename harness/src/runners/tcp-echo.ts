// tcp-echo: messages of 64 B, 4 KiB and 64 KiB over 100 connections, closed loop and the open-loop ladder.
import type { LabConfig } from '../lab-config.js';
import { loadVariant } from './load-point.js';
import { serverWorkload, type ServerWorkloadSpec, type VariantSpec } from './server-grid.js';
import { concurrencyOf, variantsOf, type WorkloadDeclaration } from './workload.js';

export const ECHO_SIZES: Readonly<Record<string, number>> = { '64B': 64, '4KiB': 4096, '64KiB': 65536 };

export const TCP_ECHO = {
  name: 'tcp-echo',
  about: 'echo server, 64 B / 4 KiB / 64 KiB messages over 100 connections, closed loop and the open-loop ladder',
  variants: Object.keys(ECHO_SIZES),
  quick: ['64B', '64KiB'], // the smallest and largest message (the time budget)
  concurrency: 100,
  program: { name: 'tcp-echo', forms: { serve: ['port', 'host'] } },
  parameters: { quick_open_loop: ['64B'] }, // the quick suite runs the open-loop ladder on these only
} satisfies WorkloadDeclaration;

export function tcpEchoSpec(config: LabConfig): ServerWorkloadSpec {
  const variants: VariantSpec[] = variantsOf(TCP_ECHO, config.quick).map((variant) =>
    loadVariant(
      config,
      variant,
      concurrencyOf(TCP_ECHO, variant),
      config.quick && !TCP_ECHO.parameters.quick_open_loop.includes(variant) ? ['closed'] : ['closed', 'open'],
      { kind: 'echo', transport: 'tcp', pattern: 'steady', messageSize: ECHO_SIZES[variant]! },
    ),
  );
  return { name: TCP_ECHO.name, serverArgs: {}, variants };
}

export const tcpEcho = serverWorkload(TCP_ECHO, tcpEchoSpec);
