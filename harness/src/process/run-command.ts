// Runs a command to completion, pinned with taskset when a CPU list is given; collects stdout and stderr.
import { spawn } from 'node:child_process';
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

export function runCommand(argv: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
  const [file, ...args] = pinned(argv, options.cpus);
  return new Promise((resolve) => {
    const child = spawn(file!, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
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

// The last line of stdout that parses as JSON after `prefix` (e.g. "RESULT ").
export function lastJsonLine<T>(stdout: string, prefix = ''): T | null {
  const lines = stdout.trim().split('\n').reverse();
  for (const line of lines) {
    if (!line.startsWith(prefix)) continue;
    try {
      return JSON.parse(line.slice(prefix.length)) as T;
    } catch {
      continue;
    }
  }
  return null;
}
