// Runs a script in the real build/corojs and collects its exit code and output (shared by behaviour tests).
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const COROJS = resolve(process.env.COROJS_BIN ?? join(ROOT, 'build/corojs'));
// The fiber backend every test script runs on (scripts/test.sh runs the suite once per backend).
export const BACKEND = process.env.COROJS_FIBER_BACKEND ?? 'fcontext';
export const BACKEND_ARGS = [`--fiber-backend=${BACKEND}`];

// Writes `source` to a fresh temp dir as main.mjs (plus any `files`) and returns the script's path.
export function writeScript(source, files = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'corojs-test-'));
  writeFileSync(join(dir, 'main.mjs'), source);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return join(dir, 'main.mjs');
}

// Runs `build/corojs [runtimeArgs] script [args]`; resolves { code, signal, stdout, stderr }.
// `timeoutMs` kills a hung runtime so a test fails instead of hanging; `shell` runs first (e.g. 'ulimit -n 64').
export function runCorojs(
  script,
  { args = [], runtimeArgs = [], env = {}, cwd, timeoutMs = 30000, stdin, shell } = {},
) {
  const argv = [COROJS, ...BACKEND_ARGS, ...runtimeArgs, script, ...args];
  const [command, commandArgs] = shell
    ? ['bash', ['-c', `${shell}; exec "$0" "$@"`, ...argv]]
    : [argv[0], argv.slice(1)];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, commandArgs, {
      cwd: cwd ?? dirname(script),
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    // Decoded as a stream: a character split between two pipe reads must not become two U+FFFD.
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
    if (stdin !== undefined) child.stdin.end(stdin);
    else child.stdin.end();
  });
}

// Convenience: runs inline source.
export function runSource(source, options = {}) {
  return runCorojs(writeScript(source, options.files), options);
}
