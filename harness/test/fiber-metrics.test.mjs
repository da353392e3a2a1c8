// Pure parts of the fiber runners: output parsing, per-fiber RSS, backend decisions, the 1 MiB stack conclusion.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstCpu, parseJsonLines } from '../../build/ts/harness/src/process/run-command.js';
import { parseVmRss, perUnitBytes } from '../../build/ts/harness/src/recorders/proc-sampler.js';
import { backendToRecord } from '../../build/ts/harness/src/targets.js';
import { memorySummary, parseMemoryOutput, parseNofile } from '../../build/ts/harness/src/runners/fiber-memory.js';
import { microVariantName, parseMicroOutput } from '../../build/ts/harness/src/runners/fiber-micro.js';
import {
  failedRequirements,
  rssGrowsWithReservedSize,
  stackVerdict,
} from '../../build/ts/harness/src/runners/stack-conclusion.js';
import { parseStackProbe, STACK_SIZES } from '../../build/ts/harness/src/runners/stack-sweep.js';
import { parseSwitchOutput, rungOf } from '../../build/ts/harness/src/runners/switch-ladder.js';

const KiB = 1024;
const MiB = 1024 * KiB;

describe('output parsing', () => {
  it('keeps only well-formed prefixed JSON lines', () => {
    const out = 'noise\nRESULT {"a":1}\nRESULT {broken\nRESULTX {"b":2}\nPART {"c":3}\nRESULT {"a":2}\n';
    assert.deepEqual(parseJsonLines(out), [{ a: 1 }, { a: 2 }]);
    assert.deepEqual(parseJsonLines(out, 'PART '), [{ c: 3 }]);
    assert.deepEqual(parseJsonLines(''), []);
  });

  it('parses a switch result and rejects malformed or empty ones', () => {
    const ok =
      'RESULT {"variant":"switch","switches":200000,"elapsed_ns":500000000,"ns_per_switch":2500,"backend":"ucontext"}';
    assert.deepEqual(parseSwitchOutput(ok), { ns_per_switch: 2500, switches: 200000, backend: 'ucontext' });
    assert.deepEqual(parseSwitchOutput('RESULT {"variant":"switch","switches":10,"ns_per_switch":90.5}'), {
      ns_per_switch: 90.5,
      switches: 10,
    });
    assert.equal(parseSwitchOutput('RESULT {"variant":"switch","switches":0,"ns_per_switch":1}'), null);
    assert.equal(parseSwitchOutput('RESULT {"variant":"switch","switches":5,"ns_per_switch":null}'), null);
    assert.equal(parseSwitchOutput('RESULT {"variant":"pingpong","switches":5,"ns_per_switch":3}'), null);
    assert.equal(parseSwitchOutput('Segmentation fault'), null);
  });

  it('makes a rung from the median of its samples', () => {
    const rung = rungOf('corojs-fiber', [300, 100.04, 200], { fiber_backend: 'thread' });
    assert.equal(rung.ns_per_switch, 200);
    assert.deepEqual(rung.samples, [300, 100, 200]);
    assert.equal(rung.fiber_backend, 'thread');
  });

  it('parses fiber-micro results per variant, skipping incomplete ones', () => {
    const latency = { p50: 1, p90: 2, p99: 3, p999: 4, max: 5 };
    const out = [
      `RESULT ${JSON.stringify({ variant: 'pingpong', ops_per_s: 1e6, latency_us: latency, cpu_pct: 99, rss_bytes: 4096, backend: 'thread' })}`,
      `RESULT ${JSON.stringify({ variant: 'spawn-join', ops_per_s: 0, latency_us: latency })}`,
      `RESULT ${JSON.stringify({ variant: 'recursion', ops_per_s: 10, latency_us: { p50: 1 } })}`,
    ].join('\n');
    const parsed = parseMicroOutput(out);
    assert.deepEqual([...parsed.keys()], ['pingpong']);
    assert.deepEqual(parsed.get('pingpong'), {
      variant: 'pingpong',
      ops_per_s: 1e6,
      latency_us: latency,
      cpu_pct: 99,
      rss_bytes: 4096,
      backend: 'thread',
    });
    assert.equal(microVariantName('recursion'), 'recursion-1000');
    assert.equal(microVariantName('pingpong'), 'pingpong');
  });

  it('reads VmRSS, the open-file limit and the first CPU of a taskset list', () => {
    assert.equal(parseVmRss('Name:\tx\nVmHWM:\t  900 kB\nVmRSS:\t  812 kB\n'), 812 * 1024);
    assert.equal(parseVmRss('Name:\tx\n'), null);
    assert.deepEqual(
      parseNofile(
        'Max processes  100  100  processes\nMax open files            1024                 20000                files\n',
      ),
      { soft: 1024, hard: 20000 },
    );
    assert.equal(parseNofile('Max open files  unlimited  unlimited  files').soft, Number.MAX_SAFE_INTEGER);
    assert.equal(parseNofile('nothing'), null);
    assert.equal(firstCpu('0'), 0);
    assert.equal(firstCpu('2-3'), 2);
    assert.equal(firstCpu('1,3'), 1);
    assert.equal(firstCpu(''), -1);
  });
});

