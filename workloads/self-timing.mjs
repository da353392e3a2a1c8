// What the self-timed CoroJS workloads (file-io, dns) report besides their counts: the process's CPU seconds,
// its peak RSS, and latencies rounded to 3 significant digits (HdrHistogram's resolution) to keep output small.
export function cpuSeconds() {
  const fields = fs.readFile('/proc/self/stat').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
}
export const rssBytes = () => Number(/VmHWM:\s+(\d+)/.exec(fs.readFile('/proc/self/status'))[1]) * 1024;
export const round3 = (ns) => { const p = 10 ** Math.max(0, Math.floor(Math.log10(ns)) - 2); return Math.round(ns / p) * p; };
