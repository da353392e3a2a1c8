// dns (Node async/await twin of workloads/dns.mjs): K async workers resolve against one DNS server with
// dns.promises.Resolver (c-ares, like CoroJS), every answer compared exactly with the configured records, the
// same warm-up (a fifth of the time) and the same RESULT lines.
// Usage: dns.js <server> <queries> <seconds> <concurrency> <expected> <peer_pid> (as workloads/dns.mjs)
import { Resolver } from 'node:dns/promises';
import { programArgs } from './program-args.js';
import { canonical, reportTimedVariant, workersFor, type TimedRun } from './self-timing.js';

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
  await reportTimedVariant(
    type,
    Number(secondsArg),
    (seconds, record) => resolveFor(type, name, seconds, record),
    peerPid,
  );
}
