// Open-loop (constant arrival rate) schedule, wrk2's method: request i of connection k has an intended send
// time fixed in advance, and latency is measured from it, so a stalled server cannot hide its queueing delay.

export interface RatePlan {
  startNs: number;
  ratePerS: number; // total over all connections
  connections: number;
}

// Arrivals are spread evenly over all connections: global arrival n = k + i * connections.
export function intendedSendNs(plan: RatePlan, connection: number, index: number): number {
  const periodNs = 1e9 / plan.ratePerS;
  return plan.startNs + (connection + index * plan.connections) * periodNs;
}

// How many arrivals of the whole plan are due by `nowNs` (inclusive), counting from arrival 0 at startNs.
export function arrivalsDueBy(plan: RatePlan, nowNs: number): number {
  if (nowNs < plan.startNs) return 0;
  return Math.floor(((nowNs - plan.startNs) * plan.ratePerS) / 1e9) + 1;
}

// Corrected latency counts from the intended send; uncorrected from the actual send; lag is the generator's own
// delay in sending, counted from max(intended send, the moment the connection became free): a slow reply that
// holds the connection is the server's latency, not the generator's lag. Lag must stay small or the run
// measures the generator.
export function latencies(
  intendedNs: number,
  actualSendNs: number,
  replyNs: number,
  connectionFreeNs = -Infinity,
): { correctedNs: number; uncorrectedNs: number; lagNs: number } {
  return {
    correctedNs: replyNs - intendedNs,
    uncorrectedNs: replyNs - actualSendNs,
    lagNs: Math.max(0, actualSendNs - Math.max(intendedNs, connectionFreeNs)),
  };
}
