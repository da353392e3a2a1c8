// Every child the harness starts is registered here so that Ctrl-C, a failure or a normal exit stops them all.
import type { ChildProcess } from 'node:child_process';

const children = new Set<ChildProcess>();
let installed = false;

function killAll(signal: NodeJS.Signals): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  }
}

export function registerChild(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (installed) return;
  installed = true;
  process.once('exit', () => killAll('SIGKILL'));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAll('SIGKILL');
      process.stderr.write(`\nlab: ${signal}, stopped ${children.size} child process(es)\n`);
      process.exit(130);
    });
  }
}
