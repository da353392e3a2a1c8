// A dnsmasq (Debian's dnsmasq-base) answering from the records it is given, on a free loopback port,
// pinned to `cpus` when given; the caller stops it (SIGKILL), and the child registry kills it if the harness exits first.
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { registerChild } from './child-registry.js';
import { pinned } from './run-command.js';

// A loopback port free for both UDP and TCP (dnsmasq binds both), taken below the kernel's ephemeral range:
// after a test that opened tens of thousands of connections, most ephemeral ports sit in TIME_WAIT for a minute,
// and a TCP bind on one fails with EADDRINUSE however many random tries are made (CI saw five in a row fail).
async function freeDnsPort(): Promise<number> {
  const [ephemeralLow] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  const low = 10000;
  const high = Math.max(low + 1000, ephemeralLow ?? 32768);
  for (let tries = 0; tries < 200; tries++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if ((await canBind(port, 'udp')) && (await canBind(port, 'tcp'))) return port;
  }
  throw new Error(`no loopback port free for UDP and TCP in [${low}, ${high})`);
}

async function canBind(port: number, protocol: 'udp' | 'tcp'): Promise<boolean> {
  const socket = protocol === 'udp' ? dgram.createSocket('udp4') : net.createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      if (socket instanceof net.Server) socket.listen(port, '127.0.0.1', resolve);
      else socket.bind(port, '127.0.0.1', resolve);
    });
    return true;
  } catch {
    return false;
  } finally {
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}

// Starts dnsmasq with `records` (its --host-record=... style options); resolves its port, pid and a stop function.
export async function startDnsmasq(
  records: readonly string[],
  cpus?: string,
  attempts = 5,
): Promise<{ port: number; pid: number; stop: () => void }> {
  let lastError = '';
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = await freeDnsPort();
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
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const deadline = Date.now() + 5000;
    while (!/started/.test(stderr) && child.exitCode === null && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    if (/started/.test(stderr)) return { port, pid: child.pid!, stop: () => child.kill('SIGKILL') };
    child.kill('SIGKILL');
    lastError = stderr.trim();
  }
  throw new Error(`dnsmasq did not start: ${lastError}`);
}
