// stack-sweep: CoroJS with --fiber-stack-size from 64 KiB to 8 MiB, per fiber backend (workloads/stack-sweep.mjs,
// pinned to the server CPU): deepest recursion before the catchable RangeError, a TLS handshake inside fibers,
// RSS per idle fiber, spawn+join rate. The conclusion on the fixed 1 MiB stack is derived from the points.
import path from 'node:path';
import type { LabConfig } from '../lab-config.js';
import { failureReason, parseJsonLines, runPinned } from '../process/run-command.js';
import { perUnitBytes } from '../recorders/proc-sampler.js';
import { median } from '../results/aggregate.js';
import { targetOf, type StackSweepPoint } from '../results/schema.js';
import { runtimePaths } from '../runtimes.js';
import { FIBER_BACKENDS, fiberTargets, targetArgv } from '../targets.js';
import { ensureFiberCerts } from './fiber-certs.js';
import { REQUIRED_RECURSION_DEPTH, stackVerdict, type SweepPoint } from './stack-conclusion.js';
import { programArgs, type Workload, type WorkloadDeclaration } from './workload.js';

const KiB = 1024;
const SIZES_KIB = [64, 128, 256, 512, 1024, 2048, 4096, 8192];

export const STACK_SWEEP = {
  name: 'stack-sweep',
  about:
    'CoroJS per --fiber-stack-size (64 KiB to 8 MiB): recursion depth, cold code and TLS in a fiber, RSS per idle fiber, spawn rate',
  variants: SIZES_KIB.map((k) => (k >= 1024 ? `${k / 1024}MiB` : `${k}KiB`)),
  program: { name: 'stack-sweep', forms: { run: ['cert_dir', 'idle_fibers', 'spawn_batch', 'spawn_samples'] } },
  parameters: { idle_fibers: 1000, spawn_batch: 1000 }, // spawn_samples: --repetitions
} satisfies WorkloadDeclaration;

export const STACK_SIZES = SIZES_KIB.map((k) => k * KiB);
export const SWEEP_IDLE_FIBERS = STACK_SWEEP.parameters.idle_fibers;

// The stack-sweep program's PART lines folded into one sweep point (missing parts count as failed / zero), on the fiber
// backend the probe reported (else the one its target asked for).
export function parseStackProbe(stdout: string, stackSizeBytes: number, backend: string): StackSweepPoint {
  const parts = new Map(parseJsonLines<Record<string, unknown>>(stdout, 'PART ').map((p) => [String(p.part), p]));
  const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const recursion = parts.get('recursion');
  const cold = parts.get('cold');
  const spawn = parts.get('spawn');
  const idle = parts.get('idle');
  const tls = parts.get('tls');
  const rawSpawn = spawn?.spawn_samples_per_s;
  const spawnSamples = Array.isArray(rawSpawn) ? rawSpawn.map(num) : [];
  const fibers = num(idle?.fibers);
  const point: StackSweepPoint = {
    ...targetOf('corojs', typeof idle?.backend === 'string' ? idle.backend : backend),
    stack_size_bytes: stackSizeBytes,
    max_recursion_depth:
      recursion?.ok === true && recursion.range_error === true ? num(recursion.max_recursion_depth) : 0,
    tls_handshake_ok: tls?.tls_handshake_ok === true,
    rss_per_fiber_bytes: idle ? perUnitBytes(num(idle.rss_before_bytes), num(idle.rss_after_bytes), fibers) : 0,
    spawn_per_s: Math.round(median(spawnSamples)),
    cold_fiber_ok: cold?.cold_fiber_ok === true,
    spawn_samples_per_s: spawnSamples.map(Math.round),
  };
  if (recursion && recursion.range_error !== true) point.recursion_note = 'no catchable RangeError';
  if (typeof recursion?.main_depth === 'number') point.main_stack_depth = recursion.main_depth;
  if (idle)
    point.stack_resident_per_fiber_bytes = perUnitBytes(
      num(idle.stack_resident_before_bytes),
      num(idle.stack_resident_after_bytes),
      fibers,
    );
  if (typeof tls?.stack_resident_delta_bytes === 'number')
    point.tls_stack_resident_bytes = tls.stack_resident_delta_bytes;
  if (typeof tls?.error === 'string') point.tls_error = tls.error.slice(0, 200);
  if (typeof cold?.error === 'string') point.cold_error = cold.error.slice(0, 200);
  const missing = ['recursion', 'cold', 'spawn', 'idle', 'tls'].filter((p) => !parts.has(p));
  if (missing.length) point.missing_parts = missing;
  return point;
}

// The recursion a fiber must reach: Node 20's depth on its default stack with the same function, measured in
// this run (median of three; baselines/recursion-depth.ts), or the stated REQUIRED_RECURSION_DEPTH with the
// reason when Node cannot be run.
async function requiredDepth(config: LabConfig): Promise<{ depth: number; source: string }> {
  const program = path.join(config.root, 'build/ts/baselines/recursion-depth.js');
  const depths: number[] = [];
  let why = '';
  for (let i = 0; i < 3; i++) {
    const run = await runPinned([runtimePaths(config.root).node20, program], config, 30000);
    const result = parseJsonLines(run.stdout, 'RESULT ')[0];
    if (run.code === 0 && result?.range_error === true && Number(result.depth) > 0) depths.push(Number(result.depth));
    else why = failureReason(run);
  }
  if (!depths.length)
    return { depth: REQUIRED_RECURSION_DEPTH, source: `stated (Node 20's depth not measured: ${why})` };
  return { depth: Math.round(median(depths)), source: "Node 20's depth on its default stack, measured in this run" };
}

export const stackSweep: Workload = {
  ...STACK_SWEEP,
  steps: () => STACK_SIZES.length * FIBER_BACKENDS.length,
  async run(config, progress, into) {
    const { targets, notes } = await fiberTargets(config, false);
    for (const note of notes) progress.note(`stack-sweep: ${note}`);
    const certDir = await ensureFiberCerts(config);
    const spawnSamples = Math.max(3, config.repetitions);
    const required = await requiredDepth(config);
    into.conclusions.stack_required_recursion = `${required.depth} frames: ${required.source}`;
    for (const target of targets) {
      const points: SweepPoint[] = [];
      for (const size of STACK_SIZES) {
        progress.step(`stack-sweep ${target.label} ${size / KiB} KiB`);
        const args = programArgs(STACK_SWEEP, 'run', {
          cert_dir: certDir,
          idle_fibers: SWEEP_IDLE_FIBERS,
          spawn_batch: STACK_SWEEP.parameters.spawn_batch,
          spawn_samples: spawnSamples,
        });
        const run = await runPinned(
          targetArgv(config, target, STACK_SWEEP.name, args, [`--fiber-stack-size=${size}`]),
          config,
          60000,
        );
        const point = parseStackProbe(run.stdout, size, target.backend!);
        if (run.code !== 0 || !run.stdout.includes('DONE')) point.probe_error = failureReason(run);
        points.push(point);
        into.stack.push(point);
      }
      const verdict = stackVerdict(points, required.depth);
      const key = target.backend === 'thread' ? 'stack_1mib' : `stack_1mib_${target.backend}`;
      into.conclusions[key] =
        `[${target.backend} backend, requirement: recursion >= ${required.depth} (${required.source})] ${verdict.text}`;
    }
  },
};
