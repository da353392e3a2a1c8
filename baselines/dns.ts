// dns (Node async/await twin of workloads/dns.mjs): K async workers resolve against one DNS server with
// dns.promises.Resolver (c-ares, like CoroJS); the same RESULT lines.
// Usage: dns.js <server host:port> <TYPE:name,...> <seconds> <concurrency>
import { Resolver } from 'node:dns/promises';
import { cpuSeconds, round3, rssBytes } from './self-timing.js';

const [server = '127.0.0.1:53', queries = 'A:localhost', secondsArg = '2', concurrencyArg = '16'] = process.argv.slice(2);


const resolver = new Resolver();
resolver.setServers([server]);
for (const query of queries.split(',')) {
  const [type = 'A', name = 'localhost'] = query.split(':');
  const counts = new Map<number, number>();
  let ops = 0;
  let errors = 0;
  let firstError: string | undefined;
  const cpu0 = await cpuSeconds();
  const t0 = process.hrtime.bigint();
  const deadline = t0 + BigInt(Math.round(Number(secondsArg) * 1e9));
  await Promise.all(Array.from({ length: Number(concurrencyArg) }, async () => {
    while (process.hrtime.bigint() < deadline) {
      const start = process.hrtime.bigint();
      try {
        const answer = (await resolver.resolve(name, type)) as unknown[];
        if (!answer.length) throw new Error(`empty ${type} answer`);
        ops++;
      } catch (e) { errors++; firstError ??= `${(e as { code?: string }).code ?? ''} ${(e as Error).message}`; }
      const ns = round3(Number(process.hrtime.bigint() - start));
      counts.set(ns, (counts.get(ns) ?? 0) + 1);
    }
  }));
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log('RESULT ' + JSON.stringify({ variant: type, ops, errors, first_error: firstError, seconds: elapsed, latency_ns: [...counts], cpu_pct: ((await cpuSeconds() - cpu0) / elapsed) * 100, rss_bytes: await rssBytes() }));
}
