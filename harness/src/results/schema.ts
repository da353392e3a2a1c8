// The result file: the contract that the dashboard, the report and CI's regression gate read (issue 4). Every
// field is declared once below: the declarations give the TypeScript types (Infer) and the validator
// (validate.ts), and an undeclared field is a validation problem. Bump SCHEMA_VERSION when a field changes
// meaning or disappears, and teach read.ts to convert the old version (it reads v1 files).
import { bool, date, list, num, object, oneOf, optional, record, str, type Infer, type Rule } from './declare.js';

export const SCHEMA_VERSION = 2;

// bun, deno and go are the peers (issue 14): measured beside the others, never gated.
export const RUNTIME_NAMES = ['corojs', 'node18', 'node20', 'bun', 'deno', 'go'] as const;
export type RuntimeName = (typeof RUNTIME_NAMES)[number];
// CoroJS's fiber backends, the default first.
export const FIBER_BACKENDS = ['fcontext', 'ucontext', 'thread'] as const;
export type FiberBackend = (typeof FIBER_BACKENDS)[number];
export const LOAD_MODES = ['closed', 'open'] as const;
export type LoadMode = (typeof LOAD_MODES)[number];
export const MEMORY_KINDS = ['idle-connections', 'idle-fibers', 'stack-high-water'] as const;
export type MemoryKind = (typeof MEMORY_KINDS)[number];

// What a measurement ran on: a runtime, and for CoroJS the fiber backend. Part of every point's identity.
export interface TargetId {
  runtime: RuntimeName;
  fiber_backend?: FiberBackend; // present exactly when runtime is corojs
}

// The one name of a target: corojs-fcontext, corojs-ucontext, corojs-thread, node18, node20, bun, deno, go.
export function targetLabel(t: TargetId): string {
  return t.fiber_backend ? `${t.runtime}-${t.fiber_backend}` : t.runtime;
}

// The target fields of a point measured on `runtime` (CoroJS: on `backend`); a CoroJS point without its backend,
// or a backend on another runtime, is a bug in the caller.
export function targetOf(runtime: RuntimeName, backend?: string): TargetId {
  if (runtime !== 'corojs') {
    if (backend !== undefined) throw new Error(`${runtime} has no fiber backend (given ${backend})`);
    return { runtime };
  }
  if (!(FIBER_BACKENDS as readonly string[]).includes(backend ?? '')) throw new Error(`a corojs point needs its fiber backend (given ${backend})`);
  return { runtime, fiber_backend: backend as FiberBackend };
}

// What one unit of a memory kind is (idle-fibers: a fiber on CoroJS, a goroutine on Go, an async function elsewhere).
export function memoryUnit(kind: MemoryKind, runtime: RuntimeName): string {
  if (kind === 'idle-connections') return 'idle connection';
  if (kind === 'stack-high-water') return 'handler fiber';
  return runtime === 'corojs' ? 'sleeping fiber' : runtime === 'go' ? 'goroutine sleeping on a timer' : 'async function awaiting a timer';
}

const runtime = oneOf(RUNTIME_NAMES);
const fiberBackend = optional(oneOf(FIBER_BACKENDS));
const nonNegative = num({ min: 0 });
const numbers = list(num());

// The target rule: a CoroJS point names its backend, no other point has one.
function targetRule<T extends { runtime?: RuntimeName; fiber_backend?: FiberBackend }>(): Rule<T> {
  return (p, where, problems) => {
    if (p.runtime === 'corojs' && p.fiber_backend === undefined) problems.push(`${where}.fiber_backend: missing on a corojs point`);
    if (p.runtime !== 'corojs' && p.fiber_backend !== undefined) problems.push(`${where}.fiber_backend: only corojs points have one`);
  };
}

const latencySummary = object({ p50: nonNegative, p90: nonNegative, p99: nonNegative, p999: nonNegative, max: nonNegative });
export type LatencySummaryUs = Infer<typeof latencySummary>;

// One repetition of a workload point, measured over its window.
const repetitionRecord = object({
  throughput_per_s: nonNegative,
  server_cpu_pct: nonNegative, // the server's (measured program's) CPU, 100 = one core
  generator_cpu_pct: nonNegative, // the load generator's (dns: dnsmasq's) CPU; 0 where there is none (file-io)
  server_cpu_us_per_op: optional(num()),
  generator_send_lag_p99_us: optional(num()), // open loop: how late the generator sent behind its own schedule, p99
  latency_us: optional(latencySummary), // corrected (open loop: from the intended send)
  latency_uncorrected_us: optional(latencySummary), // from the actual send
  invalid_reason: optional(str()),
  retried_after: optional(str()), // open loop: the first attempt missed the generator's schedule for this reason and was measured again
});
export type RepetitionRecord = Infer<typeof repetitionRecord>;

