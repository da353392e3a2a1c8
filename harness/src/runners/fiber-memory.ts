// fiber-memory: what an idle fiber, an idle connection and a workload's stack cost, as memory[] entries:
//   kind 'idle-connections'  N idle TCP connections held by the harness to each runtime's tcp-echo server (each
//                            echoed once first): the server's VmRSS delta / N   (the schema's core entries)
//   kind 'idle-fibers'       N sleeping fibers (CoroJS) or suspended async functions awaiting a timer (Node),
//                            in-script VmRSS delta / N, and for CoroJS resident stack bytes per fiber
//   kind 'stack-high-water'  CoroJS only: resident stack bytes per handler fiber after it ran tcp-echo, tls-echo
//                            or a 1000-deep recursion (used stack pages stay resident while the fiber lives)
// Every figure is the median of >= 3 repetitions (fresh processes), listed in samples.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import type { LabConfig } from '../lab-config.js';
import { failureReason, parseJsonLines, runPinned } from '../process/run-command.js';
import { startServer, type RunningServer } from '../process/server-process.js';
import { perUnitBytes, readVmRss } from '../recorders/proc-sampler.js';
import type { Progress } from '../report/progress.js';
import { median } from '../results/aggregate.js';
import { memoryUnit, targetLabel, targetOf, type MemoryKind, type MemoryPoint } from '../results/schema.js';
import { isPeer } from '../runtimes.js';
import { fiberTargets, PLANNED_TARGETS, targetArgv, type Target } from '../targets.js';
import { ensureFiberCerts } from './fiber-certs.js';
import { TCP_ECHO } from './tcp-echo.js';
import { programArgs, type Section, type Workload, type WorkloadDeclaration } from './workload.js';

export const FIBER_MEMORY = {
  name: 'fiber-memory',
  about:
    "memory per idle connection, per idle fiber / async function / goroutine, and per handler fiber's stack after real work",
  variants: ['idle-connections', 'idle-fibers', 'stack-high-water'],
  program: {
    name: 'fiber-memory',
    forms: { idle: ['=idle', 'count'], hwm: ['=hwm', 'count', 'workload', 'cert_dir'] },
  },
  parameters: {
    idle_fibers: [1000, 10000],
    idle_connections: [1000, 10000],
    quick_idle_connections: [1000],
    high_water_fibers: 1000,
    quick_high_water_fibers: 200,
    high_water_workloads: ['tcp-echo', 'tls-echo', 'recursion-1000'],
  },
} satisfies WorkloadDeclaration;

const P = FIBER_MEMORY.parameters;
export const IDLE_FIBER_COUNTS = P.idle_fibers;
export const idleConnectionCounts = (config: LabConfig): number[] =>
  config.quick ? P.quick_idle_connections : P.idle_connections;
export const highWaterFibers = (config: LabConfig): number =>
  config.quick ? P.quick_high_water_fibers : P.high_water_fibers;
export const HIGH_WATER_WORKLOADS = P.high_water_workloads;

export interface MemoryOutput {
  kind: string;
  workload: string;
  fibers: number;
  rss_per_fiber_bytes: number;
  stack_resident_per_fiber_bytes?: number;
  handle_blocks_per_fiber_bytes?: number; // V8 handle-scope blocks resident (their own mapping)
  malloc_per_fiber_bytes?: number; // C heap in use (V8's archived thread state, the scheduler's records)
  v8_heap_per_fiber_bytes?: number; // V8 heap in use (the fiber's JS objects)
  backend?: string;
}

// A fiber-memory RESULT line turned into per-fiber figures, or null when malformed.
export function parseMemoryOutput(stdout: string): MemoryOutput | null {
  const r = parseJsonLines<Record<string, unknown>>(stdout)[0];
  if (!r || typeof r.kind !== 'string' || typeof r.fibers !== 'number' || !(r.fibers > 0)) return null;
  if (typeof r.rss_before_bytes !== 'number' || typeof r.rss_after_bytes !== 'number') return null;
  const out: MemoryOutput = {
    kind: r.kind,
    workload: typeof r.workload === 'string' ? r.workload : '',
    fibers: r.fibers,
    rss_per_fiber_bytes: perUnitBytes(r.rss_before_bytes, r.rss_after_bytes, r.fibers),
  };
  if (typeof r.stack_resident_before_bytes === 'number' && typeof r.stack_resident_after_bytes === 'number') {
    out.stack_resident_per_fiber_bytes = perUnitBytes(
      r.stack_resident_before_bytes,
      r.stack_resident_after_bytes,
      r.fibers,
    );
  }
  if (typeof r.handle_blocks_before_bytes === 'number' && typeof r.handle_blocks_after_bytes === 'number') {
    out.handle_blocks_per_fiber_bytes = perUnitBytes(
      r.handle_blocks_before_bytes,
      r.handle_blocks_after_bytes,
      r.fibers,
    );
  }
  if (typeof r.malloc_before_bytes === 'number' && typeof r.malloc_after_bytes === 'number') {
    out.malloc_per_fiber_bytes = perUnitBytes(r.malloc_before_bytes, r.malloc_after_bytes, r.fibers);
  }
  if (typeof r.v8_heap_before_bytes === 'number' && typeof r.v8_heap_after_bytes === 'number') {
    out.v8_heap_per_fiber_bytes = perUnitBytes(r.v8_heap_before_bytes, r.v8_heap_after_bytes, r.fibers);
  }
  if (typeof r.backend === 'string') out.backend = r.backend;
  return out;
}

