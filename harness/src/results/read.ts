// The one way to read a result file: parses it, converts a schema v1 file (results/reference.json until it is
// regenerated, older files in results/ that make the trends, an old gate base) to v2 here and nowhere else, and
// validates the outcome against the current declaration. compare, export, report and the dashboard read
// through this module.
import { readFileSync } from 'node:fs';
import { decodeHistogram, type LatencyHistogram } from '../recorders/histogram.js';
import { memoryUnit, type MemoryKind, type ResultFile, type RuntimeName, type WorkloadResult } from './schema.js';
import { validateResultFile } from './validate.js';

export type ReadOutcome = { ok: true; file: ResultFile; fromVersion: number } | { ok: false; problems: string[] };

type Entry = Record<string, unknown>;
const isObject = (v: unknown): v is Entry => typeof v === 'object' && v !== null && !Array.isArray(v);
const entries = (v: unknown): Entry[] => (Array.isArray(v) ? v.map((e) => (isObject(e) ? e : {})) : []);

// A v1 CoroJS entry without fiber_backend was measured by a build that predates --fiber-backend: it ran threads,
// and only that (v1 writers stamped this default; v2 points always say their backend).
const V1_DEFAULT_BACKEND = 'thread';

function withBackend(e: Entry): Entry {
  return e.runtime === 'corojs' ? { ...e, fiber_backend: e.fiber_backend ?? V1_DEFAULT_BACKEND } : e;
}

// v1 rungs named their runtime only in later files; the rung's name says it (the addon's rungs have none).
function rungV2(r: Entry): Entry {
  const name = typeof r.rung === 'string' ? r.rung : '';
  const named = name === 'corojs-fiber' ? 'corojs' : name === 'go-goroutine' ? 'go' : /^(.+)-await$/.exec(name)?.[1];
  return withBackend(r.runtime === undefined && named ? { ...r, runtime: named } : r);
}

// v1 memory entries put every kind's count in idle_connections and its bytes in rss_per_connection_bytes, with
// the breakdown "per fiber" even for goroutines; v2 says count, unit and bytes per unit.
function memoryV2(m: Entry): Entry {
  const { idle_connections, rss_per_connection_bytes, stack_resident_per_fiber_bytes, handle_blocks_per_fiber_bytes, malloc_per_fiber_bytes, v8_heap_per_fiber_bytes, ...rest } = m;
  const kind = (m.kind ?? 'idle-connections') as MemoryKind;
  const out: Entry = {
    ...withBackend(rest), kind, unit: m.unit ?? memoryUnit(kind, m.runtime as RuntimeName),
    count: idle_connections, rss_per_unit_bytes: rss_per_connection_bytes, samples: m.samples ?? [], valid: m.valid !== false,
  };
  const parts = { stack_resident: stack_resident_per_fiber_bytes, handle_blocks: handle_blocks_per_fiber_bytes, malloc: malloc_per_fiber_bytes, v8_heap: v8_heap_per_fiber_bytes };
  for (const [part, bytes] of Object.entries(parts)) if (bytes !== undefined) out[`${part}_per_unit_bytes`] = bytes;
  // v1 wrote valid: false, without a reason, when fewer than 3 repetitions gave a sample.
  if (out.valid === false && out.invalid_reason === undefined) out.invalid_reason = `fewer than 3 repetitions measured (${entries(m.samples).length} did)`;
  return out;
}

// A schema v1 file as v2 (the input is not changed).
export function upgradeV1(v1: Entry): Entry {
  const out: Entry = {
    ...v1,
    schema_version: 2,
    workloads: entries(v1.workloads).map(withBackend),
    switch_ladder: entries(v1.switch_ladder).map(rungV2),
    stack: entries(v1.stack).map((s) => withBackend({ runtime: 'corojs', ...s })), // the sweep ran CoroJS only
    memory: entries(v1.memory).map(memoryV2),
  };
  if (v1.instructions !== undefined) out.instructions = entries(v1.instructions).map(withBackend);
  if (isObject(v1.ab)) {
    const ab: Entry = { ...v1.ab, workloads: entries(v1.ab.workloads).map(withBackend), switch_ladder: entries(v1.ab.switch_ladder).map(rungV2) };
    if (v1.ab.instructions !== undefined) ab.instructions = entries(v1.ab.instructions).map(withBackend);
    out.ab = ab;
  }
  return out;
}

// A parsed result file of any version the lab reads, as the current version, or its problems.
export function resultFromJson(json: unknown): ReadOutcome {
  const fromVersion = isObject(json) && typeof json.schema_version === 'number' ? json.schema_version : 0;
  const current = fromVersion === 1 ? upgradeV1(json as Entry) : json;
  const problems = validateResultFile(current);
  if (problems.length) return { ok: false, problems: fromVersion === 1 ? problems.map((p) => `${p} (converted from schema v1)`) : problems };
  return { ok: true, file: current as ResultFile, fromVersion };
}

export function readResultFile(path: string): ReadOutcome {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return { ok: false, problems: [`cannot read ${path}: ${(error as Error).message}`] };
  }
  return resultFromJson(json);
}

// A point's latency histogram (the `histogram` field decoded), or null when it has none.
export function latencyHistogram(point: Pick<WorkloadResult, 'histogram'>): LatencyHistogram | null {
  return point.histogram ? decodeHistogram(point.histogram) : null;
}
