// What the self-timed CoroJS workloads (file-io, dns) report besides their counts: the process's CPU seconds,
// a peer's (the DNS server's) CPU seconds, its peak RSS, latencies rounded to 3 significant digits
// (HdrHistogram's resolution) to keep output small, and a canonical text of an answer for exact comparison.
function statCpuSeconds(path) {
  const fields = fs.readFile(path).split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
}
export const cpuSeconds = () => statCpuSeconds('/proc/self/stat');
export const peerCpuSeconds = (pid) => (Number(pid) > 0 ? statCpuSeconds(`/proc/${pid}/stat`) : 0);
export const rssBytes = () => Number(/VmHWM:\s+(\d+)/.exec(fs.readFile('/proc/self/status'))[1]) * 1024;
export const round3 = (ns) => {
  const p = 10 ** Math.max(0, Math.floor(Math.log10(ns)) - 2);
  return Math.round(ns / p) * p;
};
// JSON with object keys sorted and list entries sorted, so equal answers compare equal in any order.
export function canonical(value) {
  const norm = (v) =>
    Array.isArray(v)
      ? v
          .map(norm)
          .map((x) => JSON.stringify(x))
          .sort()
          .map((x) => JSON.parse(x))
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, norm(v[k])]),
          )
        : v;
  return JSON.stringify(norm(value ?? null));
}

// One variant measured as every self-timed program does: a warm-up of a fifth of `seconds`, then the measured
// window, then one RESULT line with the CPU over the window (and the peer's, e.g. the DNS server's, when
// `peerPid` is given). `loop(seconds, record)` returns { ops, errors, firstError, counts }.
export function reportTimedVariant(variant, seconds, loop, peerPid = undefined) {
  const warm = loop(seconds / 5, false);
  const cpu0 = cpuSeconds();
  const peer0 = peerPid === undefined ? 0 : peerCpuSeconds(peerPid);
  const t0 = process.hrtime.bigint();
  const run = loop(seconds, true);
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpuPct = ((cpuSeconds() - cpu0) / elapsed) * 100;
  const peer = peerPid === undefined ? {} : { peer_cpu_pct: ((peerCpuSeconds(peerPid) - peer0) / elapsed) * 100 };
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
        rss_bytes: rssBytes(),
      }),
  );
}