const abTag = optional(bool()); // in memory only: measured on the --ab build (the lab moves such entries to `ab`)

const workloadResult = object({
  name: str(), // tcp-echo, http-hello, tls-echo, file-io, dns, fiber-micro
  variant: str(), // e.g. "64B", "4KiB", "handshake", "read-1MiB"
  runtime,
  fiber_backend: fiberBackend,
  mode: oneOf(LOAD_MODES),
  connections: nonNegative,
  throughput_per_s: nonNegative, // median over samples
  latency_us: latencySummary,
  server_cpu_pct: nonNegative,
  server_rss_bytes: nonNegative,
  valid: bool(),
  invalid_reason: optional(str()),
  samples: numbers, // per-repetition throughputs (>= 3)
  offered_rate_per_s: optional(num()), // open-loop runs: the constant arrival rate
  latency_uncorrected_us: optional(latencySummary), // open-loop runs: measured from the actual send
  histogram: optional(str()), // HdrHistogram encoded (base64, compressed) for percentile plots: see read.ts
  // Who generated the load (native, node, wrk, autocannon) and its CPU (median of repetitions, 100 = a core).
  generator: optional(str()),
  generator_cpu_pct: optional(nonNegative),
  server_cpu_us_per_op: optional(nonNegative), // median over repetitions: server CPU (utime+stime) per answered operation
  load_fraction: optional(num()), // open-loop ladder rung: the rate as a fraction of the slowest target's closed-loop throughput
  repetitions: optional(list(repetitionRecord)), // every repetition's own figures, for auditing the point
  from_ab_build: abTag,
}, [
  targetRule(),
  (w, where, problems) => {
    if (w.valid && w.samples.length < 3) problems.push(`${where}.samples: a valid entry needs >= 3 repetitions`);
    if (!w.valid && w.invalid_reason === undefined) problems.push(`${where}.invalid_reason: an invalid entry must say why`);
    if (w.mode === 'open' && w.valid && w.offered_rate_per_s === undefined) problems.push(`${where}.offered_rate_per_s: missing on an open-loop entry`);
  },
]);
export type WorkloadResult = Infer<typeof workloadResult>;

// The cost of one one-way switch on one rung. The addon's bare mechanisms (raw-ucontext, raw-fcontext,
// thread-handoff) run on no runtime: they alone have no runtime.
const switchRung = object({
  rung: str(), // raw-ucontext, thread-handoff, corojs-fiber, node20-await, go-goroutine, ...
  runtime: optional(runtime),
  fiber_backend: fiberBackend,
  ns_per_switch: nonNegative, // median
  samples: numbers,
  method: optional(str()), // how it was measured
  failures: optional(list(str())), // repetitions that produced no sample, with the reason
  from_ab_build: abTag,
}, [targetRule()]);
export type SwitchRung = Infer<typeof switchRung>;

// Instructions per operation counted with Valgrind's cachegrind (no hardware counters on these VMs): the
// deterministic rung, machine load does not move it. One entry per operation and target.
const instructionCount = object({
  op: str(), // "switch" (one one-way fiber switch), "echo-64B" (one 64-byte echo round trip, server side)
  runtime,
  fiber_backend: fiberBackend,
  instructions_per_op: num({ above: 0 }), // median
  samples: numbers, // per repetition
  method: str(),
  from_ab_build: abTag,
}, [targetRule()]);
export type InstructionCount = Infer<typeof instructionCount>;

// One CoroJS fiber stack size of the stack sweep (workloads/stack-sweep.mjs with --fiber-stack-size).
const stackSweepPoint = object({
  runtime,
  fiber_backend: fiberBackend,
  stack_size_bytes: num({ above: 0 }),
  max_recursion_depth: nonNegative, // 0 when the recursion part failed
  main_stack_depth: optional(num()), // the same recursion on the main stack, for scale
  recursion_note: optional(str()), // why the depth is 0 although the part ran
  tls_handshake_ok: bool(),
  tls_stack_resident_bytes: optional(num()), // stack pages a TLS handshake in a fiber made resident
  tls_error: optional(str()),
  cold_fiber_ok: optional(bool()), // not-yet-compiled code ran in a fiber
  cold_error: optional(str()),
  rss_per_fiber_bytes: num(), // RSS growth per idle fiber
  stack_resident_per_fiber_bytes: optional(num()),
  spawn_per_s: nonNegative, // spawn+join rate, median of spawn_samples_per_s
  spawn_samples_per_s: optional(numbers),
  missing_parts: optional(list(str())), // probe parts that printed nothing
  probe_error: optional(str()), // how the probe exited when it did not finish
}, [targetRule()]);
export type StackSweepPoint = Infer<typeof stackSweepPoint>;

