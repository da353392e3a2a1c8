// A workload server: started pinned to its CPU, ready when it prints "READY <port>", stopped afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { registerChild } from './child-registry.js';
import { pinned } from './run-command.js';

export interface RunningServer {
  pid: number;
  port: number;
  stderrTail(): string;
  stop(): Promise<void>;
}

export function startServer(argv: readonly string[], cpus: string, readyTimeoutMs = 15000): Promise<RunningServer> {
  const [file, ...args] = pinned(argv, cpus);
  const child: ChildProcess = spawn(file!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  registerChild(child);
  let stderr = '';
  let stdout = '';
  let ready = false;
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const killer = setTimeout(() => child.kill('SIGKILL'), 2000);
      child.once('exit', () => {
        clearTimeout(killer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`server not ready after ${readyTimeoutMs} ms: ${argv.join(' ')}\n${stderr}`));
    }, readyTimeoutMs);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      if (ready) return;
      stdout += d;
      const match = /^READY (\d+)/m.exec(stdout);
      if (match) {
        ready = true;
        clearTimeout(timer);
        resolve({ pid: child.pid!, port: Number(match[1]), stderrTail: () => stderr, stop });
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before ready: ${argv.join(' ')}\n${stderr.trim()}`));
    });
  });
}
