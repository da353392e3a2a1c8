// Runs a command to completion, pinned with taskset when a CPU list is given; collects stdout and stderr.
import { spawn } from 'node:child_process';
import type { LabConfig } from '../lab-config.js';
import { registerChild } from './child-registry.js';

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  pid: number;
}

export interface CommandOptions {
  cpus?: string; // taskset CPU list
  timeoutMs?: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  onSpawn?: (pid: number) => void;
}

export function pinned(argv: readonly string[], cpus?: string): string[] {
  return cpus ? ['taskset', '-c', cpus, ...argv] : [...argv];
}

// The first CPU of a taskset list ("0", "2-3", "1,3"), for the addon's pinned thread handoff.
export function firstCpu(list: string): number {
  const match = /^\s*(\d+)/.exec(list);
  return match ? Number(match[1]) : -1;
}

export function runCommand(argv: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
  const [file, ...args] = pinned(argv, options.cpus);
  return new Promise((resolve) => {
    const child = spawn(file!, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    registerChild(child);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-20000)));
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, options.timeoutMs)
      : null;
    child.once('spawn', () => options.onSpawn?.(child.pid ?? 0));
    child.once('error', (error) => {
      if (timer) clearTimeout(timer);
      resolve({ code: null, signal: null, stdout, stderr: `${stderr}${error.message}`, timedOut, pid: child.pid ?? 0 });
    });
    child.once('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut, pid: child.pid ?? 0 });
    });
  });
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

// The last line of stdout that parses as JSON after `prefix` (e.g. "RESULT ").
export function lastJsonLine<T>(stdout: string, prefix = ''): T | null {
  return parseJsonLines<T>(stdout, prefix).at(-1) ?? null;
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
