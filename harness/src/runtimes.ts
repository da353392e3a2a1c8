// The three runtimes every workload runs on, and how to start a workload's program on each.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { RuntimeName } from './results/schema.js';

export const RUNTIMES: readonly RuntimeName[] = ['corojs', 'node18', 'node20'];

export interface RuntimePaths {
  root: string; // repository root
  corojs: string;
  node18: string;
  node20: string;
}

export function runtimePaths(root: string): RuntimePaths {
  return {
    root,
    corojs: path.join(root, 'build/corojs'),
    node18: path.join(root, 'build/node18-same-v8'),
    node20: process.env.LAB_NODE20 ?? 'node',
  };
}

// The program for `workload` on `runtime`: workloads/<name>.mjs on CoroJS, build/ts/baselines/<name>.js on Node.
export function programArgv(paths: RuntimePaths, runtime: RuntimeName, workload: string, args: readonly string[], runtimeFlags: readonly string[] = []): string[] {
  if (runtime === 'corojs') return [paths.corojs, ...runtimeFlags, path.join(paths.root, 'workloads', `${workload}.mjs`), ...args];
  const program = path.join(paths.root, 'build/ts/baselines', `${workload}.js`);
  return [runtime === 'node18' ? paths.node18 : paths.node20, ...runtimeFlags, program, ...args];
}

// Why a runtime cannot run at all (binary missing), or null.
export function runtimeUnavailable(paths: RuntimePaths, runtime: RuntimeName): string | null {
  if (runtime === 'node20') return null;
  const binary = runtime === 'corojs' ? paths.corojs : paths.node18;
  return existsSync(binary) ? null : `${binary} not built`;
}
