// instructions: the deterministic rung. Instructions per one-way fiber switch and per 64-byte echo round trip
// (server side), counted by Valgrind's cachegrind for every CoroJS fiber backend (and the --ab build). Machine
// load does not move an instruction count, so a few per cent can gate CI. Each count is the difference of two
// runs of different lengths, so start-up, JIT warm-up and exit cancel: (I(long) - I(short)) / (ops difference).
// Counted in user space only (the thread backend's futex waits and the kernel's socket work are not).
import net from 'node:net';
import type { LabConfig } from '../lab-config.js';
import { runCommand } from '../process/run-command.js';
import { startServer } from '../process/server-process.js';
import { median } from '../results/aggregate.js';
import type { InstructionCount } from '../results/schema.js';
import { fiberTargets, forTarget, targetArgv, type Target } from '../targets.js';
import { FIBER_MICRO } from './fiber-micro.js';
import { parseSwitchOutput } from './switch-ladder.js';
import { TCP_ECHO } from './tcp-echo.js';
import { programArgs, type Workload, type WorkloadDeclaration } from './workload.js';

export const INSTRUCTIONS = {
  name: 'instructions',
  about: 'instructions per fiber switch and per 64-byte echo round trip (cachegrind), each CoroJS fiber backend',
  variants: ['switch', 'echo-64B'],
  concurrency: 1,
  // each count is the difference of a short and a long run; 3 repetitions show V8's background-compilation spread
  parameters: {
    repetitions: 3,
    switch_yields_per_fiber: [2000, 6000] as const,
    echo_messages: [2000, 6000] as const,
    echo_bytes: 64,
  },
} satisfies WorkloadDeclaration;

export const INSTRUCTION_REPETITIONS = INSTRUCTIONS.parameters.repetitions;
const SWITCH_YIELDS = INSTRUCTIONS.parameters.switch_yields_per_fiber;
const ECHO_MESSAGES = INSTRUCTIONS.parameters.echo_messages;
const ECHO_BYTES = INSTRUCTIONS.parameters.echo_bytes;
const VALGRIND = ['valgrind', '--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null'];

// The "I refs" total from cachegrind's summary on stderr, or null.
export function parseInstructionTotal(stderr: string): number | null {
  const match = /==\d+== I\s+refs:\s+([\d,]+)/.exec(stderr);
  return match ? Number(match[1]!.replace(/,/g, '')) : null;
}

// Per-op count from two (total, ops) runs; null when the longer run did not count more.
export function perOp(short: { total: number; ops: number }, long: { total: number; ops: number }): number | null {
  if (!(long.ops > short.ops) || !(long.total > short.total)) return null;
  return Math.round((long.total - short.total) / (long.ops - short.ops));
}

async function valgrindAvailable(): Promise<boolean> {
  const run = await runCommand(['valgrind', '--version'], { timeoutMs: 10000 }).catch(() => null);
  return run?.code === 0;
}

async function switchRun(config: LabConfig, target: Target, yields: number): Promise<{ total: number; ops: number }> {
  const argv = targetArgv(config, target, FIBER_MICRO.name, programArgs(FIBER_MICRO, 'switch', { yields }));
  const run = await runCommand([...VALGRIND, ...argv], {
    cpus: config.serverCpus,
    timeoutMs: 300000,
    cwd: config.root,
  });
  const total = parseInstructionTotal(run.stderr);
  const parsed = parseSwitchOutput(run.stdout);
  if (run.code !== 0 || total === null || !parsed)
    throw new Error(
      `switch ${yields} under cachegrind: exit ${run.code}${run.timedOut ? ' (timed out)' : ''}: ${run.stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 300)}`,
    );
  return { total, ops: parsed.switches };
}

