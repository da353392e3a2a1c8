// When a load measurement can be trusted: every threshold in one place (docs/ARCHITECTURE.md, "Saturation").
// - Closed loop (max throughput) measures the server only if the server used at least SERVER_BOUND_MIN_PCT of
//   its core while the generator stayed under GENERATOR_MAX_PCT of its own.
// - Open loop (constant rate) measures the server at that load only if the generator kept its schedule: it
//   answered the offered rate (within RATE_KEPT_TOLERANCE over the window) and its own send lag p99 (behind
//   max(intended time, connection free)) stayed under MAX_SEND_LAG_P99_US. On these 2-core VMs the lag p99 is
//   1.5-3 ms at 1,000/s with the native generator at 10 % of its core whenever any other process shares the
//   load core (the scheduler's, not the generator's doing; a spinning generator measured worse), while a
//   generator past its capacity falls behind without bound, so 5 ms tells the two apart.
// - Any error or wrong answer invalidates, whatever the mode.
export const SERVER_BOUND_MIN_PCT = 90;
export const GENERATOR_MAX_PCT = 85;
export const MAX_SEND_LAG_P99_US = 5000;
export const RATE_KEPT_TOLERANCE = 0.03;

export interface LoadFigures {
  generator: string; // who generated the load, for the reason's wording
  completed: number;
  errors: number;
  mismatches: number;
  firstError?: string;
  generatorCpuPct: number;
  serverCpuPct?: number;
  lagP99Us?: number;
  ratePerS?: number; // open loop: the offered rate
  throughputPerS?: number; // open loop: the answered rate over the window
}

// The figures every generator reports (the native one, wrk, autocannon), as loadInvalidReason reads them.
export function generatorFigures(
  generator: string,
  r: {
    completed: number;
    errors: number;
    mismatches: number;
    cpuPct: number;
    firstError?: string;
    serverCpuPct?: number;
  },
): LoadFigures {
  return {
    generator,
    completed: r.completed,
    errors: r.errors,
    mismatches: r.mismatches,
    generatorCpuPct: r.cpuPct,
    ...(r.firstError ? { firstError: r.firstError } : {}),
    ...(r.serverCpuPct !== undefined ? { serverCpuPct: r.serverCpuPct } : {}),
  };
}

const pct = (x: number): string => `${Math.round(x * 10) / 10}%`;

export function loadInvalidReason(m: LoadFigures, mode: 'closed' | 'open'): string | undefined {
  if (m.mismatches > 0) return `${m.mismatches} wrong answer(s): ${m.firstError ?? ''}`;
  if (m.errors > 0) return `${m.errors} error(s): ${m.firstError ?? ''}`;
  if (m.completed === 0) return 'no reply completed';
  if (mode === 'closed') {
    const server = m.serverCpuPct;
    if (server === undefined || server < SERVER_BOUND_MIN_PCT || m.generatorCpuPct >= GENERATOR_MAX_PCT) {
      return (
        `not server-bound: server ${server === undefined ? 'CPU not measured' : pct(server)} of its core (needs >= ${SERVER_BOUND_MIN_PCT}%), ` +
        `${m.generator} ${pct(m.generatorCpuPct)} of its own (needs < ${GENERATOR_MAX_PCT}%)`
      );
    }
  } else return scheduleMissed(m);
  return undefined;
}

// Open loop: why the generator did not keep its schedule, or undefined. Unlike a wrong answer, this can be a
// passing hiccup on the load core, so the grid measures such a repetition once more (server-grid.ts).
export function scheduleMissed(m: LoadFigures): string | undefined {
  if ((m.lagP99Us ?? 0) > MAX_SEND_LAG_P99_US) {
    return `${m.generator} behind its schedule: send lag p99 ${m.lagP99Us} us (limit ${MAX_SEND_LAG_P99_US} us), ${m.generator} ${pct(m.generatorCpuPct)} CPU`;
  }
  if (
    m.ratePerS &&
    m.throughputPerS !== undefined &&
    Math.abs(m.throughputPerS / m.ratePerS - 1) > RATE_KEPT_TOLERANCE
  ) {
    return `offered rate not kept: ${Math.round(m.throughputPerS)}/s answered of ${m.ratePerS}/s offered (tolerance ${RATE_KEPT_TOLERANCE * 100}%), ${m.generator} ${pct(m.generatorCpuPct)} CPU`;
  }
  return undefined;
}
