// Parses wrk's --latency report and provides the Lua script that checks every response body.
import type { LatencySummaryUs } from '../results/schema.js';

// Counts responses that are not "200 ... hello world"; done() prints the count for the harness to read.
export const WRK_CHECK_SCRIPT = `
bad = 0
response = function(status, headers, body)
  if status ~= 200 or body ~= "hello world" then bad = bad + 1 end
end
done = function(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + (thread:get("bad") or 0) end
  io.write(string.format("LAB_BAD %d\\n", total))
  io.write(string.format("LAB_LATENCY_US p50=%d p90=%d p99=%d p999=%d max=%d\\n",
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max))
end
-- counters live in each thread's Lua state; done() runs in the main one and sums them
threads = {}
setup = function(thread) table.insert(threads, thread) end
`;

export interface WrkReport {
  requests: number;
  seconds: number;
  errors: number;
  badResponses: number;
  latencyUs: LatencySummaryUs;
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
  return {
    requests: Number(total[1]),
    seconds: Number(total[2]) * unit,
    errors,
    badResponses: non2xx + Number(/LAB_BAD (\d+)/.exec(text)?.[1] ?? 0),
    latencyUs: { p50: l[0]!, p90: l[1]!, p99: l[2]!, p999: l[3]!, max: l[4]! },
  };
}
