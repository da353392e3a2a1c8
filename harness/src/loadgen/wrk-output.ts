// Parses wrk's --latency report and provides the Lua script that checks every response body.
import type { LatencySummaryUs } from '../results/schema.js';

const CLOCK_TICKS_PER_S = 100; // USER_HZ on Linux

// Counts responses that are not "200 ... hello world"; done() prints the count for the harness to read, and
// the CPU ticks (utime+stime, /proc) of wrk itself and of the server between setup (before the threads start)
// and done (after they stop): the same window as wrk's requests.
export function wrkCheckScript(serverPid: number): string {
  return `
bad = 0
local function cpu_ticks(pid)
  local f = io.open("/proc/" .. pid .. "/stat", "r")
  if not f then return -1 end
  local stat = f:read("*a")
  f:close()
  local fields = {}
  for v in stat:match("%)%s(.*)"):gmatch("%S+") do fields[#fields + 1] = v end
  return tonumber(fields[12]) + tonumber(fields[13])
end
response = function(status, headers, body)
  if status ~= 200 or body ~= "hello world" then bad = bad + 1 end
end
-- counters live in each thread's Lua state; done() runs in the main one and sums them
threads = {}
setup = function(thread)
  if #threads == 0 then self0, server0 = cpu_ticks("self"), cpu_ticks(${serverPid}) end
  table.insert(threads, thread)
end
done = function(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + (thread:get("bad") or 0) end
  io.write(string.format("LAB_BAD %d\\n", total))
  io.write(string.format("LAB_CPU_TICKS wrk=%d server=%d duration_us=%d\\n", cpu_ticks("self") - self0, cpu_ticks(${serverPid}) - server0, summary.duration))
  io.write(string.format("LAB_LATENCY_US p50=%d p90=%d p99=%d p999=%d max=%d\\n",
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max))
end
`;
}

export interface WrkReport {
  requests: number;
  seconds: number;
  errors: number;
  badResponses: number;
  latencyUs: LatencySummaryUs;
  cpu?: { wrkPct: number; serverPct: number; serverCpuS: number }; // over wrk's own run, from LAB_CPU_TICKS
}

export function parseWrkOutput(text: string): WrkReport {
  const total = /(\d+) requests in ([\d.]+)(ms|s|m)/.exec(text);
  if (!total) throw new Error(`wrk output not understood: ${text.slice(0, 300)}`);
  const unit = total[3] === 'ms' ? 0.001 : total[3] === 'm' ? 60 : 1;
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const errors = socketErrors ? socketErrors.slice(1).reduce((n, x) => n + Number(x), 0) : 0;
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0);
  const latency = /LAB_LATENCY_US p50=(\d+) p90=(\d+) p99=(\d+) p999=(\d+) max=(\d+)/.exec(text);
  const l = latency ? latency.slice(1).map(Number) : [0, 0, 0, 0, 0];
  const ticks = /LAB_CPU_TICKS wrk=(-?\d+) server=(-?\d+) duration_us=(\d+)/.exec(text);
  const cpu =
    ticks && Number(ticks[3]) > 0 && Number(ticks[1]) >= 0 && Number(ticks[2]) >= 0
      ? ((wrk: number, server: number, s: number) => ({
          wrkPct: Math.round((wrk / s) * 1000) / 10,
          serverPct: Math.round((server / s) * 1000) / 10,
          serverCpuS: server,
        }))(Number(ticks[1]) / CLOCK_TICKS_PER_S, Number(ticks[2]) / CLOCK_TICKS_PER_S, Number(ticks[3]) / 1e6)
      : undefined;
  return {
    ...(cpu ? { cpu } : {}),
    requests: Number(total[1]),
    seconds: Number(total[2]) * unit,
    errors,
    badResponses: non2xx + Number(/LAB_BAD (\d+)/.exec(text)?.[1] ?? 0),
    latencyUs: { p50: l[0]!, p90: l[1]!, p99: l[2]!, p999: l[3]!, max: l[4]! },
  };
}
