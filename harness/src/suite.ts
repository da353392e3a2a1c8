// The suite: the registry's workloads a LabConfig selects, run in order, each contributing to the result file.
import type { LabConfig } from './lab-config.js';
import { selected } from './lab-config.js';
import type { Progress } from './report/progress.js';
import { loadNativeAddon } from './native-addon.js';
import type { ResultFile, RunError, RuntimeName } from './results/schema.js';
import { isPeer } from './runtimes.js';
import { REGISTRY } from './runners/registry.js';
import type { Section, Workload } from './runners/workload.js';
import { fiberTargets } from './targets.js';

export type { Section };
export type AbMeasurements = Pick<ResultFile, 'workloads' | 'switch_ladder' | 'instructions'>;

// The workloads a run measures: the registry's, in its order, as --only / --skip selected them.
export function suiteEntries(config: LabConfig): readonly Workload[] {
  return REGISTRY.filter((entry) => selected(config, entry.name));
}

export async function runSuite(config: LabConfig, progress: Progress): Promise<Section & { ab?: AbMeasurements }> {
  const into: Section = {
    workloads: [],
    switch_ladder: [],
    stack: [],
    memory: [],
    conclusions: {},
    errors: [],
    not_run: [],
  };
  // A target that cannot run (binary missing, a fiber backend falling back to another) is an error of the
  // whole run: every workload misses its points. A peer left to the default that is not installed is not run.
  const found = await fiberTargets(config, true, true);
  for (const note of found.notes) into.errors.push({ workload: 'targets', message: note });
  into.not_run.push(...found.notRun);
  if (!process.env.LAB_JS_LOADGEN && !loadNativeAddon()) {
    into.errors.push({
      workload: 'native-addon',
      message: 'build/native addon not built: no raw switch rungs, and the echo load falls back to the JS generator',
    });
  }
  const entries = suiteEntries(config);
  progress.addPlanned(entries.reduce((n, e) => n + e.steps(config), 0));
  for (const entry of entries) {
    try {
      await entry.run(config, progress, into);
    } catch (error) {
      // A workload that fails outright is recorded as an error; the rest of the suite still runs.
      progress.note(`${entry.name} failed: ${(error as Error).stack ?? String(error)}`);
      into.errors.push({ workload: entry.name, message: `threw: ${(error as Error).message.slice(0, 500)}` });
    }
  }
  peerFailuresAsNotRun(into);
  return config.abCorojs ? splitAb(into) : into;
}

// A peer's failures are information, not errors of the run: what a peer could not run moves from errors to
// not_run, and every peer point that no repetition measured (the program failed each time) is listed there too,
// with the error it printed.
export function peerFailuresAsNotRun(section: Pick<Section, 'workloads' | 'errors' | 'not_run'>): void {
  const peerError = (e: RunError): boolean => e.target !== undefined && isPeer(e.target as RuntimeName);
  for (const e of section.errors.filter(peerError)) {
    section.not_run.push({ workload: e.workload, target: e.target!, reason: e.message.replace(`${e.target}: `, '') });
  }
  section.errors = section.errors.filter((e) => !peerError(e));
  for (const w of section.workloads) {
    if (isPeer(w.runtime) && !w.valid && !w.samples.some((x) => x > 0)) {
      const listed = section.not_run.some((n) => n.target === w.runtime && n.workload === w.name);
      if (!listed)
        section.not_run.push({
          workload: `${w.name}/${w.variant}`,
          target: w.runtime,
          reason: w.invalid_reason ?? 'not run',
        });
    }
  }
}

// Moves what the --ab build measured out of the sections every reader knows into its own.
export function splitAb(section: Section): Section & { ab: AbMeasurements } {
  const strip = <T extends { from_ab_build?: boolean }>(entry: T): T => {
    const { from_ab_build: _, ...rest } = entry;
    return rest as T;
  };
  return {
    ...section,
    workloads: section.workloads.filter((w) => !w.from_ab_build),
    switch_ladder: section.switch_ladder.filter((r) => !r.from_ab_build),
    instructions: section.instructions?.filter((c) => !c.from_ab_build),
    ab: {
      workloads: section.workloads.filter((w) => w.from_ab_build).map(strip),
      switch_ladder: section.switch_ladder.filter((r) => r.from_ab_build).map(strip),
      instructions: section.instructions?.filter((c) => c.from_ab_build).map(strip),
    },
  };
}
