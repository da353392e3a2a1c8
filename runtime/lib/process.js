// The global process (argv, env, exit, pid, hrtime, exitCode) and performance.now().
const prim = primordials.process;
const timeOrigin = prim.hrtime();

function hrtime(previous) {
  const now = prim.hrtime();
  let seconds = Number(now / 1000000000n);
  let nanos = Number(now % 1000000000n);
  if (Array.isArray(previous)) {
    seconds -= previous[0];
    nanos -= previous[1];
    if (nanos < 0) { seconds -= 1; nanos += 1e9; }
  }
  return [seconds, nanos];
}
hrtime.bigint = () => prim.hrtime();

let exitCode;
const versions = prim.versions();
const process = {
  argv: prim.argv(),
  env: prim.env(),
  pid: prim.pid(),
  platform: 'linux',
  versions: { corojs: '0.1.0', v8: versions.v8, uv: versions.uv },
  hrtime,
  cwd: () => prim.cwd(),
  exit(code) {
    if (code !== undefined) process.exitCode = code;
    prim.exit(exitCode ?? 0);
  },
  get exitCode() { return exitCode; },
  set exitCode(code) {
    if (code === undefined) return;
    if (!Number.isInteger(code)) throw internal.typeError('process.exitCode must be an integer');
    exitCode = code;
    prim.setExitCode(code);
  },
  stdout: { write: (text) => { primordials.console.write(1, String(text)); return true; } },
  stderr: { write: (text) => { primordials.console.write(2, String(text)); return true; } },
};
globalThis.process = process;

globalThis.performance = {
  timeOrigin: Date.now(),
  now: () => Number(prim.hrtime() - timeOrigin) / 1e6,
};
