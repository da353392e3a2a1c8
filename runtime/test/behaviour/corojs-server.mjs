// Starts a CoroJS server script for a network test: the script prints one JSON line ({ port, ... }) when it
// is listening; the test talks to it with Node's clients and stops it at the end.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { BACKEND_ARGS, COROJS, writeScript } from './run-corojs.mjs';

// Runs `source` (as main.mjs; `shell` runs first, e.g. 'ulimit -n 8192') and resolves { info, proc, output(), stop() } once it printed its JSON line.
export async function startServer(source, { runtimeArgs = [], args = [], shell, files } = {}) {
  const script = writeScript(source, files);
  const command = shell
    ? ['bash', ['-c', `${shell}; exec "$0" "$@"`, COROJS, ...BACKEND_ARGS, ...runtimeArgs, script, ...args]]
    : [COROJS, [...BACKEND_ARGS, ...runtimeArgs, script, ...args]];
  const proc = spawn(command[0], command[1], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stderr.setEncoding('utf8').on('data', (d) => {
    stderr += d;
  });
  const info = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 15000);
    proc.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n')) {
        clearTimeout(timer);
        resolve(JSON.parse(line));
      }
    });
    proc.on('exit', (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
  });
  return {
    info,
    proc,
    output: () => ({ stdout, stderr }),
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGKILL');
        await once(proc, 'exit');
      }
    },
  };
}

// Connects with Node's net, sends `payload` (Buffer or string, optionally in pieces), reads `expectBytes`.
export function exchange(port, pieces, expectBytes, { host = '127.0.0.1', gapMs = 0, timeoutMs = 10000 } = {}) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, host);
    socket.setNoDelay(true);
    const chunks = [];
    let got = 0;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`timeout after ${got} bytes`));
    }, timeoutMs);
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('data', (d) => {
      chunks.push(d);
      got += d.length;
      if (got >= expectBytes) {
        clearTimeout(timer);
        socket.end();
        resolve(Buffer.concat(chunks));
      }
    });
    socket.on('connect', async () => {
      for (const piece of pieces) {
        socket.write(piece);
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
    });
  });
}

// Sends one line on a fresh connection and resolves the first reply line.
export async function ask(port, line) {
  const reply = await new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('utf8').on('data', (d) => {
      data += d;
      if (data.includes('\n')) {
        socket.end();
        resolve(data.split('\n')[0]);
      }
    });
    socket.on('error', reject);
    socket.write(line + '\n');
  });
  return reply;
}
