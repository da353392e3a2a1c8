// file-io: read, write, append and fsync mixes on files of 4 KiB, 1 MiB and 64 MiB, K concurrent fibers / async
// workers per program, files under the run's workDir (quick runs leave out the 64 MiB files).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { LabConfig } from '../lab-config.js';
import { PLANNED_TARGETS } from '../targets.js';
import { runSelfTimed } from './self-timed.js';
import { programArgs, variantsOf, type Workload, type WorkloadDeclaration } from './workload.js';

const VARIANTS = [
  'read-4KiB',
  'read-1MiB',
  'read-64MiB',
  'write-4KiB',
  'write-1MiB',
  'write-64MiB',
  'append-4KiB',
  'fsync-4KiB',
  'fsync-1MiB',
];

export const FILE_IO = {
  name: 'file-io',
  about: 'read, write, append and fsync mixes on 4 KiB, 1 MiB and 64 MiB files (every read checked)',
  variants: VARIANTS,
  quick: VARIANTS.filter((v) => !v.endsWith('64MiB')),
  concurrency: 8,
  program: { name: 'file-io', forms: { run: ['dir', 'variants', 'seconds', 'concurrency'] } },
  parameters: { quick_seconds_per_variant: 0.5 }, // else half of --duration, at least 1 s
} satisfies WorkloadDeclaration;

const secondsPerVariant = (config: LabConfig): number =>
  config.quick ? FILE_IO.parameters.quick_seconds_per_variant : Math.max(1, config.durationS / 2);

export const fileIo: Workload = {
  ...FILE_IO,
  steps: (config) => config.repetitions * PLANNED_TARGETS,
  async run(config, progress, into) {
    const dir = path.join(config.workDir, 'file-io');
    mkdirSync(dir, { recursive: true });
    const variants = variantsOf(FILE_IO, config.quick);
    const seconds = secondsPerVariant(config);
    into.workloads.push(
      ...(await runSelfTimed(
        {
          name: FILE_IO.name,
          variants,
          concurrency: FILE_IO.concurrency,
          timeoutMs: (variants.length * (seconds + 5) + 30) * 1000,
          args: programArgs(FILE_IO, 'run', {
            dir,
            variants: variants.join(','),
            seconds,
            concurrency: FILE_IO.concurrency,
          }),
        },
        config,
        progress,
      )),
    );
  },
};
