// Parses the lab's command line into a LabConfig (pure, so it is testable).
import os from 'node:os';
import path from 'node:path';
import type { LabConfig } from './lab-config.js';
import { WORKLOAD_NAMES, workloadsHelp } from './runners/registry.js';
import { RUNTIMES } from './runtimes.js';
import { FIBER_BACKENDS } from './targets.js';

export const USAGE = `usage: npm run lab -- [--quick] [--only a,b | --skip a,b] [--out FILE] [--repetitions N] [--duration S] [--ab REV]
                          [--fiber-backends LIST] [--targets LIST]

  --quick           the short suite: fewer variants, shorter runs (README gives its measured time)
  --only LIST       comma-separated workloads (below): ${WORKLOAD_NAMES.join(', ')}
  --skip LIST       every workload but these
  --out FILE        result file (default results/latest.json)
  --repetitions N   repetitions per measured point (default 3, minimum 3)
  --duration S      seconds per repetition (default 5, quick 2)
  --ab REV          also build the runtime at git revision REV (build/ab/<short-sha>/, its own build script)
                    and measure it as extra CoroJS targets interleaved with this build on every CoroJS point;
                    \`npm run compare -- --ab FILE\` then tests this build against REV within the one file
  --fiber-backends LIST  the CoroJS fiber backends to measure (default all: ${FIBER_BACKENDS.join(', ')})
  --targets LIST    the runtimes to measure: ${RUNTIMES.join(', ')} (default every one installed; a peer
                    named here that is missing is an error, one left to the default is reported not run)
  --help            this text

Servers run pinned to CPU 0 and load generators to CPU 1 (LAB_SERVER_CPUS / LAB_LOAD_CPUS override).

Workloads (declared beside their runners, harness/src/runners/<name>.ts):
${workloadsHelp()}`;

export type ParsedArgs = { help: true } | { help: false; config: LabConfig } | { help: false; error: string };

export function parseArgs(argv: readonly string[], root: string, env: NodeJS.ProcessEnv = process.env): ParsedArgs {
  let quick = false;
  let only: string[] | null = null;
  let skip: string[] = [];
  let out = path.join(root, 'results/latest.json');
  let repetitions = 3;
  let duration: number | null = null;
  let abRev: string | null = null;
  let fiberBackends: string[] | null = null;
  let targets: string[] | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    try {
      if (arg === '--help' || arg === '-h') return { help: true };
      else if (arg === '--quick') quick = true;
      else if (arg === '--only')
        only = value()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
      else if (arg === '--skip')
        skip = value()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
      else if (arg === '--out') out = path.resolve(value());
      else if (arg === '--repetitions') repetitions = Number(value());
      else if (arg === '--duration') duration = Number(value());
      else if (arg === '--ab') abRev = value();
      else if (arg === '--fiber-backends')
        fiberBackends = value()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
      else if (arg === '--targets')
        targets = value()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
      else return { help: false, error: `unknown argument ${arg}` };
    } catch (error) {
      return { help: false, error: (error as Error).message };
    }
  }
  const unknown = [...(only ?? []), ...skip].filter((name) => !WORKLOAD_NAMES.includes(name));
  if (only && skip.length) return { help: false, error: '--only and --skip exclude each other' };
  if (skip.length) only = WORKLOAD_NAMES.filter((name) => !skip.includes(name));
  if (unknown.length)
    return {
      help: false,
      error: `unknown workload(s): ${unknown.join(', ')} (the workloads: ${WORKLOAD_NAMES.join(', ')})`,
    };
  if (!Number.isInteger(repetitions) || repetitions < 3)
    return { help: false, error: '--repetitions must be an integer >= 3' };
  if (duration !== null && !(duration > 0)) return { help: false, error: '--duration must be > 0' };
  const unknownBackends = (fiberBackends ?? []).filter((b) => !(FIBER_BACKENDS as readonly string[]).includes(b));
  if (fiberBackends && (fiberBackends.length === 0 || unknownBackends.length)) {
    return { help: false, error: `--fiber-backends takes a list of ${FIBER_BACKENDS.join(', ')}` };
  }
  const unknownTargets = (targets ?? []).filter((t) => !(RUNTIMES as readonly string[]).includes(t));
  if (targets && (targets.length === 0 || unknownTargets.length)) {
    return {
      help: false,
      error: `--targets takes a list of ${RUNTIMES.join(', ')}${unknownTargets.length ? ` (unknown: ${unknownTargets.join(', ')})` : ''}`,
    };
  }
  const cpus = os.cpus().length;
  return {
    help: false,
    config: {
      root,
      quick,
      only,
      out,
      repetitions,
      warmupS: quick ? 0.5 : 1,
      durationS: duration ?? (quick ? 2 : 5),
      serverCpus: env.LAB_SERVER_CPUS ?? '0',
      loadCpus: env.LAB_LOAD_CPUS ?? (cpus > 1 ? '1' : '0'),
      workDir: path.join(os.tmpdir(), `corojs-lab-${process.pid}`),
      abRev,
      fiberBackends,
      targets: targets ? [...new Set(targets)] : null,
    },
  };
}