// `count` sequential 64-byte echo round trips on one connection, each answer checked byte for byte.
export function echoRoundTrips(port: number, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const message = Buffer.alloc(ECHO_BYTES, 0x5a);
    let sent = 0;
    let pending = Buffer.alloc(0);
    const send = (): void => {
      sent++;
      socket.write(message);
    };
    socket.setNoDelay(true);
    socket.setTimeout(60000, () => socket.destroy(new Error(`echo stalled after ${sent} of ${count} messages`)));
    socket.on('connect', send);
    socket.on('data', (data: Buffer) => {
      pending = Buffer.concat([pending, data]);
      if (pending.length < ECHO_BYTES) return;
      if (pending.length > ECHO_BYTES || !pending.equals(message))
        return socket.destroy(new Error(`wrong echo answer to message ${sent}`));
      pending = Buffer.alloc(0);
      if (sent < count) send();
      else socket.end(resolve);
    });
    socket.on('error', reject);
  });
}

async function echoRun(config: LabConfig, target: Target, messages: number): Promise<{ total: number; ops: number }> {
  const argv = targetArgv(
    config,
    target,
    TCP_ECHO.name,
    programArgs(TCP_ECHO, 'serve', { port: 0, host: '127.0.0.1' }),
  );
  const server = await startServer([...VALGRIND, ...argv], config.serverCpus, 120000);
  let stderr = '';
  try {
    await echoRoundTrips(server.port, messages);
  } finally {
    await server.stop(); // SIGTERM: cachegrind still prints its summary
    stderr = server.stderrTail();
  }
  const total = parseInstructionTotal(stderr);
  if (total === null)
    throw new Error(
      `echo ${messages} under cachegrind: no instruction total: ${stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 300)}`,
    );
  return { total, ops: messages };
}

const OPS: ReadonlyArray<{ op: string; sizes: readonly [number, number]; run: typeof switchRun; method: string }> = [
  {
    op: 'switch',
    sizes: SWITCH_YIELDS,
    run: switchRun,
    method: `cachegrind I refs, fiber-micro switch ${SWITCH_YIELDS.join(' vs ')} yields per fiber, difference per one-way switch`,
  },
  {
    op: `echo-${ECHO_BYTES}B`,
    sizes: ECHO_MESSAGES,
    run: echoRun,
    method: `cachegrind I refs of the tcp-echo server, ${ECHO_MESSAGES.join(' vs ')} sequential ${ECHO_BYTES}-byte round trips on one connection, difference per message`,
  },
];

// One count: instructions per `op` on `target` from a short and a long run.
export const INSTRUCTION_OPS = OPS.map((o) => o.op);

export async function measureOp(config: LabConfig, target: Target, op: string): Promise<number> {
  const spec = OPS.find((o) => o.op === op);
  if (!spec) throw new Error(`unknown op ${op}`);
  const short = await spec.run(config, target, spec.sizes[0]);
  const long = await spec.run(config, target, spec.sizes[1]);
  const value = perOp(short, long);
  if (value === null) throw new Error(`${op}: the longer run did not count more instructions`);
  return value;
}

export const instructions: Workload = {
  ...INSTRUCTIONS,
  steps: () => INSTRUCTION_REPETITIONS * OPS.length * 4,
  async run(config, progress, into) {
    if (!(await valgrindAvailable())) {
      into.errors.push({
        workload: 'instructions',
        message: 'valgrind not installed (Debian package valgrind): no instruction counts',
      });
      return;
    }
    const { targets } = await fiberTargets(config, false, true);
    const counts: InstructionCount[] = [];
    for (const { op, method } of OPS) {
      const samples = new Map<string, number[]>(targets.map((t) => [t.label, []]));
      for (let rep = 1; rep <= INSTRUCTION_REPETITIONS; rep++) {
        for (const target of targets) {
          progress.step(`instructions ${op} ${target.label} (cachegrind) rep ${rep}/${INSTRUCTION_REPETITIONS}`);
          try {
            samples.get(target.label)!.push(await measureOp(config, target, op));
          } catch (error) {
            into.errors.push({ workload: 'instructions', message: `${target.label}: ${(error as Error).message}` });
          }
        }
      }
      for (const target of targets) {
        const list = samples.get(target.label)!;
        if (list.length)
          counts.push(
            forTarget<InstructionCount>(
              { op, runtime: target.runtime, instructions_per_op: median(list), samples: list, method },
              target,
            ),
          );
      }
    }
    into.instructions = [...(into.instructions ?? []), ...counts];
  },
};
