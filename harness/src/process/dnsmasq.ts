// A dnsmasq (Debian's dnsmasq-base) answering from the records it is given, on a free loopback UDP port,
// pinned to `cpus`; the caller stops it (SIGKILL), and the child registry kills it if the harness exits first.
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { registerChild } from './child-registry.js';
import { pinned } from './run-command.js';

async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  const { port } = socket.address();
  socket.close();
  return port;
}

// Starts dnsmasq with `records` (its --host-record=... style options); resolves its port, pid and a stop function.
export async function startDnsmasq(
  records: readonly string[],
  cpus: string,
  attempts = 5,
): Promise<{ port: number; pid: number; stop: () => void }> {
  let lastError = '';
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = await freeUdpPort();
    const [file, ...args] = pinned(
      [
        '/usr/sbin/dnsmasq',
        '--no-daemon',
        '--no-resolv',
        '--no-hosts',
        '--conf-file=/dev/null',
        `--port=${port}`,
        '--listen-address=127.0.0.1',
        '--bind-interfaces',
        '--cache-size=0',
        ...records,
      ],
      cpus,
    );
    const child = spawn(file!, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    registerChild(child);
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const deadline = Date.now() + 5000;
    while (!/started/.test(stderr) && child.exitCode === null && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    if (/started/.test(stderr)) return { port, pid: child.pid!, stop: () => child.kill('SIGKILL') };
    child.kill('SIGKILL');
    lastError = stderr.trim();
  }
  throw new Error(`dnsmasq did not start: ${lastError}`);
}
