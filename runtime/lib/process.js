// The global process (argv, env, exit, pid, hrtime, exitCode) and performance.now().
import primordials from './primordials.js';
import { typeError } from './errors.js';
import { now } from './clock.js';

const prim = primordials.process;

function hrtime(previous) {
  const now = prim.hrtime();
  let seconds = Number(now / 1000000000n);
  let nanos = Number(now % 1000000000n);
  if (Array.isArray(previous)) {
    seconds -= previous[0];
    nanos -= previous[1];
    if (nanos < 0) {
      seconds -= 1;
      nanos += 1e9;
    }
  }
  return [seconds, nanos];
}
hrtime.bigint = () => prim.hrtime();

// process.stdout/stderr.write(chunk[, encoding][, callback]) as Node's: a string (UTF-8) or a Uint8Array's
// bytes, written unbuffered; the callback runs after the write, as a microtask.
function writer(fd) {
  return function write(chunk, encoding, callback) {
    if (typeof encoding === 'function') [encoding, callback] = [undefined, encoding];
    if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) {
      throw typeError('The "chunk" argument must be of type string or an instance of Uint8Array');
    }
    if (
      typeof chunk === 'string' &&
      encoding !== undefined &&
      encoding !== null &&
      !/^utf-?8$/i.test(String(encoding))
    ) {
      const message = `Unknown encoding: ${String(encoding)} (only utf8 is supported)`;
      throw typeError(message, 'ERR_UNKNOWN_ENCODING');
    }
    primordials.console.write(fd, chunk);
    if (typeof callback === 'function') queueMicrotask(() => callback(null));
    return true;
  };
}

let exitCode;
const versions = prim.versions();
export const process = {
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
  get exitCode() {
    return exitCode;
  },
  set exitCode(code) {
    if (code === undefined) return;
    if (!Number.isInteger(code)) throw typeError('process.exitCode must be an integer');
    exitCode = code;
    prim.setExitCode(code);
  },
  stdout: { write: writer(1) },
  stderr: { write: writer(2) },
};
globalThis.process = process;

globalThis.performance = {
  timeOrigin: Date.now(),
  now,
};
