// file-io: read, write, append and fsync mixes on files of 4 KiB, 1 MiB and 64 MiB, 8 concurrent fibers / async
// workers per program, files under the run's workDir (quick runs leave out the 64 MiB files).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { LabConfig } from '../lab-config.js';
import type { Progress } from '../report/progress.js';
import { PLANNED_TARGETS, type FiberSection } from './fiber-common.js';
import { runSelfTimed } from './self-timed.js';

export function fileIoVariants(quick: boolean): string[] {
  const all = ['read-4KiB', 'read-1MiB', 'read-64MiB', 'write-4KiB', 'write-1MiB', 'write-64MiB', 'append-4KiB', 'fsync-4KiB', 'fsync-1MiB'];
  return quick ? all.filter((v) => !v.endsWith('64MiB')) : all;
}

const secondsPerVariant = (config: LabConfig): number => (config.quick ? 0.5 : Math.max(1, config.durationS / 2));

export const fileIoEntry = {
  name: 'file-io' as const,
  steps: (config: LabConfig): number => config.repetitions * PLANNED_TARGETS,
  async run(config: LabConfig, progress: Progress, into: FiberSection): Promise<void> {
    const dir = path.join(config.workDir, 'file-io');
    mkdirSync(dir, { recursive: true });
    const variants = fileIoVariants(config.quick);
    const seconds = secondsPerVariant(config);
    into.workloads.push(...(await runSelfTimed({
      name: 'file-io', variants, concurrency: 8, timeoutMs: (variants.length * (seconds + 5) + 30) * 1000,
      args: [dir, variants.join(','), String(seconds), '8'],
    }, config, progress)));
  },
};
