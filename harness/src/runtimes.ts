// The runtimes the lab measures, and how to start a workload's program on each: CoroJS (workloads/*.mjs), the
// two Nodes and the async/await peers Bun and Deno (the Node twins, build/ts/baselines/*.js, through their
// node: compatibility), and Go (its own twins, baselines/go/* built into build/go/).
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { RuntimeName } from './results/schema.js';

export const RUNTIMES: readonly RuntimeName[] = ['corojs', 'node18', 'node20', 'bun', 'deno', 'go'];
// The peers: measured beside CoroJS and the Nodes, never gated; one that is missing is reported, not an error.
export const PEERS: readonly RuntimeName[] = ['bun', 'deno', 'go'];
export const isPeer = (runtime: RuntimeName): boolean => PEERS.includes(runtime);

export interface RuntimePaths {
  root: string; // repository root
  corojs: string;
  node18: string;
  node20: string;
  bun: string;
  deno: string;
  goDir: string; // the Go twins' binaries, one per workload
}

export function runtimePaths(root: string): RuntimePaths {
  return {
    root,
    corojs: path.join(root, 'build/corojs'),
    node18: path.join(root, 'build/node18-same-v8'),
    node20: process.env.LAB_NODE20 ?? 'node',
    bun: path.join(root, 'node_modules/.bin/bun'),
    deno: path.join(root, 'node_modules/.bin/deno'),
    goDir: path.join(root, 'build/go'),
  };
}

// Deno grants reading the process's own /proc entries (CPU time, RSS) only with --allow-all: the programs
// that time themselves get it, the servers and the switch rung get no more than the network (and certificates).
export function denoPermissions(workload: string, args: readonly string[]): string[] {
  if (workload === 'tcp-echo' || workload === 'http-hello') return ['--allow-net=127.0.0.1'];
  if (workload === 'tls-echo') return ['--allow-net=127.0.0.1', `--allow-read=${args[2] ?? '.'}`];
  if (workload === 'fiber-micro' && (args[0] === 'switch' || args[0] === 'probe')) return [];
  return ['--allow-all'];
}

// The permissions each Deno program runs with, for the result's environment: what denoPermissions gives, per
// workload (fiber-micro's switch rung and its timed variants apart).
export function denoPermissionsRecord(): Record<string, string> {
  const flags = (workload: string, args: readonly string[]): string =>
    denoPermissions(workload, args).join(' ') || 'none';
  const serverArgs = ['0', '127.0.0.1', '<certDir>'];
  const record: Record<string, string> = {};
  for (const workload of ['tcp-echo', 'http-hello', 'tls-echo', 'file-io', 'dns', 'fiber-memory'])
    record[workload] = flags(workload, serverArgs);
  record['fiber-micro switch'] = flags('fiber-micro', ['switch']);
  record['fiber-micro timed variants'] = flags('fiber-micro', ['pingpong']);
  return record;
}

// The binary that runs a program on `runtime` (Go's twins are one binary per workload: see programArgv).
function binaryOf(paths: RuntimePaths, runtime: Exclude<RuntimeName, 'go'>): string {
  return { corojs: paths.corojs, node18: paths.node18, node20: paths.node20, bun: paths.bun, deno: paths.deno }[
    runtime
  ];
}

// The program for `workload` on `runtime`: workloads/<name>.mjs on CoroJS, build/go/<name> on Go, and
// build/ts/baselines/<name>.js on Node, Bun and Deno.
export function programArgv(
  paths: RuntimePaths,
  runtime: RuntimeName,
  workload: string,
  args: readonly string[],
  runtimeFlags: readonly string[] = [],
): string[] {
  if (runtime === 'corojs')
    return [paths.corojs, ...runtimeFlags, path.join(paths.root, 'workloads', `${workload}.mjs`), ...args];
  if (runtime === 'go') return [path.join(paths.goDir, workload), ...args];
  const program = path.join(paths.root, 'build/ts/baselines', `${workload}.js`);
  // NO_COLOR: Deno's error messages (a failed point's reason) without terminal colour codes.
  if (runtime === 'deno')
    return [
      'env',
      'NO_COLOR=1',
      paths.deno,
      'run',
      '--no-prompt',
      ...denoPermissions(workload, args),
      ...runtimeFlags,
      program,
      ...args,
    ];
  return [binaryOf(paths, runtime), ...runtimeFlags, program, ...args];
}

// Why a runtime cannot run at all (binary missing), or null.
export function runtimeUnavailable(paths: RuntimePaths, runtime: RuntimeName): string | null {
  if (runtime === 'node20') return null;
  if (runtime === 'go') {
    return existsSync(path.join(paths.goDir, 'tcp-echo'))
      ? null
      : `${paths.goDir} has no Go twins (the build needs Debian's golang-go: scripts/setup.sh)`;
  }
  const binary = binaryOf(paths, runtime);
  if (existsSync(binary)) return null;
  return runtime === 'bun' || runtime === 'deno'
    ? `${binary} not installed (npm devDependency ${runtime}: npm ci)`
    : `${binary} not built`;
}