describe('RSS per fiber', () => {
  it('divides the RSS delta by the count and keeps a negative delta visible', () => {
    assert.equal(perUnitBytes(10_000_000, 26_000_000, 1000), 16000);
    assert.equal(perUnitBytes(100, 50, 10), -5);
    assert.equal(perUnitBytes(0, 4096, 3), 1365);
    assert.equal(perUnitBytes(0, 100, 0), 0);
    assert.equal(perUnitBytes(Number.NaN, 100, 1), 0);
  });

  it('turns a fiber-memory line into per-fiber RSS and resident stack', () => {
    const line = `RESULT ${JSON.stringify({ kind: 'idle-fibers', workload: 'sleep', n: 1000, fibers: 1000, rss_before_bytes: 32e6, rss_after_bytes: 48e6, stack_resident_before_bytes: 16384, stack_resident_after_bytes: 8216384, backend: 'thread' })}`;
    assert.deepEqual(parseMemoryOutput(line), {
      kind: 'idle-fibers',
      workload: 'sleep',
      fibers: 1000,
      rss_per_fiber_bytes: 16000,
      stack_resident_per_fiber_bytes: 8200,
      backend: 'thread',
    });
    // The breakdown: C heap and V8 heap growth per fiber beside the resident stack.
    const split = `RESULT ${JSON.stringify({ kind: 'idle-fibers', workload: 'sleep', n: 1000, fibers: 1000, rss_before_bytes: 32e6, rss_after_bytes: 43e6, handle_blocks_before_bytes: 0, handle_blocks_after_bytes: 4096e3, malloc_before_bytes: 5e6, malloc_after_bytes: 7.4e6, v8_heap_before_bytes: 1e6, v8_heap_after_bytes: 1.6e6, backend: 'fcontext' })}`;
    assert.deepEqual(parseMemoryOutput(split), {
      kind: 'idle-fibers',
      workload: 'sleep',
      fibers: 1000,
      rss_per_fiber_bytes: 11000,
      handle_blocks_per_fiber_bytes: 4096,
      malloc_per_fiber_bytes: 2400,
      v8_heap_per_fiber_bytes: 600,
      backend: 'fcontext',
    });
    const node = `RESULT ${JSON.stringify({ kind: 'idle-fibers', workload: 'sleep', n: 10, fibers: 10, rss_before_bytes: 1000, rss_after_bytes: 21000 })}`;
    assert.deepEqual(parseMemoryOutput(node), {
      kind: 'idle-fibers',
      workload: 'sleep',
      fibers: 10,
      rss_per_fiber_bytes: 2000,
    });
    assert.equal(
      parseMemoryOutput('RESULT {"kind":"idle-fibers","fibers":0,"rss_before_bytes":1,"rss_after_bytes":2}'),
      null,
    );
    assert.equal(parseMemoryOutput('RESULT {"kind":"idle-fibers","fibers":5}'), null);
    assert.equal(parseMemoryOutput(''), null);
  });

  it('summarises each kind at its largest count', () => {
    const text = memorySummary([
      { runtime: 'corojs', count: 1000, rss_per_unit_bytes: 2048, kind: 'idle-connections', fiber_backend: 'thread' },
      { runtime: 'corojs', count: 10000, rss_per_unit_bytes: 4096, kind: 'idle-connections', fiber_backend: 'thread' },
      { runtime: 'node20', count: 10000, rss_per_unit_bytes: 1024, kind: 'idle-connections' },
      { runtime: 'node20', count: 100, rss_per_unit_bytes: 512, kind: 'idle-fibers' },
    ]);
    assert.equal(
      text,
      'idle-connections at 10000: corojs-thread 4.0 KiB, node20 1.0 KiB; idle-fibers at 100: node20 0.5 KiB',
    );
    assert.equal(memorySummary([]), '');
  });
});

