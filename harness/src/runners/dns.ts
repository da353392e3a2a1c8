// dns: A/AAAA/MX/TXT/SRV lookups by 16 concurrent fibers / async workers against a dnsmasq the harness starts
// on loopback (pinned to the load CPU), stopped afterwards even on failure.
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { once } from 'node:events';
import type { LabConfig } from '../lab-config.js';
import { registerChild } from '../process/child-registry.js';
import { pinned } from '../process/run-command.js';
import type { Progress } from '../report/progress.js';
import { PLANNED_TARGETS, type FiberSection } from './fiber-common.js';
import { runSelfTimed } from './self-timed.js';

export const DNS_QUERIES = ['A:web.lab.test', 'AAAA:web.lab.test', 'MX:lab.test', 'TXT:lab.test', 'SRV:_http._tcp.lab.test'];
export const DNSMASQ_RECORDS = ['--local=/lab.test/', '--host-record=web.lab.test,10.0.0.7,fd00::7', '--mx-host=lab.test,mail.lab.test,10',
  '--txt-record=lab.test,v=spf1 -all', '--srv-host=_http._tcp.lab.test,web.lab.test,8080,1,5'];
// What each query must answer, exactly, given DNSMASQ_RECORDS (both programs compare every answer with it, in
// the shape Node's resolver and CoroJS's dns.resolve give: addresses, {exchange, priority}, [chunks], {name,
// port, priority, weight}).
export const DNS_EXPECTED: Record<string, unknown[]> = {
  A: ['10.0.0.7'],
  AAAA: ['fd00::7'],
  MX: [{ exchange: 'mail.lab.test', priority: 10 }],
  TXT: [['v=spf1 -all']],
  SRV: [{ name: 'web.lab.test', port: 8080, priority: 1, weight: 5 }],
};

async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  const { port } = socket.address();
  socket.close();
  return port;
}

// Starts dnsmasq on a free loopback port; resolves its port and a stop function.
export async function startDnsmasq(cpus: string, attempts = 5): Promise<{ port: number; pid: number; stop: () => void }> {
  let lastError = '';
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = await freeUdpPort();
    const [file, ...args] = pinned(['/usr/sbin/dnsmasq', '--no-daemon', '--no-resolv', '--no-hosts', '--conf-file=/dev/null', `--port=${port}`,
      '--listen-address=127.0.0.1', '--bind-interfaces', '--cache-size=0', ...DNSMASQ_RECORDS], cpus);
    const child = spawn(file!, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    registerChild(child);
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const deadline = Date.now() + 5000;
    while (!/started/.test(stderr) && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (/started/.test(stderr)) return { port, pid: child.pid!, stop: () => child.kill('SIGKILL') };
    child.kill('SIGKILL');
    lastError = stderr.trim();
  }
  throw new Error(`dnsmasq did not start: ${lastError}`);
}

export const dnsEntry = {
  name: 'dns' as const,
  steps: (config: LabConfig): number => config.repetitions * PLANNED_TARGETS,
  async run(config: LabConfig, progress: Progress, into: FiberSection): Promise<void> {
    const server = await startDnsmasq(config.loadCpus);
    try {
      const seconds = config.quick ? 0.5 : Math.max(1, config.durationS / 2);
      into.workloads.push(...(await runSelfTimed({
        name: 'dns', variants: DNS_QUERIES.map((q) => q.split(':')[0]!), concurrency: 16, timeoutMs: (DNS_QUERIES.length * (seconds + 5) + 30) * 1000,
        // dnsmasq's pid: each program reads its CPU over each variant's window (the peer's saturation check).
        args: [`127.0.0.1:${server.port}`, DNS_QUERIES.join(','), String(seconds), '16', JSON.stringify(DNS_EXPECTED), String(server.pid)],
        peerName: 'dnsmasq',
      }, config, progress)));
    } finally {
      server.stop();
    }
  },
};
