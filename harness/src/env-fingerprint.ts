// The environment fingerprint of a run: CPU, kernel, commit, and the versions each runtime reports itself.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LabConfig } from './lab-config.js';
import type { Environment } from './results/schema.js';
import { denoPermissionsRecord, programArgv, RUNTIMES, runtimePaths } from './runtimes.js';
import { targetWanted } from './lab-config.js';

function quietly(file: string, args: readonly string[], cwd?: string): string {
  try {
    return execFileSync(file, args, {
      encoding: 'utf8',
      cwd,
      timeout: 10000,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return '';
  }
}

function versionsOf(argv: readonly string[]): Record<string, string> {
  const out = quietly(argv[0]!, argv.slice(1));
  try {
    return JSON.parse(out.split('\n').pop() ?? '{}') as Record<string, string>;
  } catch {
    return {};
  }
}

// The peers' own versions (Bun's, Deno's with its V8, the Go release the twins were built with), or
// 'unavailable' for a peer that is not installed; peers --targets leaves out are not asked.
export function peerVersions(config: LabConfig): { bun?: string; deno?: string; deno_v8?: string; go?: string } {
  const paths = runtimePaths(config.root);
  const out: { bun?: string; deno?: string; deno_v8?: string; go?: string } = {};
  if (targetWanted(config, 'bun')) out.bun = quietly(paths.bun, ['--version']) || 'unavailable';
  if (targetWanted(config, 'deno')) {
    const deno = quietly(paths.deno, ['--version']);
    out.deno = /^deno (\S+)/m.exec(deno)?.[1] ?? 'unavailable';
    out.deno_v8 = /^v8 (\S+)/m.exec(deno)?.[1] ?? 'unavailable';
  }
  if (targetWanted(config, 'go')) {
    const probe = quietly(programArgv(paths, 'go', 'fiber-micro', ['probe'])[0]!, ['probe']);
    out.go = /"runtime":"go([^"]+)"/.exec(probe)?.[1] ?? 'unavailable';
  }
  return out;
}

export function gitCommit(root: string): string {
  return quietly('git', ['rev-parse', 'HEAD'], root) || 'unknown';
}

export function environment(config: LabConfig, flags: readonly string[]): Environment {
  const paths = runtimePaths(config.root);
  mkdirSync(config.workDir, { recursive: true });
  const probe = path.join(config.workDir, 'versions.mjs');
  writeFileSync(probe, 'console.log(JSON.stringify(process.versions));\n');
  const corojs = versionsOf([paths.corojs, probe]);
  const node18 = versionsOf([paths.node18, '-p', 'JSON.stringify(process.versions)']);
  const node20 = versionsOf([paths.node20, '-p', 'JSON.stringify(process.versions)']);
  const peers = peerVersions(config);
  const cpuInfo = (() => {
    try {
      return readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      return '';
    }
  })();
  return {
    cpu_model: /model name\s*:\s*(.*)/.exec(cpuInfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    kernel: `${os.type()} ${os.release()}`,
    versions: {
      v8: corojs.v8 ?? node18.v8 ?? 'unknown',
      libuv: corojs.uv ?? node18.uv ?? 'unknown',
      // CoroJS links the system OpenSSL that libnode.so.108 uses; the same-engine Node 18 reports it.
      openssl: node18.openssl ?? quietly('openssl', ['version']) ?? 'unknown',
      node18: node18.node ?? 'unavailable',
      node20: node20.node ?? 'unavailable',
      corojs: corojs.corojs ?? 'unavailable',
      ...peers,
    },
    flags: [...flags],
    targets: RUNTIMES.filter((t) => targetWanted(config, t)),
    ...(targetWanted(config, 'deno') ? { deno_permissions: denoPermissionsRecord() } : {}),
    cpu_placement: { server: config.serverCpus, load_generator: config.loadCpus },
  };
}