// Soft and hard RLIMIT_NOFILE of this process (children inherit them).
export function parseNofile(limits: string): { soft: number; hard: number } | null {
  const match = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(limits);
  if (!match) return null;
  const n = (s: string): number => (s === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(s));
  return { soft: n(match[1]!), hard: n(match[2]!) };
}

// Raises this process's open-file limit (inherited by the servers it starts) to at least `need` if it can;
// returns the soft limit in force afterwards.
function ensureNofile(need: number): number {
  const read = (): { soft: number; hard: number } | null => {
    try {
      return parseNofile(readFileSync('/proc/self/limits', 'utf8'));
    } catch {
      return null;
    }
  };
  const now = read();
  if (!now || now.soft >= need) return now?.soft ?? 0;
  const hard = Math.max(now.hard, need);
  spawnSync('prlimit', ['--pid', String(process.pid), `--nofile=${Math.min(need, hard)}:${hard}`], { stdio: 'ignore' });
  const after = read();
  if (after && after.soft < need && after.hard > after.soft)
    spawnSync('prlimit', ['--pid', String(process.pid), `--nofile=${after.hard}:${after.hard}`], { stdio: 'ignore' });
  return read()?.soft ?? 0;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// Opens n connections to the server (`parallel` at a time), each sending a short message and reading its echo;
// returns the open sockets (the caller destroys them).
export async function openIdleConnections(port: number, n: number, parallel = 100): Promise<net.Socket[]> {
  const sockets: net.Socket[] = [];
  let next = 0;
  const one = (i: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const message = `idle ${i}\n`;
      const socket = net.connect(port, '127.0.0.1');
      sockets.push(socket);
      let echoed = '';
      socket.setEncoding('utf8');
      const fail = (error: Error): void => reject(new Error(`connection ${i}: ${error.message}`));
      socket.once('error', fail);
      socket.once('connect', () => socket.write(message));
      socket.on('data', (chunk: string) => {
        echoed += chunk;
        if (echoed.length < message.length) return;
        socket.removeAllListeners('data');
        socket.off('error', fail);
        socket.on('error', () => {});
        if (echoed !== message) reject(new Error(`connection ${i}: echoed ${JSON.stringify(echoed.slice(0, 40))}`));
        else resolve();
      });
    });
  const worker = async (): Promise<void> => {
    while (next < n) await one(next++);
  };
  try {
    await Promise.all(Array.from({ length: Math.min(parallel, n) }, worker));
  } catch (error) {
    for (const s of sockets) s.destroy();
    throw error;
  }
  return sockets;
}

// One repetition of the idle-connection measurement: a fresh server, its RSS before and after n connections.
export async function idleConnectionsOnce(config: LabConfig, target: Target, n: number): Promise<number> {
  let server: RunningServer | null = null;
  let sockets: net.Socket[] = [];
  try {
    server = await startServer(
      targetArgv(config, target, TCP_ECHO.name, programArgs(TCP_ECHO, 'serve', { port: 0, host: '127.0.0.1' })),
      config.serverCpus,
    );
    // Warm the server's connection path once, so the first connection's one-off costs are not spread over n.
    (await openIdleConnections(server.port, 10)).forEach((s) => s.destroy());
    await sleep(200);
    const before = readVmRss(server.pid);
    sockets = await openIdleConnections(server.port, n);
    await sleep(300);
    const after = readVmRss(server.pid);
    if (before === null || after === null) throw new Error(`server exited: ${server.stderrTail().slice(-300)}`);
    return perUnitBytes(before, after, n);
  } finally {
    if (server) await server.stop();
    for (const s of sockets) s.destroy();
  }
}

