// What a workload is, declared once beside its runner (Node's benchmark/common.js `createBenchmark(main, {grid})`
// idea): its name, variants, the --quick subset, connections or concurrency, its program's arguments and the other
// parameters. The CLI (--only, --help), the suite (registry.ts), the programs' argv and the README read it from there.
import type { LabConfig } from '../lab-config.js';
import type { Progress } from '../report/progress.js';
import type {
  InstructionCount,
  MemoryPoint,
  NotRun,
  RunError,
  StackSweepPoint,
  SwitchRung,
  WorkloadResult,
} from '../results/schema.js';

// What a runner adds to (structurally the suite's Section).
export interface Section {
  workloads: WorkloadResult[];
  switch_ladder: SwitchRung[];
  stack: StackSweepPoint[];
  memory: MemoryPoint[];
  instructions?: InstructionCount[];
  conclusions: Record<string, string>;
  errors: RunError[];
  not_run: NotRun[];
}

export interface WorkloadDeclaration {
  // The CLI name (--only), the runner's file name (runners/<name>.ts) and the result entries' `name`.
  name: string;
  about: string; // one line: what it measures
  variants: readonly string[];
  quick?: readonly string[]; // the variants --quick runs (absent: all of them)
  concurrency?: number | Readonly<Record<string, number>>; // connections or concurrent fibers/workers (per variant)
  // The program (workloads/<program>.mjs, build/ts/baselines/<program>.js, build/go/<program>) and its positional
  // arguments by name, one list per form; a name written `=word` is that literal word. The programs keep no
  // defaults: a missing argument is a usage error (exit 2) naming it.
  program?: { name: string; forms: Readonly<Record<string, readonly string[]>> };
  parameters?: Readonly<Record<string, unknown>>; // the runner's other parameters (counts, sizes, durations)
}

export interface Workload extends WorkloadDeclaration {
  steps(config: LabConfig): number; // planned progress steps
  run(config: LabConfig, progress: Progress, into: Section): Promise<void>;
}

// The variants a run measures: the --quick subset when quick.
export function variantsOf(
  workload: Pick<WorkloadDeclaration, 'variants' | 'quick'>,
  quick: boolean,
): readonly string[] {
  return quick && workload.quick ? workload.quick : workload.variants;
}

export function concurrencyOf(workload: Pick<WorkloadDeclaration, 'name' | 'concurrency'>, variant: string): number {
  const c = workload.concurrency;
  const n = typeof c === 'number' ? c : c?.[variant];
  if (n === undefined) throw new Error(`${workload.name} declares no concurrency for ${variant}`);
  return n;
}

// A program's usage line for one form: `fiber-micro switch <yields>`.
export function usageOf(program: NonNullable<WorkloadDeclaration['program']>, form: string): string {
  const names = program.forms[form];
  if (!names) throw new Error(`${program.name} has no form ${form}`);
  return [program.name, ...names.map((n) => (n.startsWith('=') ? n.slice(1) : `<${n}>`))].join(' ');
}

// The argv of one form of a workload's program from values by name, in the declared order; a missing or
// unknown name is the harness's bug and throws.
export function programArgs(
  workload: Pick<WorkloadDeclaration, 'program'>,
  form: string,
  values: Readonly<Record<string, string | number>>,
): string[] {
  const program = workload.program;
  const names = program?.forms[form];
  if (!program || !names) throw new Error(`no program form ${form}`);
  const unknown = Object.keys(values).filter((k) => !names.includes(k));
  const missing = names.filter((n) => !n.startsWith('=') && values[n] === undefined);
  if (unknown.length || missing.length)
    throw new Error(
      `${usageOf(program, form)}: ${[...missing.map((m) => `missing ${m}`), ...unknown.map((u) => `unknown ${u}`)].join(', ')}`,
    );
  return names.map((n) => (n.startsWith('=') ? n.slice(1) : String(values[n])));
}
