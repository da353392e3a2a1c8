// dns (Node async/await twin of workloads/dns.mjs): K async workers resolve against one DNS server with
// dns.promises.Resolver (c-ares, like CoroJS), every answer compared exactly with the configured records, the
// same warm-up (a fifth of the time) and the same RESULT lines.
// Usage: dns.js <server> <queries> <seconds> <concurrency> <expected> <peer_pid> (as workloads/dns.mjs)
import { Resolver } from 'node:dns/promises';
import { programArgs } from './program-args.js';
import { canonical, cpuSeconds, peerCpuSeconds, rssBytes, workersFor, type TimedRun } from './self-timing.js';

const {
  server,
  queries,
  seconds: secondsArg,
  concurrency: concurrencyArg,
  expected: expectedArg,
  peer_pid: peerPid,
} = programArgs('dns', { run: ['server', 'queries', 'seconds', 'concurrency', 'expected', 'peer_pid'] });
const expected = JSON.parse(expectedArg) as Record<string, unknown>;

const resolver = new Resolver();
resolver.setServers([server]);

function resolveFor(type: string, name: string, seconds: number, record: boolean): Promise<TimedRun> {
  const want = canonical(expected[type]);
  return workersFor(Number(concurrencyArg), seconds, record, async () => {
    const got = canonical(await resolver.resolve(name, type));
    if (got !== want) throw new Error(`wrong ${type} answer for ${name}: ${got}, expected ${want}`);
  });
}

for (const query of queries.split(',')) {
  const [type = 'A', name = 'localhost'] = query.split(':');
  const seconds = Number(secondsArg);
  const warm = await resolveFor(type, name, seconds / 5, false);
  const cpu0 = await cpuSeconds();
  const peer0 = await peerCpuSeconds(peerPid);
  const t0 = process.hrtime.bigint();
  const run = await resolveFor(type, name, seconds, true);
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(
    'RESULT ' +
      JSON.stringify({
        variant: type,
        ops: run.ops,
        errors: warm.errors + run.errors,
        first_error: warm.firstError ?? run.firstError,
        seconds: elapsed,
        latency_ns: [...run.counts],
        cpu_pct: (((await cpuSeconds()) - cpu0) / elapsed) * 100,
        peer_cpu_pct: (((await peerCpuSeconds(peerPid)) - peer0) / elapsed) * 100,
        rss_bytes: await rssBytes(),
      }),
  );
}
