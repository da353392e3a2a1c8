// The Node twin of workloads/self-timing.mjs: CPU seconds (own and a peer's), peak RSS, latencies rounded to 3
// significant digits, the canonical text of an answer for exact comparison, and K async workers timed for a while.
import { readFile } from 'node:fs/promises';

async function statCpuSeconds(path: string): Promise<number> {
  const fields = (await readFile(path, 'utf8')).split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
}
export const cpuSeconds = (): Promise<number> => statCpuSeconds('/proc/self/stat');
export const peerCpuSeconds = async (pid: string | number): Promise<number> =>
  Number(pid) > 0 ? statCpuSeconds(`/proc/${pid}/stat`) : 0;
export const rssBytes = async (): Promise<number> =>
  Number(/VmHWM:\s+(\d+)/.exec(await readFile('/proc/self/status', 'utf8'))![1]) * 1024;
export const round3 = (ns: number): number => {
  const p = 10 ** Math.max(0, Math.floor(Math.log10(ns)) - 2);
  return Math.round(ns / p) * p;
};
// JSON with object keys sorted and list entries sorted, so equal answers compare equal in any order.
export function canonical(value: unknown): string {
  const norm = (v: unknown): unknown =>
    Array.isArray(v)
      ? v
          .map(norm)
          .map((x) => JSON.stringify(x))
          .sort()
          .map((x) => JSON.parse(x) as unknown)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, norm((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(norm(value ?? null));
}

// What `workersFor` measured: operations done and failed (the first failure kept), and when recording, each
// operation's latency (ns, 3 significant digits) with its count.
export interface TimedRun {
  ops: number;
  errors: number;
  firstError?: string;
  counts: Map<number, number>;
}

// One variant measured as every self-timed program does: a warm-up of a fifth of `seconds`, then the measured
// window, then one RESULT line with the CPU over the window (and the peer's, e.g. the DNS server's, when
// `peerPid` is given).
export async function reportTimedVariant(
  variant: string,
  seconds: number,
  loop: (seconds: number, record: boolean) => Promise<TimedRun>,
  peerPid?: string | number,
): Promise<void> {
  const warm = await loop(seconds / 5, false);
  const cpu0 = await cpuSeconds();
  const peer0 = peerPid === undefined ? 0 : await peerCpuSeconds(peerPid);
  const t0 = process.hrtime.bigint();
  const run = await loop(seconds, true);
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpuPct = (((await cpuSeconds()) - cpu0) / elapsed) * 100;
  const peer =
    peerPid === undefined ? {} : { peer_cpu_pct: (((await peerCpuSeconds(peerPid)) - peer0) / elapsed) * 100 };
  console.log(
    'RESULT ' +
      JSON.stringify({
        variant,
        ops: run.ops,
        errors: warm.errors + run.errors,
        first_error: warm.firstError ?? run.firstError,
        seconds: elapsed,
        latency_ns: [...run.counts],
        cpu_pct: cpuPct,
        ...peer,
        rss_bytes: await rssBytes(),
      }),
  );
}

// Runs `workers` async loops of `operation(worker)` for `seconds`, counting and (if `record`) timing each.
export async function workersFor(
  workers: number,
  seconds: number,
  record: boolean,
  operation: (worker: number) => Promise<void>,
): Promise<TimedRun> {
  const run: TimedRun = { ops: 0, errors: 0, counts: new Map() };
  const deadline = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      while (process.hrtime.bigint() < deadline) {
        const start = process.hrtime.bigint();
        try {
          await operation(worker);
          run.ops++;
        } catch (e) {
          run.errors++;
          run.firstError ??= `${(e as { code?: string }).code ?? ''} ${(e as Error).message}`;
        }
        if (record) {
          const ns = round3(Number(process.hrtime.bigint() - start));
          run.counts.set(ns, (run.counts.get(ns) ?? 0) + 1);
        }
      }
    }),
  );
  return run;
}
