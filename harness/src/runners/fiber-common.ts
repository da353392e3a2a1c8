// Shared by the fiber runners (switch-ladder, fiber-micro, memory, stack-sweep): which programs to run on which
// runtime and fiber backend, running them pinned, and the pure parts (output parsing, per-unit RSS, backends).
import { readFileSync } from 'node:fs';
import { targetWanted, type LabConfig } from '../lab-config.js';
import { runCommand } from '../process/run-command.js';
import { FIBER_BACKENDS, targetLabel, targetOf, type FiberBackend, type MemoryPoint, type NotRun, type RunError, type RuntimeName, type StackSweepPoint, type SwitchRung, type WorkloadResult } from '../results/schema.js';
import { isPeer, programArgv, RUNTIMES, runtimePaths, runtimeUnavailable } from '../runtimes.js';

// What a fiber runner adds to (structurally the suite's Section).
export interface FiberSection {
  workloads: WorkloadResult[];
  switch_ladder: SwitchRung[];
  stack: StackSweepPoint[];
  memory: MemoryPoint[];
  conclusions: Record<string, string>;
  errors: RunError[];
  not_run: NotRun[];
}

// The fiber backends the lab measures CoroJS with, the default first (declared with the result schema).
export { FIBER_BACKENDS };

// One way to run a program: a runtime, and for CoroJS a fiber backend with the flags selecting it.
export interface Target {
  runtime: RuntimeName;
  label: string; // corojs-fcontext, corojs-ucontext, corojs-thread, node18, node20, bun, deno, go
  backend?: string; // corojs only: the backend Fiber.stats() reported
  flags: string[];
  binary?: string; // corojs only: another build than build/corojs (the --ab revision's)
  ab?: boolean; // the --ab revision's build: its results go to the result file's `ab` section
}

// A point or rung measured on `target`, with the target's fields (runtime, and for CoroJS the fiber backend the
// program reported, else the target's) and, for the --ab build, `from_ab_build`.
export function forTarget<T extends { runtime?: RuntimeName; fiber_backend?: FiberBackend; from_ab_build?: boolean }>(entry: T, target: Target, backend = target.backend): T {
  const out = { ...entry, ...targetOf(target.runtime, target.runtime === 'corojs' ? backend : undefined) };
  if (target.ab) out.from_ab_build = true;
  return out;
}

// Every line `prefix{json}` of a program's stdout, parsed (lines that do not parse are skipped).
export function parseJsonLines<T = Record<string, unknown>>(stdout: string, prefix = 'RESULT '): T[] {
  const out: T[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    try {
      out.push(JSON.parse(line.slice(prefix.length)) as T);
    } catch {
      continue;
    }
  }
  return out;
}

// Bytes per unit from two RSS readings; 0 when nothing was counted. Rounded to whole bytes (may be negative:
// the allocator can give memory back between the readings, which the result should show, not hide).
export function perUnitBytes(beforeBytes: number, afterBytes: number, units: number): number {
  if (!(units > 0) || !Number.isFinite(beforeBytes) || !Number.isFinite(afterBytes)) return 0;
  return Math.round((afterBytes - beforeBytes) / units);
}

// VmRSS of a live process in bytes (/proc/<pid>/status), or null once it has gone.
export function parseVmRss(status: string): number | null {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : null;
}

