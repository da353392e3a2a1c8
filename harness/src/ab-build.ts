// `npm run lab -- --ab REV`: the runtime as it was at git revision REV, built in a worktree under
// build/ab/<short-sha>/ with that revision's own build script (build/deps and node_modules shared by symlink,
// nothing downloaded), and reused when already built.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';

export interface AbBuild {
  rev: string;
  commit: string;
  short: string;
  corojs: string; // the built binary
}

const git = (root: string, args: readonly string[]): string =>
  execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

// Resolves REV to a commit, or throws with git's own message.
export function resolveRev(root: string, rev: string): { commit: string; short: string } {
  try {
    const commit = git(root, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
    return { commit, short: git(root, ['rev-parse', '--short=10', commit]) };
  } catch {
    throw new Error(
      `--ab ${rev}: not a commit in this repository (a shallow CI checkout needs the history: git fetch --unshallow)`,
    );
  }
}

export function abBuildDir(root: string, short: string): string {
  return path.join(root, 'build/ab', short);
}

// Builds (or reuses) the runtime at REV; `log` gets the build's output. Throws when the build fails.
export function buildAtRev(root: string, rev: string, log: (line: string) => void): AbBuild {
  const { commit, short } = resolveRev(root, rev);
  const dir = abBuildDir(root, short);
  const corojs = path.join(dir, 'build/corojs');
  if (existsSync(corojs)) {
    log(`--ab ${rev}: reusing ${path.relative(root, corojs)} (${short})`);
    return { rev, commit, short, corojs };
  }
  if (existsSync(dir)) {
    // A worktree left by an interrupted build: start it again from a clean checkout.
    spawnSync('git', ['worktree', 'remove', '--force', dir], { cwd: root, stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
    spawnSync('git', ['worktree', 'prune'], { cwd: root, stdio: 'ignore' });
  }
  mkdirSync(path.dirname(dir), { recursive: true });
  git(root, ['worktree', 'add', '--detach', '--force', dir, commit]);
  mkdirSync(path.join(dir, 'build'), { recursive: true });
  symlinkSync(path.resolve(root, 'build/deps'), path.join(dir, 'build/deps'));
  if (!existsSync(path.join(dir, 'node_modules')))
    symlinkSync(path.resolve(root, 'node_modules'), path.join(dir, 'node_modules'));
  const logFile = `${dir}.build.log`;
  log(
    `--ab ${rev}: building ${short} in ${path.relative(root, dir)} with its scripts/build.sh (log: ${path.relative(root, logFile)})`,
  );
  const fd = openSync(logFile, 'w');
  try {
    const run = spawnSync('bash', ['scripts/build.sh'], {
      cwd: dir,
      stdio: ['ignore', fd, fd],
      env: { ...process.env, BUILD_DIR: 'build' },
    });
    if (run.status !== 0 || !existsSync(corojs))
      throw new Error(`--ab ${rev}: the build of ${short} failed (exit ${run.status}); see ${logFile}`);
  } finally {
    closeSync(fd);
  }
  return { rev, commit, short, corojs };
}
