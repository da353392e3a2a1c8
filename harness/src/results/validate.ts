// Checks a parsed result file against the contract in schema.ts; returns every problem found (empty = valid).
import { SCHEMA_VERSION } from './schema.js';

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: Json): v is number => typeof v === 'number' && Number.isFinite(v);
const isString = (v: Json): v is string => typeof v === 'string';

const RUNTIMES = ['corojs', 'node18', 'node20', 'bun', 'deno', 'go'];
const MODES = ['closed', 'open'];
const PERCENTILES = ['p50', 'p90', 'p99', 'p999', 'max'];

function checkFields(where: string, value: Json, fields: Record<string, (v: Json) => boolean>, problems: string[]): value is Record<string, Json> {
  if (!isObject(value)) {
    problems.push(`${where}: not an object`);
    return false;
  }
  for (const [field, check] of Object.entries(fields)) {
    if (!(field in value)) problems.push(`${where}.${field}: missing`);
    else if (!check(value[field])) problems.push(`${where}.${field}: invalid value ${JSON.stringify(value[field])?.slice(0, 80)}`);
  }
  return true;
}

const latency = (v: Json): boolean => isObject(v) && PERCENTILES.every((p) => isNumber(v[p]) && (v[p] as number) >= 0);
const numberArray = (v: Json): boolean => Array.isArray(v) && v.every(isNumber);
const nonNegative = (v: Json): boolean => isNumber(v) && v >= 0;

export function validateResultFile(file: Json): string[] {
  const problems: string[] = [];
  if (!checkFields('result', file, {
    schema_version: (v) => v === SCHEMA_VERSION,
    created_at: (v) => isString(v) && !Number.isNaN(Date.parse(v)),
    git_commit: isString,
    env: isObject,
    workloads: Array.isArray,
    switch_ladder: Array.isArray,
    stack: Array.isArray,
    memory: Array.isArray,
  }, problems) || problems.length) return problems; // the sections below need the top level to be sound
  const f = file as Record<string, Json>;
  if (checkFields('env', f.env, {
    cpu_model: isString,
    cores: (v) => isNumber(v) && v >= 1,
    kernel: isString,
    versions: (v) => isObject(v) && ['v8', 'libuv', 'openssl', 'node18', 'node20', 'corojs'].every((k) => isString(v[k])),
    flags: (v) => Array.isArray(v) && v.every(isString),
    cpu_placement: (v) => isObject(v) && isString(v.server) && isString(v.load_generator),
  }, problems)) { /* fields checked */ }
  checkWorkloads('workloads', f.workloads as Json[], problems);
  checkRungs('switch_ladder', f.switch_ladder as Json[], problems);
  (f.stack as Json[]).forEach((s, i) =>
    checkFields(`stack[${i}]`, s, {
      stack_size_bytes: (v) => isNumber(v) && v > 0,
      max_recursion_depth: nonNegative,
      tls_handshake_ok: (v) => typeof v === 'boolean',
      rss_per_fiber_bytes: isNumber,
      spawn_per_s: nonNegative,
    }, problems));
  (f.memory as Json[]).forEach((m, i) =>
    checkFields(`memory[${i}]`, m, {
      runtime: (v) => RUNTIMES.includes(v as string),
      idle_connections: nonNegative,
      rss_per_connection_bytes: isNumber,
    }, problems));
  if ('errors' in f && !(Array.isArray(f.errors) && f.errors.every((e) => isObject(e) && isString(e.workload) && isString(e.message)))) {
    problems.push('errors: must be a list of {workload, message}');
  }
  if ('not_run' in f && !(Array.isArray(f.not_run) && f.not_run.every((e) => isObject(e) && isString(e.workload) && isString(e.target) && isString(e.reason)))) {
    problems.push('not_run: must be a list of {workload, target, reason}');
  }
  checkInstructions('instructions', f.instructions, problems);
  if ('ab' in f && checkFields('ab', f.ab, { rev: isString, commit: isString, corojs: isString, workloads: Array.isArray, switch_ladder: Array.isArray }, problems)) {
    const ab = f.ab as Record<string, Json>;
    if (Array.isArray(ab.workloads)) checkWorkloads('ab.workloads', ab.workloads, problems);
    if (Array.isArray(ab.switch_ladder)) checkRungs('ab.switch_ladder', ab.switch_ladder, problems);
    checkInstructions('ab.instructions', ab.instructions, problems);
  }
  return problems;
}

function checkWorkloads(section: string, workloads: Json[], problems: string[]): void {
  workloads.forEach((w, i) => {
    const where = `${section}[${i}]`;
    if (!checkFields(where, w, {
      name: isString,
      variant: isString,
      runtime: (v) => RUNTIMES.includes(v as string),
      mode: (v) => MODES.includes(v as string),
      connections: nonNegative,
      throughput_per_s: nonNegative,
      latency_us: latency,
      server_cpu_pct: nonNegative,
      server_rss_bytes: nonNegative,
      valid: (v) => typeof v === 'boolean',
      samples: numberArray,
    }, problems)) return;
    if (w.valid === true && (w.samples as number[]).length < 3) problems.push(`${where}.samples: a valid entry needs >= 3 repetitions`);
    if (w.valid === false && !isString(w.invalid_reason)) problems.push(`${where}.invalid_reason: an invalid entry must say why`);
    if (w.mode === 'open' && w.valid === true && !isNumber(w.offered_rate_per_s)) problems.push(`${where}.offered_rate_per_s: missing on an open-loop entry`);
    if ('repetitions' in w) {
      if (!Array.isArray(w.repetitions)) problems.push(`${where}.repetitions: not an array`);
      else w.repetitions.forEach((r, k) => checkFields(`${where}.repetitions[${k}]`, r, { throughput_per_s: nonNegative, server_cpu_pct: nonNegative, generator_cpu_pct: nonNegative }, problems));
    }
    for (const field of ['server_cpu_us_per_op', 'generator_cpu_pct'] as const) {
      if (field in w && !nonNegative(w[field])) problems.push(`${where}.${field}: invalid value ${JSON.stringify(w[field])}`);
    }
  });
}

function checkInstructions(section: string, list: Json, problems: string[]): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) { problems.push(`${section}: not a list`); return; }
  list.forEach((c, i) => checkFields(`${section}[${i}]`, c, { op: isString, runtime: (v) => RUNTIMES.includes(v as string), instructions_per_op: (v) => isNumber(v) && v > 0, samples: numberArray, method: isString }, problems));
}

function checkRungs(section: string, rungs: Json[], problems: string[]): void {
  rungs.forEach((r, i) => checkFields(`${section}[${i}]`, r, { rung: isString, ns_per_switch: nonNegative, samples: numberArray }, problems));
}
