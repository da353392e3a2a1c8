// dns (CoroJS): K fibers resolve names against one DNS server for a fixed time, cycling through the record
// types; prints one RESULT line per record type: ops, seconds, latencies (ns, 3 significant digits), CPU.
// Usage: dns.mjs <server host:port> <TYPE:name,...> <seconds> <concurrency>
import { cpuSeconds, round3, rssBytes } from './self-timing.mjs';

const [server, queries, secondsArg = '2', concurrencyArg = '16'] = process.argv.slice(2);

dns.setServers([server]);
for (const query of queries.split(',')) {
  const [type, name] = query.split(':');
  const counts = new Map();
  let ops = 0;
  let errors = 0;
  let firstError;
  let running = 0;
  const cpu0 = cpuSeconds();
  const t0 = process.hrtime.bigint();
  const deadline = t0 + BigInt(Math.round(Number(secondsArg) * 1e9));
  for (let w = 0; w < Number(concurrencyArg); w++) {
    running++;
    Fiber.run(() => {
      while (process.hrtime.bigint() < deadline) {
        const start = process.hrtime.bigint();
        try {
          const answer = dns.resolve(name, type);
          if (!answer[type] || answer[type].length === 0) throw new Error(`empty ${type} answer`);
          ops++;
        } catch (e) { errors++; firstError ??= `${e.code ?? ''} ${e.message}`; }
        const ns = round3(Number(process.hrtime.bigint() - start));
        counts.set(ns, (counts.get(ns) ?? 0) + 1);
      }
      running--;
    });
  }
  while (running > 0) Fiber.sleep(5);
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log('RESULT ' + JSON.stringify({ variant: type, ops, errors, first_error: firstError, seconds: elapsed, latency_ns: [...counts], cpu_pct: ((cpuSeconds() - cpu0) / elapsed) * 100, rss_bytes: rssBytes() }));
}
