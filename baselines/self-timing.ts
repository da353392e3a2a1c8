// The Node twin of workloads/self-timing.mjs: CPU seconds (own and a peer's), peak RSS, latencies rounded to 3
// significant digits, and the canonical text of an answer for exact comparison.
import { readFile } from 'node:fs/promises';

async function statCpuSeconds(path: string): Promise<number> {
  const fields = (await readFile(path, 'utf8')).split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
}
export const cpuSeconds = (): Promise<number> => statCpuSeconds('/proc/self/stat');
export const peerCpuSeconds = async (pid: string | number): Promise<number> => (Number(pid) > 0 ? statCpuSeconds(`/proc/${pid}/stat`) : 0);
export const rssBytes = async (): Promise<number> => Number(/VmHWM:\s+(\d+)/.exec(await readFile('/proc/self/status', 'utf8'))![1]) * 1024;
export const round3 = (ns: number): number => { const p = 10 ** Math.max(0, Math.floor(Math.log10(ns)) - 2); return Math.round(ns / p) * p; };
// JSON with object keys sorted and list entries sorted, so equal answers compare equal in any order.
export function canonical(value: unknown): string {
  const norm = (v: unknown): unknown => (Array.isArray(v) ? v.map(norm).map((x) => JSON.stringify(x)).sort().map((x) => JSON.parse(x) as unknown)
    : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, norm((v as Record<string, unknown>)[k])])) : v);
  return JSON.stringify(norm(value ?? null));
}
