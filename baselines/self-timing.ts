// The Node twin of workloads/self-timing.mjs: CPU seconds, peak RSS, latencies rounded to 3 significant digits.
import { readFile } from 'node:fs/promises';

export async function cpuSeconds(): Promise<number> {
  const fields = (await readFile('/proc/self/stat', 'utf8')).split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
}
export const rssBytes = async (): Promise<number> => Number(/VmHWM:\s+(\d+)/.exec(await readFile('/proc/self/status', 'utf8'))![1]) * 1024;
export const round3 = (ns: number): number => { const p = 10 ** Math.max(0, Math.floor(Math.log10(ns)) - 2); return Math.round(ns / p) * p; };