describe('fiber backends', () => {
  it('records what runs, skips fallbacks and runtimes without the flag', () => {
    assert.deepEqual(backendToRecord('thread', 'thread', 0), { record: 'thread' });
    assert.deepEqual(backendToRecord('ucontext', 'ucontext', 0), { record: 'ucontext' });
    assert.equal(backendToRecord('ucontext', 'thread', 0).record, null);
    assert.match(backendToRecord('ucontext', 'thread', 0).why, /fell back to thread/);
    assert.deepEqual(backendToRecord('thread', undefined, 0), { record: 'thread' });
    assert.equal(backendToRecord('ucontext', undefined, 0).record, null);
    assert.equal(backendToRecord('ucontext', undefined, 9).record, null);
  });
});

const point = (sizeKiB, depth, { tls = true, cold = true, rss = 8000 } = {}) => ({
  stack_size_bytes: sizeKiB * KiB,
  max_recursion_depth: depth,
  tls_handshake_ok: tls,
  cold_fiber_ok: cold,
  rss_per_fiber_bytes: rss,
  spawn_per_s: 20000,
});
// Depth roughly proportional to the usable stack, as measured.
const sweep = (opts = {}) =>
  STACK_SIZES.map((bytes) =>
    point(bytes / KiB, Math.round((bytes / KiB) * 13.3) - 300, {
      tls: bytes >= 128 * KiB,
      cold: bytes >= 128 * KiB,
      ...opts,
    }),
  );

