// switch-ladder: the cost of ONE one-way switch, rung by rung, from the bare mechanism up to a language runtime:
//   raw-ucontext     swapcontext ping-pong in the addon (runtime/src/fiber/fiber.h, no V8)
//   raw-fcontext     Boost.Context jump_fcontext ping-pong in the addon (the default backend's switch, no V8)
//   thread-handoff   two OS threads handing a semaphore baton, both pinned to the server CPU (addon)
//   corojs-fiber     two CoroJS fibers ping-ponging with Fiber.yield 100,000 times each, pinned with taskset,
//                    once per fiber backend (fiber_backend from Fiber.stats().backend)
//   node18/20-await  two async functions ping-ponging through promises (an await resumption per switch)
//   bun/deno-await   the same Node twin on Bun and Deno
//   go-goroutine     two goroutines ping-ponging over unbuffered channels, GOMAXPROCS=1 (baselines/go)
// Repetitions are interleaved across rungs; ns_per_switch is the median of the samples.
import { loadNativeAddon } from '../native-addon.js';
import { failureReason, firstCpu, parseJsonLines, runPinned } from '../process/run-command.js';
import { median } from '../results/aggregate.js';
import type { SwitchRung } from '../results/schema.js';
import { fiberTargets, forTarget, PLANNED_TARGETS, targetArgv, type Target } from '../targets.js';
import { FIBER_MICRO } from './fiber-micro.js';
import { programArgs, type Workload, type WorkloadDeclaration } from './workload.js';

export const SWITCH_LADDER = {
  name: 'switch-ladder',
  about: 'the cost of one one-way switch, from the bare mechanism (addon) to each runtime (fiber-micro switch)',
  variants: [
    'raw-ucontext',
    'raw-fcontext',
    'thread-handoff',
    'corojs-fiber',
    'node18-await',
    'node20-await',
    'bun-await',
    'deno-await',
    'go-goroutine',
  ],
  concurrency: 2, // two fibers, async functions or goroutines ping-ponging
  parameters: { yields_per_fiber: 100000, raw_round_trips: 200000, handoff_round_trips: 50000 },
} satisfies WorkloadDeclaration;

// per fiber (CoroJS) and round trips (Node): 200,000 one-way switches
export const SWITCH_YIELDS = SWITCH_LADDER.parameters.yields_per_fiber;
const RAW_ROUND_TRIPS = SWITCH_LADDER.parameters.raw_round_trips;
const HANDOFF_ROUND_TRIPS = SWITCH_LADDER.parameters.handoff_round_trips;

export interface SwitchOutput {
  ns_per_switch: number;
  switches: number;
  backend?: string;
}

// The rung a program's output measured, or null when the output is not a well-formed switch result.
export function parseSwitchOutput(stdout: string): SwitchOutput | null {
  const result = parseJsonLines<Record<string, unknown>>(stdout).find((r) => r.variant === 'switch');
  if (!result) return null;
  const ns = result.ns_per_switch;
  const switches = result.switches;
  if (typeof ns !== 'number' || !Number.isFinite(ns) || ns <= 0 || typeof switches !== 'number' || switches <= 0)
    return null;
  const out: SwitchOutput = { ns_per_switch: ns, switches };
  if (typeof result.backend === 'string') out.backend = result.backend;
  return out;
}

const round = (x: number): number => Math.round(x * 10) / 10;

export function rungOf(name: string, samples: readonly number[], extra: Partial<SwitchRung> = {}): SwitchRung {
  return { rung: name, ns_per_switch: round(median(samples)), samples: samples.map(round), ...extra };
}

function rungName(target: Target): string {
  if (target.runtime === 'go') return 'go-goroutine'; // two goroutines on unbuffered channels, GOMAXPROCS=1
  return target.runtime === 'corojs' ? 'corojs-fiber' : `${target.runtime}-await`;
}

