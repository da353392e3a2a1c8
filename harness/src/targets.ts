// The targets the lab measures a workload on: a runtime (runtimes.ts), and for CoroJS each fiber backend that
// really runs (probed once per binary) and the --ab build's; how to start a workload's program on one.
import { targetWanted, type LabConfig } from './lab-config.js';
import { parseJsonLines, runCommand } from './process/run-command.js';
import {
  FIBER_BACKENDS,
  targetLabel,
  targetOf,
  type FiberBackend,
  type NotRun,
  type RuntimeName,
} from './results/schema.js';
import { isPeer, programArgv, RUNTIMES, runtimePaths, runtimeUnavailable } from './runtimes.js';

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
export function forTarget<T extends { runtime?: RuntimeName; fiber_backend?: FiberBackend; from_ab_build?: boolean }>(
  entry: T,
  target: Target,
  backend = target.backend,
): T {
  const out = { ...entry, ...targetOf(target.runtime, target.runtime === 'corojs' ? backend : undefined) };
  if (target.ab) out.from_ab_build = true;
  return out;
}

// What the probe of a requested backend tells: the backend to record, or null to skip it (and why).
// A runtime whose Fiber.stats() has no `backend` predates --fiber-backend: it runs threads, and only that.
// Exit status 9 is CoroJS's usage error: a build older than that backend (the --ab base) does not have it.
export function backendToRecord(
  requested: string,
  reported: string | undefined,
  exitCode: number | null,
): { record: string | null; why?: string; notInBuild?: boolean } {
  if (exitCode === 9) return { record: null, why: `this corojs has no --fiber-backend=${requested}`, notInBuild: true };
  if (exitCode !== 0) return { record: null, why: `corojs --fiber-backend=${requested} exited ${exitCode}` };
  if (reported === undefined)
    return requested === 'thread'
      ? { record: 'thread' }
      : { record: null, why: 'this corojs has no --fiber-backend (Fiber.stats().backend missing)' };
  if (reported !== requested) return { record: null, why: `--fiber-backend=${requested} fell back to ${reported}` };
  return { record: reported };
}

// The argv of `workload` (workloads/<w>.mjs or build/ts/baselines/<w>.js) for a target.
export function targetArgv(
  config: LabConfig,
  target: Target,
  workload: string,
  args: readonly string[],
  extraFlags: readonly string[] = [],
): string[] {
  const paths = runtimePaths(config.root);
  if (target.binary) paths.corojs = target.binary;
  return programArgv(paths, target.runtime, workload, args, [...target.flags, ...extraFlags]);
}

const probed = new Map<string, { targets: Target[]; notes: string[] }>();

// The CoroJS targets of one binary, one per fiber backend that really runs (probed once per binary).
async function corojsTargets(
  root: string,
  binary: string,
  ab: boolean,
): Promise<{ targets: Target[]; notes: string[] }> {
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
      const run = knowsFlag
        ? await runCommand(programArgv(paths, 'corojs', 'fiber-micro', ['probe'], flags), { timeoutMs: 30000 })
        : plain;
      const decision = backendToRecord(
        requested,
        parseJsonLines<{ backend?: string }>(run.stdout)[0]?.backend,
        run.code,
      );
      // An --ab base older than a backend simply has no old side for it: nothing failed.
      if (!decision.record && !(ab && decision.notInBuild))
        found.notes.push(`${name} ${requested} backend skipped: ${decision.why}`);
      if (!decision.record) continue;
      const label = targetLabel(targetOf('corojs', decision.record));
      if (ab)
        found.targets.push({
          runtime: 'corojs',
          label: `${label}@ab`,
          backend: decision.record,
          flags,
          binary,
          ab: true,
        });
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
export async function fiberTargets(
  config: LabConfig,
  withNode = true,
  withAb = false,
): Promise<{ targets: Target[]; notes: string[]; notRun: NotRun[] }> {
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
      else if (isPeer(runtime) && !config.targets)
        notRun.push({ workload: 'targets', target: runtime, reason: missing });
      else notes.push(`${runtime}: ${missing}`);
    }
  }
  return { targets, notes, notRun };
}

// The planned number of targets before probing (for progress estimates): every backend, both Nodes, the peers.
export const PLANNED_TARGETS = FIBER_BACKENDS.length + RUNTIMES.length - 1;