describe('stack-sweep parsing and conclusion', () => {
  it('folds every probe part into a sweep point', () => {
    const out = [
      'PART {"part":"recursion","ok":true,"max_recursion_depth":13571,"range_error":true,"main_depth":13968}',
      'PART {"part":"cold","cold_fiber_ok":true}',
      'PART {"part":"spawn","spawn_samples_per_s":[20000.4,18000,19000],"batch":1000}',
      'PART {"part":"idle","fibers":1000,"rss_before_bytes":1000000,"rss_after_bytes":9192000,"stack_resident_before_bytes":0,"stack_resident_after_bytes":8192000,"backend":"ucontext"}',
      'PART {"part":"tls","tls_handshake_ok":true,"stack_resident_delta_bytes":53248}',
      'DONE',
    ].join('\n');
    const p = parseStackProbe(out, MiB, 'fcontext'); // the probe's own report (ucontext) wins
    assert.equal(p.stack_size_bytes, MiB);
    assert.equal(p.max_recursion_depth, 13571);
    assert.equal(p.tls_handshake_ok, true);
    assert.equal(p.cold_fiber_ok, true);
    assert.equal(p.rss_per_fiber_bytes, 8192);
    assert.equal(p.stack_resident_per_fiber_bytes, 8192);
    assert.equal(p.spawn_per_s, 19000);
    assert.equal(p.fiber_backend, 'ucontext');
    assert.equal(p.tls_stack_resident_bytes, 53248);
    assert.equal(p.missing_parts, undefined);
  });

  it('treats the parts a crashed probe never printed as failed', () => {
    const p = parseStackProbe(
      'PART {"part":"recursion","ok":true,"max_recursion_depth":372,"range_error":true}\nRangeError: Maximum call stack size exceeded',
      64 * KiB,
      'thread',
    );
    assert.equal(p.max_recursion_depth, 372);
    assert.equal(p.tls_handshake_ok, false);
    assert.equal(p.cold_fiber_ok, false);
    assert.equal(p.rss_per_fiber_bytes, 0);
    assert.equal(p.spawn_per_s, 0);
    assert.deepEqual(p.missing_parts, ['cold', 'spawn', 'idle', 'tls']);
    const uncatchable = parseStackProbe(
      'PART {"part":"recursion","ok":false,"max_recursion_depth":0,"range_error":false}',
      64 * KiB,
      'thread',
    );
    assert.equal(uncatchable.max_recursion_depth, 0);
  });

  it('lists the requirements a point fails', () => {
    assert.deepEqual(failedRequirements(point(1024, 13571)), []);
    assert.deepEqual(failedRequirements(point(64, 372, { tls: false, cold: false })), [
      'TLS handshake in a fiber failed',
      'cold (not yet compiled) code cannot run in a fiber',
      'recursion 372 < 10000',
    ]);
    assert.deepEqual(failedRequirements(point(512, 6289), 5000), []);
  });

  it('supports 1 MiB when it is the smallest size meeting the requirements and RSS is flat', () => {
    const verdict = stackVerdict(sweep());
    assert.equal(verdict.supported, true);
    assert.equal(verdict.smallestPassingBytes, MiB);
    assert.equal(verdict.rssGrows, false);
    assert.match(verdict.text, /^supported: 1 MiB is the smallest tested size/);
    assert.match(verdict.text, /does not grow/);
    assert.match(verdict.text, /at 64 KiB: TLS handshake in a fiber failed/);
  });

  it('does not support 1 MiB when it fails a requirement', () => {
    const points = sweep().map((p) => (p.stack_size_bytes === MiB ? { ...p, tls_handshake_ok: false } : p));
    const verdict = stackVerdict(points);
    assert.equal(verdict.supported, false);
    assert.equal(verdict.smallestPassingBytes, 2 * MiB);
    assert.match(verdict.text, /^not supported: 1 MiB fails TLS handshake/);
  });

  it('with a lower requirement: headroom when RSS is flat, too big when RSS grows with the size', () => {
    const flat = stackVerdict(sweep(), 3000);
    assert.equal(flat.supported, true);
    assert.equal(flat.smallestPassingBytes, 256 * KiB);
    assert.match(flat.text, /^supported with headroom: 256 KiB already meets/);
    const growing = sweep().map((p) => ({ ...p, rss_per_fiber_bytes: 4096 + p.stack_size_bytes / 64 }));
    assert.equal(rssGrowsWithReservedSize(growing), true);
    const verdict = stackVerdict(growing, 3000);
    assert.equal(verdict.supported, false);
    assert.match(verdict.text, /^not supported as the minimum: 256 KiB/);
  });

  it('says so when there is no data or no 1 MiB point', () => {
    assert.equal(stackVerdict([]).supported, null);
    const verdict = stackVerdict(sweep().filter((p) => p.stack_size_bytes !== MiB));
    assert.equal(verdict.supported, null);
    assert.match(verdict.text, /1 MiB was not measured; smallest size meeting .*: 2 MiB/);
    assert.equal(rssGrowsWithReservedSize([point(64, 1)]), null);
  });
});