// A point that got no sample: noted, and for a peer listed as not run with the reason.
function notRun(into: Section, target: Target, what: string, reason: string, progress: Progress): void {
  progress.note(`${what} ${target.label} failed: ${reason}`);
  if (isPeer(target.runtime)) into.not_run.push({ workload: what.replace(' ', '/'), target: target.label, reason });
}

interface Collected {
  samples: number[];
  stack: number[];
  handleBlocks: number[];
  malloc: number[];
  v8Heap: number[];
  backend?: string;
  failures: string[];
}

function memoryPoint(
  target: Target,
  kind: MemoryKind,
  count: number,
  c: Collected,
  about: { server?: string; workload?: string } = {},
): MemoryPoint {
  const point: MemoryPoint = {
    kind,
    ...targetOf(target.runtime, target.runtime === 'corojs' ? (c.backend ?? target.backend) : undefined),
    unit: memoryUnit(kind, target.runtime),
    count,
    rss_per_unit_bytes: Math.round(median(c.samples)),
    samples: c.samples,
    ...about,
    valid: c.samples.length >= 3,
  };
  if (c.stack.length) point.stack_resident_per_unit_bytes = Math.round(median(c.stack));
  if (c.handleBlocks.length) point.handle_blocks_per_unit_bytes = Math.round(median(c.handleBlocks));
  if (c.malloc.length) point.malloc_per_unit_bytes = Math.round(median(c.malloc));
  if (c.v8Heap.length) point.v8_heap_per_unit_bytes = Math.round(median(c.v8Heap));
  if (c.failures.length) point.failures = c.failures;
  if (!point.valid)
    point.invalid_reason = `${c.samples.length} repetition(s) gave a sample, 3 needed${c.failures.length ? `: ${c.failures[0]}` : ''}`;
  return point;
}

export const fiberMemory: Workload = {
  ...FIBER_MEMORY,
  steps: (config) =>
    config.repetitions *
    (PLANNED_TARGETS * (IDLE_FIBER_COUNTS.length + idleConnectionCounts(config).length) +
      2 * HIGH_WATER_WORKLOADS.length),
  async run(config, progress, into) {
    const { targets, notes } = await fiberTargets(config);
    for (const note of notes) progress.note(`memory: ${note}`);
    const certDir = await ensureFiberCerts(config).catch((error: Error) => {
      progress.note(`memory: no certificates (${error.message}); tls-echo high-water skipped`);
      return null;
    });
    const collected = new Map<string, Collected>();
    const slot = (key: string): Collected => {
      let c = collected.get(key);
      if (!c)
        collected.set(key, (c = { samples: [], stack: [], handleBlocks: [], malloc: [], v8Heap: [], failures: [] }));
      return c;
    };
    const record = (c: Collected, out: MemoryOutput | null, why: string): void => {
      if (!out) c.failures.push(why);
      else {
        c.samples.push(out.rss_per_fiber_bytes);
        if (out.stack_resident_per_fiber_bytes !== undefined) c.stack.push(out.stack_resident_per_fiber_bytes);
        if (out.handle_blocks_per_fiber_bytes !== undefined) c.handleBlocks.push(out.handle_blocks_per_fiber_bytes);
        if (out.malloc_per_fiber_bytes !== undefined) c.malloc.push(out.malloc_per_fiber_bytes);
        if (out.v8_heap_per_fiber_bytes !== undefined) c.v8Heap.push(out.v8_heap_per_fiber_bytes);
        if (out.backend) c.backend = out.backend;
      }
    };
    const corojsTargets = targets.filter((t) => t.runtime === 'corojs');
    const hwmWorkloads = HIGH_WATER_WORKLOADS.filter((w) => w !== 'tls-echo' || certDir);
    const connectionCounts = idleConnectionCounts(config);
    const soft = ensureNofile(Math.max(...connectionCounts) + 512);
    for (let rep = 1; rep <= config.repetitions; rep++) {
      for (const n of IDLE_FIBER_COUNTS) {
        for (const target of targets) {
          progress.step(`memory idle-fibers ${n} ${target.label} rep ${rep}/${config.repetitions}`);
          const run = await runPinned(
            targetArgv(config, target, FIBER_MEMORY.name, programArgs(FIBER_MEMORY, 'idle', { count: n })),
            config,
            120000,
          );
          record(
            slot(`idle\u0000${n}\u0000${target.label}`),
            run.code === 0 ? parseMemoryOutput(run.stdout) : null,
            failureReason(run),
          );
        }
      }
      for (const target of corojsTargets) {
        for (const workload of hwmWorkloads) {
          progress.step(`memory stack-high-water ${workload} ${target.label} rep ${rep}/${config.repetitions}`);
          const args = programArgs(FIBER_MEMORY, 'hwm', {
            count: highWaterFibers(config),
            workload,
            cert_dir: certDir ?? '',
          });
          const run = await runPinned(targetArgv(config, target, FIBER_MEMORY.name, args), config, 120000);
          record(
            slot(`hwm\u0000${workload}\u0000${target.label}`),
            run.code === 0 ? parseMemoryOutput(run.stdout) : null,
            failureReason(run),
          );
        }
      }
      for (const n of connectionCounts) {
        for (const target of targets) {
          progress.step(`memory idle-connections ${n} ${target.label} rep ${rep}/${config.repetitions}`);
          const c = slot(`conn\u0000${n}\u0000${target.label}`);
          if (soft < n + 256) {
            c.failures.push(`open-file limit ${soft} is too low for ${n} connections`);
            continue;
          }
          try {
            c.samples.push(await idleConnectionsOnce(config, target, n));
          } catch (error) {
            c.failures.push((error as Error).message.split('\n')[0]!.slice(0, 300));
          }
        }
      }
    }
    for (const n of connectionCounts) {
      for (const target of targets) {
        const c = slot(`conn\u0000${n}\u0000${target.label}`);
        if (c.samples.length) into.memory.push(memoryPoint(target, 'idle-connections', n, c, { server: 'tcp-echo' }));
        else notRun(into, target, `memory idle-connections ${n}`, c.failures[0] ?? 'no samples', progress);
      }
    }
    for (const n of IDLE_FIBER_COUNTS) {
      for (const target of targets) {
        const c = slot(`idle\u0000${n}\u0000${target.label}`);
        if (c.samples.length) into.memory.push(memoryPoint(target, 'idle-fibers', n, c));
        else notRun(into, target, `memory idle-fibers ${n}`, c.failures[0] ?? 'no samples', progress);
      }
    }
    for (const workload of hwmWorkloads) {
      for (const target of corojsTargets) {
        const c = slot(`hwm\u0000${workload}\u0000${target.label}`);
        if (c.samples.length)
          into.memory.push(memoryPoint(target, 'stack-high-water', highWaterFibers(config), c, { workload }));
        else
          progress.note(
            `memory: stack-high-water ${workload} ${target.label} failed: ${c.failures[0] ?? 'no samples'}`,
          );
      }
    }
    const summary = memorySummary(into.memory);
    if (summary) into.conclusions.memory_per_fiber = summary;
    const goroutines = goroutineComparison(into.memory);
    if (goroutines) into.conclusions.stack_vs_goroutine = goroutines;
  },
};

