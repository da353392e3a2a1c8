// fiber-memory (Node async/await twin of workloads/fiber-memory.mjs, idle mode): n suspended async functions,
// each awaiting its own long timer (as each CoroJS fiber sleeps on its own timer); VmRSS delta / n.
// Usage: fiber-memory.js idle <count> (the CoroJS program's hwm form has no twin)
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { programArgs } from './program-args.js';

const n = Number(programArgs('fiber-memory', { idle: ['=idle', 'count'] }).count);

const vmRss = (): number => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;

async function sleeper(ms = 3600 * 1000): Promise<void> {
  await sleep(ms);
}

await sleeper(0);
await sleep(20);
const before = vmRss();
const pending: Promise<void>[] = [];
for (let i = 0; i < n; i++) pending.push(sleeper());
await sleep(50);
const after = vmRss();
console.log(
  `RESULT ${JSON.stringify({ kind: 'idle-fibers', workload: 'sleep', n, fibers: pending.length, rss_before_bytes: before, rss_after_bytes: after, runtime: `node ${process.versions.node}` })}`,
);
process.exit(0);
