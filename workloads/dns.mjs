// dns (CoroJS): K fibers resolve names against one DNS server for a fixed time, cycling through the record
// types; every answer is compared exactly with what the server was configured to give. Each type first runs
// a warm-up of a fifth of its time (like the Node twin), then the measured window; prints one RESULT line per
// record type: ops, seconds, latencies (ns, 3 significant digits), CPU, and the DNS server's CPU (peer_cpu_pct).
// Usage: dns.mjs <server> <queries> <seconds> <concurrency> <expected> <peer_pid>: the server's host:port, TYPE:name,...,
// the expected answers as JSON and the server's pid (0: none)
import { programArgs } from './program-args.mjs';
import { canonical, reportTimedVariant, round3 } from './self-timing.mjs';

const {
  server,
  queries,
  seconds: secondsArg,
  concurrency: concurrencyArg,
  expected: expectedArg,
  peer_pid: peerPid,
} = programArgs('dns', { run: ['server', 'queries', 'seconds', 'concurrency', 'expected', 'peer_pid'] });
const expected = JSON.parse(expectedArg);

dns.setServers([server]);

// K fibers resolving `name` for `seconds`; returns counts, errors and latencies (when `record`).
function resolveFor(type, name, seconds, record) {
  const want = canonical(expected[type]);
  const counts = new Map();
  const run = { ops: 0, errors: 0, firstError: undefined, counts };
  let running = 0;
  const deadline = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  for (let w = 0; w < Number(concurrencyArg); w++) {
    running++;
    Fiber.run(() => {
      while (process.hrtime.bigint() < deadline) {
        const start = process.hrtime.bigint();
        try {
          const got = canonical(dns.resolve(name, type)[type]);
          if (got !== want) throw new Error(`wrong ${type} answer for ${name}: ${got}, expected ${want}`);
          run.ops++;
        } catch (e) {
          run.errors++;
          run.firstError ??= `${e.code ?? ''} ${e.message}`;
        }
        if (record) {
          const ns = round3(Number(process.hrtime.bigint() - start));
          counts.set(ns, (counts.get(ns) ?? 0) + 1);
        }
      }
      running--;
    });
  }
  while (running > 0) Fiber.sleep(5);
  return run;
}

for (const query of queries.split(',')) {
  const [type, name] = query.split(':');
  reportTimedVariant(type, Number(secondsArg), (seconds, record) => resolveFor(type, name, seconds, record), peerPid);
}