// One sentence comparing the idle costs per target at the largest count measured (derived from the points).
export function memorySummary(points: readonly MemoryPoint[]): string {
  const parts: string[] = [];
  for (const kind of ['idle-connections', 'idle-fibers']) {
    const of = points.filter((p) => p.kind === kind);
    if (!of.length) continue;
    const n = Math.max(...of.map((p) => p.count));
    const at = of.filter((p) => p.count === n);
    parts.push(
      `${kind} at ${n}: ${at.map((p) => `${targetLabel(p)} ${(p.rss_per_unit_bytes / 1024).toFixed(1)} KiB`).join(', ')}`,
    );
  }
  return parts.join('; ');
}

// What Go's growable stacks say about CoroJS's fixed one (issue 14): at the largest idle count both measured,
// RSS and stack bytes per idle goroutine against per idle fiber on each CoroJS backend (derived from the points).
export function goroutineComparison(points: readonly MemoryPoint[]): string | null {
  const idle = points.filter((p) => p.kind === 'idle-fibers');
  const go = idle.filter((p) => p.runtime === 'go');
  const fibers = idle.filter((p) => p.runtime === 'corojs');
  const counts = go.map((p) => p.count).filter((n) => fibers.some((f) => f.count === n));
  if (!counts.length) return null;
  const n = Math.max(...counts);
  const kib = (bytes: number | undefined): string => (bytes === undefined ? '?' : `${(bytes / 1024).toFixed(1)} KiB`);
  const g = go.find((p) => p.count === n)!;
  const parts = fibers
    .filter((f) => f.count === n)
    .map(
      (f) =>
        `${targetLabel(f)} ${kib(f.rss_per_unit_bytes)} RSS (stack ${kib(f.stack_resident_per_unit_bytes)} resident), ${(f.rss_per_unit_bytes / Math.max(1, g.rss_per_unit_bytes)).toFixed(1)}x the goroutine`,
    );
  return `at ${n} idle: a goroutine (stack starts small and grows by copying) costs ${kib(g.rss_per_unit_bytes)} RSS (stack ${kib(g.stack_resident_per_unit_bytes)}); a fiber with the fixed 1 MiB stack: ${parts.join('; ')}`;
}