// What an idle unit costs: `count` units held at once, the RSS growth per unit (median over repetitions), and
// for fibers and goroutines where a unit's bytes go (medians): resident stack pages, V8's handle-scope blocks
// (resident), the C heap in use (V8's archived thread state, the scheduler's records), V8's heap (its JS
// objects); RSS minus these is the rest.
const memoryPoint = object({
  kind: oneOf(MEMORY_KINDS),
  runtime,
  fiber_backend: fiberBackend,
  unit: str(), // what one unit is: memoryUnit(kind, runtime)
  count: nonNegative,
  rss_per_unit_bytes: num(), // may be negative: the allocator can give memory back between the readings
  samples: numbers, // per repetition
  server: optional(str()), // idle-connections: the server program the connections are held to
  workload: optional(str()), // stack-high-water: the workload whose handler fibers were measured
  stack_resident_per_unit_bytes: optional(num()),
  handle_blocks_per_unit_bytes: optional(num()),
  malloc_per_unit_bytes: optional(num()),
  v8_heap_per_unit_bytes: optional(num()),
  valid: bool(),
  invalid_reason: optional(str()),
  failures: optional(list(str())), // repetitions that produced no sample, with the reason
}, [
  targetRule(),
  (m, where, problems) => {
    if (!m.valid && m.invalid_reason === undefined) problems.push(`${where}.invalid_reason: an invalid entry must say why`);
  },
]);
export type MemoryPoint = Infer<typeof memoryPoint>;

const environment = object({
  cpu_model: str(),
  cores: num({ min: 1 }),
  kernel: str(),
  versions: object({
    v8: str(), libuv: str(), openssl: str(), node18: str(), node20: str(), corojs: str(),
    bun: optional(str()), deno: optional(str()), deno_v8: optional(str()), go: optional(str()),
  }),
  flags: list(str()),
  targets: optional(list(str())), // the targets this run measured (--targets, default every installed one)
  // The permission flags Deno ran each program with (per workload; <certDir> stands for the run's directory).
  deno_permissions: optional(record(str())),
  // Which CPUs the server and the load generator were pinned to (taskset lists).
  cpu_placement: object({ server: str(), load_generator: str() }),
});
export type Environment = Infer<typeof environment>;

const runError = object({
  workload: str(), // a workload name, or "targets" / "native-addon" for what every workload needs
  message: str(),
  target: optional(str()), // the target that failed (its label), when one did
});
export type RunError = Infer<typeof runError>;

const notRun = object({
  workload: str(), // a workload name, or "targets" when the peer is missing altogether
  target: str(), // bun, deno, go
  reason: str(),
});
export type NotRun = Infer<typeof notRun>;

// `npm run lab -- --ab REV`: the CoroJS build of REV, measured as extra targets interleaved with this build.
const abSection = object({
  rev: str(), // as given on the command line
  commit: str(), // the full sha it resolved to
  corojs: str(), // the binary measured
  workloads: list(workloadResult), // its CoroJS points (same names, variants, modes and backends as above)
  switch_ladder: list(switchRung), // its corojs-fiber rungs
  instructions: optional(list(instructionCount)),
});
export type AbSection = Infer<typeof abSection>;

export const resultFileDeclaration = object({
  schema_version: oneOf([SCHEMA_VERSION]),
  created_at: date(),
  git_commit: str(),
  env: environment,
  workloads: list(workloadResult),
  switch_ladder: list(switchRung),
  stack: list(stackSweepPoint),
  memory: list(memoryPoint),
  instructions: optional(list(instructionCount)),
  // Free-form conclusions, e.g. whether the data supports the fixed 1 MiB stack.
  conclusions: optional(record(str())),
  // What failed to run (a workload that threw, a server that never became ready, a missing addon or rung, a
  // fiber backend that fell back): `npm run lab` exits non-zero and `npm run compare` fails when present.
  errors: optional(list(runError)),
  // What a peer (bun, deno, go) did not run, with the reason (the error it printed, or why it is missing): peers
  // are information beside the gated targets, so their failures are listed here, not in errors.
  not_run: optional(list(notRun)),
  ab: optional(abSection),
});
export type ResultFile = Infer<typeof resultFileDeclaration>;
