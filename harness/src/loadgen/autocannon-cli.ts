// autocannon (programmatic) as a load generator child process for http-hello: `node autocannon-cli.js
// '<HttpLoadConfig>'`, pinned by the harness; prints an HttpLoadResult JSON line. Every body is checked.
import { createRequire } from 'node:module';
import { readProcSnapshot } from '../recorders/proc-sampler.js';
import type { LatencySummaryUs } from '../results/schema.js';

export interface HttpLoadConfig {
  url: string;
  connections: number;
  warmupS: number;
  durationS: number;
  serverPid?: number; // the server's CPU over the measured run is read from /proc
}

export interface HttpLoadResult {
  completed: number;
  errors: number;
  mismatches: number;
  firstError?: string;
  elapsedS: number;
  throughputPerS: number;
  latencyUs: LatencySummaryUs;
  cpuPct: number; // the generator's own CPU over the measured window
  serverCpuPct?: number; // the server's over the same window
  serverCpuS?: number;
}

// The part of autocannon's programmatic API used here (the package ships no types).
interface AutocannonResult {
  requests: { total: number };
  latency: { p50: number; p90: number; p99: number; p99_9?: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  mismatches: number;
}
type Autocannon = (
  options: { url: string; connections: number; duration: number; expectBody: string },
  done: (error: Error | null, result: AutocannonResult) => void,
) => unknown;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

async function runAutocannon(config: HttpLoadConfig): Promise<HttpLoadResult> {
  const run = (duration: number): Promise<AutocannonResult> =>
    new Promise((resolve, reject) => {
      autocannon(
        { url: config.url, connections: config.connections, duration, expectBody: 'hello world' },
        (error, result) => (error ? reject(error) : resolve(result)),
      );
    });
  if (config.warmupS > 0) await run(config.warmupS);
  const serverTicks = (): number => (config.serverPid ? (readProcSnapshot(config.serverPid)?.cpuTicks ?? NaN) : NaN);
  const cpuBefore = process.cpuUsage();
  const serverBefore = serverTicks();
  const startedAt = performance.now();
  const result = await run(config.durationS);
  const cpu = process.cpuUsage(cpuBefore);
  const serverCpuS = (serverTicks() - serverBefore) / 100;
  const seconds = (performance.now() - startedAt) / 1000;
  const ms = (x: number): number => Math.round(x * 1000 * 100) / 100;
  const l = result.latency; // autocannon keeps only its summary (ms)
  const completed = result.requests.total;
  const out: HttpLoadResult = {
    completed,
    errors: result.errors + result.timeouts + result.non2xx,
    mismatches: result.mismatches,
    elapsedS: config.durationS,
    throughputPerS: completed / config.durationS,
    latencyUs: { p50: ms(l.p50), p90: ms(l.p90), p99: ms(l.p99), p999: ms(l.p99_9 ?? l.p99), max: ms(l.max) },
    cpuPct: Math.round(((cpu.user + cpu.system) / 1e6 / seconds) * 1000) / 10,
  };
  if (serverCpuS >= 0) {
    out.serverCpuS = serverCpuS;
    out.serverCpuPct = Math.round((serverCpuS / seconds) * 1000) / 10;
  }
  if (out.errors || out.mismatches)
    out.firstError = `errors ${result.errors}, timeouts ${result.timeouts}, non2xx ${result.non2xx}, wrong bodies ${result.mismatches}`;
  return out;
}

const config = JSON.parse(process.argv[2] ?? '{}') as HttpLoadConfig;
const result = await runAutocannon(config);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
