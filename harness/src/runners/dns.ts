// dns: A/AAAA/MX/TXT/SRV lookups by K concurrent fibers / async workers against a dnsmasq the harness starts
// on loopback (pinned to the load CPU), stopped afterwards even on failure.
import { startDnsmasq } from '../process/dnsmasq.js';
import { PLANNED_TARGETS } from '../targets.js';
import { runSelfTimed } from './self-timed.js';
import { programArgs, type Workload, type WorkloadDeclaration } from './workload.js';

export const DNS_QUERIES = [
  'A:web.lab.test',
  'AAAA:web.lab.test',
  'MX:lab.test',
  'TXT:lab.test',
  'SRV:_http._tcp.lab.test',
];
export const DNSMASQ_RECORDS = [
  '--local=/lab.test/',
  '--host-record=web.lab.test,10.0.0.7,fd00::7',
  '--mx-host=lab.test,mail.lab.test,10',
  '--txt-record=lab.test,v=spf1 -all',
  '--srv-host=_http._tcp.lab.test,web.lab.test,8080,1,5',
];
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

export const DNS = {
  name: 'dns',
  about: 'A, AAAA, MX, TXT and SRV lookups against a local dnsmasq, every answer compared exactly',
  variants: DNS_QUERIES.map((q) => q.split(':')[0]!),
  concurrency: 16,
  // peer_pid: dnsmasq's; each program reads its CPU over each variant's window (the peer's saturation check).
  program: { name: 'dns', forms: { run: ['server', 'queries', 'seconds', 'concurrency', 'expected', 'peer_pid'] } },
  parameters: { quick_seconds_per_variant: 0.5 }, // else half of --duration, at least 1 s
} satisfies WorkloadDeclaration;

export const dns: Workload = {
  ...DNS,
  steps: (config) => config.repetitions * PLANNED_TARGETS,
  async run(config, progress, into) {
    const server = await startDnsmasq(DNSMASQ_RECORDS, config.loadCpus);
    try {
      const seconds = config.quick ? DNS.parameters.quick_seconds_per_variant : Math.max(1, config.durationS / 2);
      const args = programArgs(DNS, 'run', {
        server: `127.0.0.1:${server.port}`,
        queries: DNS_QUERIES.join(','),
        seconds,
        concurrency: DNS.concurrency,
        expected: JSON.stringify(DNS_EXPECTED),
        peer_pid: server.pid,
      });
      into.workloads.push(
        ...(await runSelfTimed(
          {
            name: DNS.name,
            variants: DNS.variants,
            concurrency: DNS.concurrency,
            timeoutMs: (DNS_QUERIES.length * (seconds + 5) + 30) * 1000,
            args,
            peerName: 'dnsmasq',
          },
          config,
          progress,
        )),
      );
    } finally {
      server.stop();
    }
  },
};