export const switchLadder: Workload = {
  ...SWITCH_LADDER,
  steps: (config) => config.repetitions * (3 + PLANNED_TARGETS),
  async run(config, progress, into) {
    const addon = loadNativeAddon();
    const { targets, notes } = await fiberTargets(config, true, true);
    for (const note of notes) progress.note(`switch-ladder: ${note}`);
    const cpu = firstCpu(config.serverCpus);
    const raw: number[] = [];
    const rawFcontext: number[] = [];
    const handoff: number[] = [];
    const perTarget = new Map<string, { samples: number[]; backend?: string; failures: string[] }>(
      targets.map((t) => [t.label, { samples: [], failures: [] }]),
    );
    for (let rep = 1; rep <= config.repetitions; rep++) {
      progress.step(`switch-ladder raw-ucontext rep ${rep}/${config.repetitions}`);
      if (addon) raw.push(addon.rawUcontextSwitchNs(RAW_ROUND_TRIPS));
      progress.step(`switch-ladder raw-fcontext rep ${rep}/${config.repetitions}`);
      if (addon) rawFcontext.push(addon.rawFcontextSwitchNs(RAW_ROUND_TRIPS));
      progress.step(`switch-ladder thread-handoff (CPU ${cpu}) rep ${rep}/${config.repetitions}`);
      if (addon) handoff.push(addon.threadHandoffSwitchNs(HANDOFF_ROUND_TRIPS, cpu));
      for (const target of targets) {
        progress.step(`switch-ladder ${target.label} rep ${rep}/${config.repetitions}`);
        const run = await runPinned(
          targetArgv(config, target, FIBER_MICRO.name, programArgs(FIBER_MICRO, 'switch', { yields: SWITCH_YIELDS })),
          config,
          60000,
        );
        const parsed = run.code === 0 ? parseSwitchOutput(run.stdout) : null;
        const slot = perTarget.get(target.label)!;
        if (parsed) {
          slot.samples.push(parsed.ns_per_switch);
          if (parsed.backend) slot.backend = parsed.backend;
        } else slot.failures.push(run.code === 0 ? 'no switch result in the output' : failureReason(run));
      }
    }
    if (addon) {
      into.switch_ladder.push(
        rungOf('raw-ucontext', raw, { method: `addon: ${RAW_ROUND_TRIPS} swapcontext round trips` }),
      );
      into.switch_ladder.push(
        rungOf('raw-fcontext', rawFcontext, { method: `addon: ${RAW_ROUND_TRIPS} jump_fcontext round trips` }),
      );
      into.switch_ladder.push(
        rungOf('thread-handoff', handoff, {
          method: `addon: ${HANDOFF_ROUND_TRIPS} semaphore round trips, both threads on CPU ${cpu}`,
        }),
      );
    } else {
      progress.note(
        'switch-ladder: the N-API addon is not built (build/native), raw-ucontext, raw-fcontext and thread-handoff skipped',
      );
      into.errors.push({
        workload: 'switch-ladder',
        message: 'addon not built: raw-ucontext, raw-fcontext and thread-handoff rungs missing',
      });
    }
    for (const target of targets) {
      const slot = perTarget.get(target.label)!;
      if (slot.samples.length === 0) {
        progress.note(`switch-ladder: ${target.label} failed: ${slot.failures[0] ?? 'no samples'}`);
        into.errors.push({
          workload: 'switch-ladder',
          message: `${target.label}: ${slot.failures[0] ?? 'no samples'}`,
          target: target.label,
        });
        continue;
      }
      const extra: Partial<SwitchRung> = {
        method: `in-script hrtime, ${2 * SWITCH_YIELDS} one-way switches, taskset ${config.serverCpus}`,
      };
      if (slot.failures.length) extra.failures = slot.failures;
      into.switch_ladder.push(
        forTarget(rungOf(rungName(target), slot.samples, extra), target, slot.backend ?? target.backend),
      );
    }
  },
};