export function readVmRss(pid: number): number | null {
  try {
    return parseVmRss(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return null;
  }
}

// The first CPU of a taskset list ("0", "2-3", "1,3"), for the addon's pinned thread handoff.
export function firstCpu(list: string): number {
  const match = /^\s*(\d+)/.exec(list);
  return match ? Number(match[1]) : -1;
}

// What the probe of a requested backend tells: the backend to record, or null to skip it (and why).
// A runtime whose Fiber.stats() has no `backend` predates --fiber-backend: it runs threads, and only that.
// Exit status 9 is CoroJS's usage error: a build older than that backend (the --ab base) does not have it.
export function backendToRecord(requested: string, reported: string | undefined, exitCode: number | null): { record: string | null; why?: string; notInBuild?: boolean } {
  if (exitCode === 9) return { record: null, why: `this corojs has no --fiber-backend=${requested}`, notInBuild: true };
  if (exitCode !== 0) return { record: null, why: `corojs --fiber-backend=${requested} exited ${exitCode}` };
  if (reported === undefined) return requested === 'thread' ? { record: 'thread' } : { record: null, why: 'this corojs has no --fiber-backend (Fiber.stats().backend missing)' };
  if (reported !== requested) return { record: null, why: `--fiber-backend=${requested} fell back to ${reported}` };
  return { record: reported };
}

export interface ProgramRun {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

// Runs a program pinned to the server CPUs; never throws (a failure is in the result).
export async function runPinned(argv: readonly string[], config: LabConfig, timeoutMs = 120000): Promise<ProgramRun> {
  const run = await runCommand(argv, { cpus: config.serverCpus, timeoutMs, cwd: config.root });
  return { code: run.code, stdout: run.stdout, stderr: run.stderr, timedOut: run.timedOut };
}

export function failureReason(run: ProgramRun): string {
  if (run.timedOut) return 'timed out';
  const tail = run.stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 300);
  return `exited ${run.code}${tail ? `: ${tail}` : ''}`;
}

// The argv of `workload` (workloads/<w>.mjs or build/ts/baselines/<w>.js) for a target.
export function targetArgv(config: LabConfig, target: Target, workload: string, args: readonly string[], extraFlags: readonly string[] = []): string[] {
  const paths = runtimePaths(config.root);
  if (target.binary) paths.corojs = target.binary;
  return programArgv(paths, target.runtime, workload, args, [...target.flags, ...extraFlags]);
}

const probed = new Map<string, { targets: Target[]; notes: string[] }>();

// The CoroJS targets of one binary, one per fiber backend that really runs (probed once per binary).
async function corojsTargets(root: string, binary: string, ab: boolean): Promise<{ targets: Target[]; notes: string[] }> {
  const hit = probed.get(binary);
  if (hit) return hit;
  const paths = { ...runtimePaths(root), corojs: binary };
  const name = ab ? `corojs --ab build (${binary})` : 'corojs';
  const found: { targets: Target[]; notes: string[] } = { targets: [], notes: [] };
  if (runtimeUnavailable(paths, 'corojs')) found.notes.push(`${name}: ${runtimeUnavailable(paths, 'corojs')}`);
  else {
    // Without any flag first: a runtime that predates --fiber-backend says so by a missing stats().backend.
    const plain = await runCommand(programArgv(paths, 'corojs', 'fiber-micro', ['probe']), { timeoutMs: 30000 });
    const plainStats = parseJsonLines<{ backend?: string }>(plain.stdout)[0];
    const knowsFlag = plain.code === 0 && plainStats?.backend !== undefined;
    for (const requested of FIBER_BACKENDS) {
      const flags = knowsFlag ? [`--fiber-backend=${requested}`] : [];
      const run = knowsFlag ? await runCommand(programArgv(paths, 'corojs', 'fiber-micro', ['probe'], flags), { timeoutMs: 30000 }) : plain;
      const decision = backendToRecord(requested, parseJsonLines<{ backend?: string }>(run.stdout)[0]?.backend, run.code);
      // An --ab base older than a backend simply has no old side for it: nothing failed.
      if (!decision.record && !(ab && decision.notInBuild)) found.notes.push(`${name} ${requested} backend skipped: ${decision.why}`);
      if (!decision.record) continue;
      const label = targetLabel(targetOf('corojs', decision.record));
      if (ab) found.targets.push({ runtime: 'corojs', label: `${label}@ab`, backend: decision.record, flags, binary, ab: true });
      else found.targets.push({ runtime: 'corojs', label, backend: decision.record, flags });
    }
  }
  probed.set(binary, found);
  return found;
}

// The CoroJS targets, one per fiber backend that really runs, each followed by the same backend of the --ab
// build when asked for (so old and new alternate), then node18, node20 (when built), then the peers bun, deno
// and go (when installed), each only if --targets names it (default: all). Notes say what was skipped and why
// (an error of the run); notRun lists the peers that are missing (information, unless --targets asked for them).
export async function fiberTargets(config: LabConfig, withNode = true, withAb = false): Promise<{ targets: Target[]; notes: string[]; notRun: NotRun[] }> {
  const paths = runtimePaths(config.root);
  const targets: Target[] = [];
  const notes: string[] = [];
  const notRun: NotRun[] = [];
  if (targetWanted(config, 'corojs')) {
    const corojs = await corojsTargets(config.root, paths.corojs, false);
    const wanted = (t: Target): boolean => !config.fiberBackends || config.fiberBackends.includes(t.backend!);
    notes.push(...corojs.notes);
    const ab = withAb && config.abCorojs ? await corojsTargets(config.root, config.abCorojs, true) : null;
    if (ab) notes.push(...ab.notes);
    for (const target of corojs.targets.filter(wanted)) {
      targets.push(target);
      const old = ab?.targets.find((t) => t.backend === target.backend);
      if (old) targets.push(old);
    }
  }
  if (withNode) {
    for (const runtime of RUNTIMES.filter((r) => r !== 'corojs' && targetWanted(config, r))) {
      const missing = runtimeUnavailable(paths, runtime);
      if (!missing) targets.push({ runtime, label: runtime, flags: [] });
      else if (isPeer(runtime) && !config.targets) notRun.push({ workload: 'targets', target: runtime, reason: missing });
      else notes.push(`${runtime}: ${missing}`);
    }
  }
  return { targets, notes, notRun };
}

// The planned number of targets before probing (for progress estimates): every backend, both Nodes, the peers.
export const PLANNED_TARGETS = FIBER_BACKENDS.length + RUNTIMES.length - 1;
