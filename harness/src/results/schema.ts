// The result file: the contract that the dashboard and CI's regression check read (issue 4). Add fields freely;
// bump SCHEMA_VERSION only when a field changes meaning or disappears.
export const SCHEMA_VERSION = 1;

// bun, deno and go are the peers (issue 14): measured beside the others, never gated.
export type RuntimeName = 'corojs' | 'node18' | 'node20' | 'bun' | 'deno' | 'go';
export type LoadMode = 'closed' | 'open';

export interface LatencySummaryUs {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export interface Environment {
  cpu_model: string;
  cores: number;
  kernel: string;
  versions: { v8: string; libuv: string; openssl: string; node18: string; node20: string; corojs: string; bun?: string; deno?: string; deno_v8?: string; go?: string };
  flags: string[];
  targets?: string[]; // the targets this run measured (--targets, default every installed one)
  // The permission flags Deno ran each program with (per workload; <certDir> stands for the run's directory).
  deno_permissions?: Record<string, string>;
  // Which CPUs the server and the load generator were pinned to (taskset lists).
  cpu_placement: { server: string; load_generator: string };
}

export interface WorkloadResult {
  name: string; // tcp-echo, http-hello, tls-echo, file-io, dns, fiber-micro
  variant: string; // e.g. "64B", "4KiB", "handshake", "read-1MiB"
  runtime: RuntimeName;
  mode: LoadMode;
  connections: number;
  throughput_per_s: number; // median over samples
  latency_us: LatencySummaryUs;
  server_cpu_pct: number;
  server_rss_bytes: number;
  valid: boolean;
  invalid_reason?: string;
  samples: number[]; // per-repetition throughputs (>= 3)
  offered_rate_per_s?: number; // open-loop runs: the constant arrival rate
  latency_uncorrected_us?: LatencySummaryUs; // open-loop runs: measured from the actual send
  histogram?: string; // HdrHistogram encoded (base64, compressed) for percentile plots
  fiber_backend?: string; // corojs only: fcontext | ucontext | thread
  // Who generated the load (native, node, wrk, autocannon) and its CPU (median of repetitions, 100 = a core).
  generator?: string;
  generator_cpu_pct?: number;
  server_cpu_us_per_op?: number; // median over repetitions: server CPU (utime+stime) per answered operation
  load_fraction?: number; // open-loop ladder rung: the rate as a fraction of the slowest target's closed-loop throughput
  repetitions?: RepetitionRecord[]; // every repetition's own figures, for auditing the point
  from_ab_build?: boolean; // in memory only: measured on the --ab build (the lab moves it to `ab`)
}

// One repetition of a workload point, measured over its window.
export interface RepetitionRecord {
  throughput_per_s: number;
  server_cpu_pct: number; // the server's (measured program's) CPU, 100 = one core
  generator_cpu_pct: number; // the load generator's (dns: dnsmasq's) CPU; 0 where there is none (file-io)
  server_cpu_us_per_op?: number;
  generator_send_lag_p99_us?: number; // open loop: how late the generator sent behind its own schedule, p99
  latency_us?: LatencySummaryUs; // corrected (open loop: from the intended send)
  latency_uncorrected_us?: LatencySummaryUs; // from the actual send
  invalid_reason?: string;
  retried_after?: string; // open loop: the first attempt missed the generator's schedule for this reason and was measured again
}

export interface SwitchRung {
  rung: string; // raw-ucontext, thread-handoff, corojs-fiber, node-await, ...
  ns_per_switch: number; // median
  samples: number[];
  fiber_backend?: string;
  from_ab_build?: boolean; // in memory only, as above
}

// Instructions per operation counted with Valgrind's cachegrind (no hardware counters on these VMs): the
// deterministic rung, machine load does not move it. One entry per operation and CoroJS fiber backend.
export interface InstructionCount {
  op: string; // "switch" (one one-way fiber switch), "echo-64B" (one 64-byte echo round trip, server side)
  runtime: RuntimeName;
  fiber_backend?: string;
  instructions_per_op: number; // median
  samples: number[]; // per repetition
  method: string;
  from_ab_build?: boolean; // in memory only, as for workloads
}

export interface StackSweepPoint {
  stack_size_bytes: number;
  max_recursion_depth: number;
  tls_handshake_ok: boolean;
  rss_per_fiber_bytes: number;
  spawn_per_s: number;
}

export interface MemoryPoint {
  runtime: RuntimeName;
  idle_connections: number; // the count of units (connections, or fibers for the fiber kinds)
  rss_per_connection_bytes: number; // RSS growth per unit (median)
  kind?: string; // idle-connections, idle-fibers, stack-high-water
  unit?: string;
  samples?: number[];
  fiber_backend?: string;
  // CoroJS fibers: where a unit's bytes go (medians): resident stack pages, V8's handle-scope blocks (resident),
  // the C heap in use (V8's archived thread state, the scheduler's records), V8's heap (its JS objects); RSS
  // minus these is the rest.
  stack_resident_per_fiber_bytes?: number;
  handle_blocks_per_fiber_bytes?: number;
  malloc_per_fiber_bytes?: number;
  v8_heap_per_fiber_bytes?: number;
}

export interface ResultFile {
  schema_version: number;
  created_at: string; // ISO 8601
  git_commit: string;
  env: Environment;
  workloads: WorkloadResult[];
  switch_ladder: SwitchRung[];
  stack: StackSweepPoint[];
  memory: MemoryPoint[];
  instructions?: InstructionCount[];
  // Free-form conclusions, e.g. whether the data supports the fixed 1 MiB stack.
  conclusions?: Record<string, string>;
  // What failed to run (a workload that threw, a server that never became ready, a missing addon or rung, a
  // fiber backend that fell back): `npm run lab` exits non-zero and `npm run compare` fails when present.
  errors?: RunError[];
  // What a peer (bun, deno, go) did not run, with the reason (the error it printed, or why it is missing): peers
  // are information beside the gated targets, so their failures are listed here, not in errors.
  not_run?: NotRun[];
  // `npm run lab -- --ab REV`: the CoroJS build of REV, measured as extra targets interleaved with this build.
  ab?: AbSection;
}

export interface RunError {
  workload: string; // a workload name, or "targets" / "native-addon" for what every workload needs
  message: string;
  target?: string; // the target that failed (its label), when one did
}

export interface NotRun {
  workload: string; // a workload name, or "targets" when the peer is missing altogether
  target: string; // bun, deno, go
  reason: string;
}

export interface AbSection {
  rev: string; // as given on the command line
  commit: string; // the full sha it resolved to
  corojs: string; // the binary measured
  workloads: WorkloadResult[]; // its CoroJS points (same names, variants, modes and backends as above)
  switch_ladder: SwitchRung[]; // its corojs-fiber rungs
  instructions?: InstructionCount[];
}
