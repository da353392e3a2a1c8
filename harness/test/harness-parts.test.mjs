// Unit tests of the harness's parts, none depending on the machine's speed: histograms, aggregation, result
// writing and schema validation, the open-loop rate schedule, the answer checks, wrk output parsing, the CLI.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from '../../build/ts/harness/src/cli-args.js';
import {
  EchoReassembler,
  echoMatches,
  makeEchoPayload,
  stampSequence,
} from '../../build/ts/harness/src/loadgen/echo-check.js';
import { arrivalsDueBy, intendedSendNs, latencies } from '../../build/ts/harness/src/loadgen/rate-schedule.js';
import {
  loadInvalidReason,
  GENERATOR_MAX_PCT,
  MAX_SEND_LAG_P99_US,
  SERVER_BOUND_MIN_PCT,
} from '../../build/ts/harness/src/loadgen/validity.js';
import { serverCpuFigures } from '../../build/ts/harness/src/loadgen/loadgen-protocol.js';
import { parseWrkOutput, wrkCheckScript } from '../../build/ts/harness/src/loadgen/wrk-output.js';
import { summaryTable } from '../../build/ts/harness/src/report/summary-table.js';
import {
  createLatencyHistogram,
  decodeHistogram,
  encodeHistogram,
  mergeEncoded,
  recordNs,
  summarizeUs,
} from '../../build/ts/harness/src/recorders/histogram.js';
import { aggregatePoint } from '../../build/ts/harness/src/results/aggregate.js';
import { validateResultFile } from '../../build/ts/harness/src/results/validate.js';
import { writeResultFile } from '../../build/ts/harness/src/results/write.js';
import { sampleFromOutput } from '../../build/ts/harness/src/runners/self-timed.js';
import { measureWithRetry } from '../../build/ts/harness/src/runners/server-grid.js';
import { sampleResult } from './sample-result.mjs';

test('histograms: percentiles in µs, encode/decode round trip, merge', () => {
  const h = createLatencyHistogram();
  for (let i = 1; i <= 1000; i++) recordNs(h, i * 1000); // 1..1000 µs
  const s = summarizeUs(h);
  assert.ok(Math.abs(s.p50 - 500) <= 1, `p50 ${s.p50}`);
  assert.ok(Math.abs(s.p99 - 990) <= 1, `p99 ${s.p99}`);
  assert.ok(Math.abs(s.max - 1000) <= 1, `max ${s.max}`);
  const back = decodeHistogram(encodeHistogram(h));
  assert.equal(back.totalCount, 1000);
  for (const p of ['p50', 'p90', 'p99', 'p999', 'max']) assert.ok(Math.abs(summarizeUs(back)[p] - s[p]) <= 1, p); // within the 3-digit resolution
  const merged = mergeEncoded([encodeHistogram(h), encodeHistogram(h)]);
  assert.equal(merged.totalCount, 2000);
  assert.deepEqual(summarizeUs(createLatencyHistogram()), { p50: 0, p90: 0, p99: 0, p999: 0, max: 0 });
});

test('corrected latency counts from the intended send, uncorrected from the actual send', () => {
  // A server stalled for 100 ms: the generator sends late, and only the corrected latency shows the queueing.
  const l = latencies(1_000_000, 101_000_000, 102_000_000);
  assert.deepEqual(l, { correctedNs: 101_000_000, uncorrectedNs: 1_000_000, lagNs: 100_000_000 });
  assert.equal(latencies(5, 5, 10).lagNs, 0);
  // The connection was busy with a slow reply until 101 ms: sending at 101.01 ms is 10 µs of generator lag, the
  // 100 ms wait is the server's latency (in the corrected figure), not the generator's fault.
  assert.equal(latencies(1_000_000, 101_010_000, 102_000_000, 101_000_000).lagNs, 10_000);
});

test('saturation verdicts: thresholds in one place, reasons quote the measured figures', () => {
  const base = {
    generator: 'native generator',
    completed: 1000,
    errors: 0,
    mismatches: 0,
    generatorCpuPct: 40,
    serverCpuPct: 97,
  };
  assert.equal(loadInvalidReason(base, 'closed'), undefined);
  assert.equal(SERVER_BOUND_MIN_PCT, 90);
  assert.equal(GENERATOR_MAX_PCT, 85);
  assert.equal(
    loadInvalidReason({ ...base, serverCpuPct: 72.14 }, 'closed'),
    'not server-bound: server 72.1% of its core (needs >= 90%), native generator 40% of its own (needs < 85%)',
  );
  assert.match(
    loadInvalidReason({ ...base, generatorCpuPct: 85 }, 'closed'),
    /native generator 85% of its own \(needs < 85%\)/,
  );
  assert.match(loadInvalidReason({ ...base, serverCpuPct: undefined }, 'closed'), /server CPU not measured/);
  // Open loop: the server's CPU does not matter; the generator must keep its schedule.
  assert.equal(MAX_SEND_LAG_P99_US, 5000);
  assert.equal(
    loadInvalidReason({ ...base, serverCpuPct: 30, lagP99Us: 2900, ratePerS: 1000, throughputPerS: 990 }, 'open'),
    undefined,
  );
  assert.equal(
    loadInvalidReason({ ...base, lagP99Us: 5100.5 }, 'open'),
    'native generator behind its schedule: send lag p99 5100.5 us (limit 5000 us), native generator 40% CPU',
  );
  // The offered rate must be what was answered: neither fewer (the generator or server fell behind) nor more
  // (a burst catching up on arrivals scheduled before the window).
  assert.equal(
    loadInvalidReason({ ...base, lagP99Us: 100, ratePerS: 5000, throughputPerS: 8803 }, 'open'),
    'offered rate not kept: 8803/s answered of 5000/s offered (tolerance 3%), native generator 40% CPU',
  );
  assert.match(
    loadInvalidReason({ ...base, lagP99Us: 100, ratePerS: 5000, throughputPerS: 4700 }, 'open'),
    /4700\/s answered of 5000\/s/,
  );
  assert.match(
    loadInvalidReason(
      { ...base, mismatches: 2, firstError: 'wrong certificate for b.lab.test: hostname mismatch' },
      'open',
    ),
    /2 wrong answer\(s\): wrong certificate for b\.lab\.test/,
  );
  assert.match(
    loadInvalidReason({ ...base, errors: 1, firstError: 'connect: Connection refused' }, 'closed'),
    /1 error\(s\): connect/,
  );
  assert.equal(loadInvalidReason({ ...base, completed: 0 }, 'closed'), 'no reply completed');
  assert.deepEqual(serverCpuFigures(0.5, 2, 10000), { serverCpuPct: 25, serverCpuUsPerOp: 50 });
  assert.deepEqual(serverCpuFigures(-1, 2, 10000), {});
});

test('the open-loop schedule spreads a constant rate evenly over connections', () => {
  const plan = { startNs: 1e9, ratePerS: 1000, connections: 4 };
  assert.equal(intendedSendNs(plan, 0, 0), 1e9);
  assert.equal(intendedSendNs(plan, 1, 0), 1e9 + 1e6); // next arrival 1 ms later, on the next connection
  assert.equal(intendedSendNs(plan, 0, 1), 1e9 + 4e6); // the same connection's next request
  assert.equal(arrivalsDueBy(plan, 0), 0);
  assert.equal(arrivalsDueBy(plan, 1e9), 1);
  assert.equal(arrivalsDueBy(plan, 2e9), 1001); // 1,000 per second
  const sends = [];
  for (let k = 0; k < 4; k++) for (let i = 0; i < 250; i++) sends.push(intendedSendNs(plan, k, i));
  sends.sort((a, b) => a - b);
  for (let n = 1; n < sends.length; n++) assert.ok(Math.abs(sends[n] - sends[n - 1] - 1e6) < 1e-3);
});

test('echo answers are checked byte for byte, across any chunking, per connection and sequence', () => {
  const a = makeEchoPayload(64, 1);
  const b = makeEchoPayload(64, 2);
  assert.ok(!echoMatches(a, b), "another connection's payload differs");
  const first = Buffer.from(a);
  const second = Buffer.from(a);
  stampSequence(first, 1);
  stampSequence(second, 2);
  assert.ok(!echoMatches(first, second), 'a repeated reply differs');
  const reassembler = new EchoReassembler(64);
  const stream = Buffer.concat([first, second]);
  const got = [];
  for (let at = 0; at < stream.length;) {
    const size = [1, 7, 30, 50][at % 4];
    const message = reassembler.push(stream.subarray(at, at + size));
    if (message) got.push(Buffer.from(message));
    at += size;
  }
  assert.equal(got.length, 2);
  assert.ok(echoMatches(got[0], first) && echoMatches(got[1], second));
  assert.equal(reassembler.buffered, 0);
});

test('wrk output is parsed: counts, socket errors, wrong responses (non-2xx and bodies the Lua check rejected)', () => {
  const text = `Running 2s test @ http://127.0.0.1:8080/
  1 threads and 100 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.20ms  300.00us  10.00ms   90.00%
    Req/Sec    80.00k     2.00k   85.00k    70.00%
  Latency Distribution
     50%    1.10ms
     75%    1.30ms
     90%    1.50ms
     99%    2.50ms
  160000 requests in 2.00s, 14.00MB read
  Socket errors: connect 0, read 3, write 0, timeout 1
  Non-2xx or 3xx responses: 5
Requests/sec:  80000.00
Transfer/sec:      7.00MB
LAB_BAD 2
LAB_LATENCY_US p50=1100 p90=1500 p99=2500 p999=4000 max=10000
`;
  const r = parseWrkOutput(text);
  assert.equal(r.requests, 160000);
  assert.equal(r.seconds, 2);
  assert.equal(r.errors, 4);
  assert.equal(r.badResponses, 7);
  assert.deepEqual(r.latencyUs, { p50: 1100, p90: 1500, p99: 2500, p999: 4000, max: 10000 });
  assert.equal(r.cpu, undefined);
  const timed = parseWrkOutput(`${text}LAB_CPU_TICKS wrk=150 server=190 duration_us=2000000\n`);
  assert.deepEqual(timed.cpu, { wrkPct: 75, serverPct: 95, serverCpuS: 1.9 });
  assert.match(wrkCheckScript(4242), /cpu_ticks\(4242\)/);
  assert.throws(() => parseWrkOutput('unable to connect'), /not understood/);
});

test('repetitions aggregate to medians; too few or failed ones make the point invalid, with a reason', () => {
  const key = {
    name: 'tcp-echo',
    variant: '64B',
    runtime: 'corojs',
    fiber_backend: 'fcontext',
    mode: 'closed',
    connections: 100,
  };
  const rep = (t) => ({
    throughputPerS: t,
    serverCpuPct: 90,
    serverRssBytes: 1e6,
    latencyUs: { p50: 10, p90: 20, p99: 30, p999: 40, max: 50 },
  });
  const ok = aggregatePoint(key, [rep(100), rep(300), rep(200)], 3);
  assert.equal(ok.valid, true);
  assert.equal(ok.fiber_backend, 'fcontext', 'the point carries its target, no default');
  assert.throws(() => aggregatePoint({ ...key, fiber_backend: undefined }, [rep(1)], 1), /needs its fiber backend/);
  assert.equal(ok.throughput_per_s, 200);
  assert.deepEqual(ok.samples, [100, 300, 200]);
  const short = aggregatePoint(key, [rep(100), rep(300)], 3);
  assert.equal(short.valid, false);
  assert.match(short.invalid_reason, /only 2 of 3/);
  const failed = aggregatePoint(key, [rep(1), rep(2), { ...rep(3), invalidReason: 'load generator saturated' }], 3);
  assert.equal(failed.valid, false);
  assert.match(failed.invalid_reason, /saturated/);
  // Every repetition is kept with its own server and generator CPU; CPU per operation is the median.
  const open = aggregatePoint(
    { ...key, mode: 'open', offeredRatePerS: 5000, loadFraction: 0.25 },
    [20, 30, 25].map((us, i) => ({
      ...rep(5000),
      serverCpuPct: 10 + i,
      generatorCpuPct: 5 + i,
      serverCpuUsPerOp: us,
      generator: 'native',
    })),
    3,
  );
  assert.equal(open.server_cpu_us_per_op, 25);
  assert.equal(open.generator_cpu_pct, 6);
  assert.equal(open.load_fraction, 0.25);
  assert.equal(open.generator, 'native');
  assert.deepEqual(
    open.repetitions.map((r) => [r.server_cpu_pct, r.generator_cpu_pct, r.server_cpu_us_per_op]),
    [
      [10, 5, 20],
      [11, 6, 30],
      [12, 7, 25],
    ],
  );
  assert.deepEqual(validateResultFile({ ...sampleResult(), workloads: [open] }), []);
  assert.match(
    validateResultFile({ ...sampleResult(), workloads: [{ ...open, repetitions: [{ throughput_per_s: 1 }] }] }).join(),
    /repetitions\[0\]\.server_cpu_pct: missing/,
  );
});

test('the summary table shows CPU per operation and its CoroJS/Node 20 ratio at each offered rate', () => {
  const table = summaryTable(sampleResult({ repetitions: 3 }));
  const row = table.split('\n').find((l) => /^tls-echo\s+steady-64B\s+open@25,000/.test(l));
  assert.ok(row, table.slice(0, 600));
  assert.match(row, /\s0\.\d\dx\s+0\.\d\dx$/); // thr/n20 and uc/n20 CPU per operation, both below 1 in the sample
  assert.match(table, /open@12,500/);
});

test('self-timed program output becomes a sample with a histogram; failed answers make it invalid', () => {
  const s = sampleFromOutput(
    {
      variant: 'A',
      ops: 500,
      seconds: 0.5,
      latency_ns: [
        [100000, 400],
        [200000, 100],
      ],
    },
    'missing',
  );
  assert.equal(s.throughputPerS, 1000);
  assert.equal(decodeHistogram(s.histogram).totalCount, 500);
  assert.equal(s.invalidReason, undefined);
  assert.match(
    sampleFromOutput({ variant: 'A', ops: 5, errors: 2, first_error: 'ETIMEOUT', seconds: 1, latency_ns: [] }, 'x')
      .invalidReason,
    /2 failed operations \(ETIMEOUT/,
  );
  assert.equal(sampleFromOutput(undefined, 'exited 1').invalidReason, 'exited 1');
});

test('result files: a valid one passes, broken ones list their problems, writing is atomic and checked', () => {
  const file = sampleResult({ seed: 9 });
  assert.deepEqual(validateResultFile(file), []);
  const broken = structuredClone(file);
  delete broken.env.cpu_model;
  broken.workloads[0].samples = [1];
  broken.workloads[1].runtime = 'rust'; // not a runtime the lab knows (deno, bun and go are, issue 14)
  broken.workloads[2].valid = false;
  delete broken.workloads[2].invalid_reason;
  const problems = validateResultFile(broken);
  assert.ok(problems.some((p) => /env\.cpu_model: missing/.test(p)));
  assert.ok(problems.some((p) => /workloads\[0\]\.samples: a valid entry needs >= 3/.test(p)));
  assert.ok(problems.some((p) => /workloads\[1\]\.runtime/.test(p)));
  assert.ok(problems.some((p) => /workloads\[2\]\.invalid_reason/.test(p)));
  assert.deepEqual(validateResultFile({ schema_version: 1 }).length > 0, true);
  assert.ok(validateResultFile(null).length > 0);
  const out = join(mkdtempSync(join(tmpdir(), 'corojs-results-')), 'nested/latest.json');
  assert.deepEqual(writeResultFile(file, out), []);
  assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), file);
});

test('the lab CLI: defaults, --quick, --only, --out, errors and --help', () => {
  const root = '/repo';
  const d = parseArgs([], root, {});
  assert.equal(d.config.out, '/repo/results/latest.json');
  assert.equal(d.config.quick, false);
  assert.equal(d.config.only, null);
  assert.ok(d.config.repetitions >= 3);
  const q = parseArgs(['--quick', '--only', 'tcp-echo,dns', '--out', '/tmp/x.json'], root, {});
  assert.equal(q.config.quick, true);
  assert.deepEqual(q.config.only, ['tcp-echo', 'dns']);
  assert.equal(q.config.out, '/tmp/x.json');
  assert.ok(q.config.durationS < d.config.durationS);
  assert.deepEqual(parseArgs(['--help'], root, {}), { help: true });
  assert.equal(d.config.fiberBackends, null);
  assert.deepEqual(parseArgs(['--fiber-backends', 'fcontext,thread'], root, {}).config.fiberBackends, [
    'fcontext',
    'thread',
  ]);
  assert.match(
    parseArgs(['--fiber-backends', 'green'], root, {}).error,
    /--fiber-backends takes a list of fcontext, ucontext, thread/,
  );
  assert.match(parseArgs(['--only', 'nope'], root, {}).error, /unknown workload/);
  assert.match(parseArgs(['--repetitions', '2'], root, {}).error, />= 3/);
  assert.match(parseArgs(['--bogus'], root, {}).error, /unknown argument/);
  assert.equal(parseArgs([], root, { LAB_SERVER_CPUS: '2', LAB_LOAD_CPUS: '3' }).config.serverCpus, '2');
});

test('an open-loop repetition whose generator missed its schedule is measured once more, and the record says so', async () => {
  const self = { pid: process.pid, port: 1 };
  const missed = {
    throughputPerS: 900,
    invalidReason: 'native generator behind its schedule: send lag p99 9000 us (limit 5000 us)',
    scheduleMissed: true,
  };
  const attempts = (...answers) => ({
    calls: 0,
    measure() {
      return Promise.resolve(answers[this.calls++]);
    },
  });
  const recovered = attempts(missed, { throughputPerS: 1000 });
  const sample = await measureWithRetry(self, recovered, 'open', 1000);
  assert.equal(recovered.calls, 2);
  assert.equal(sample.invalidReason, undefined);
  assert.equal(sample.retriedAfter, missed.invalidReason);
  const point = aggregatePoint(
    { name: 'x', variant: 'v', runtime: 'node20', mode: 'open', connections: 1 },
    [sample, { throughputPerS: 1000, serverCpuPct: 10, serverRssBytes: 0 }],
    2,
  );
  assert.equal(point.valid, true);
  assert.equal(point.repetitions[0].retried_after, missed.invalidReason);
  // A second miss stands; a wrong answer is never retried.
  const twice = attempts(missed, missed);
  assert.match((await measureWithRetry(self, twice, 'open', 1000)).invalidReason, /behind its schedule/);
  const wrong = attempts({ throughputPerS: 1000, invalidReason: '1 wrong answer(s)' });
  assert.equal((await measureWithRetry(self, wrong, 'open', 1000)).invalidReason, '1 wrong answer(s)');
  assert.equal(wrong.calls, 1);
});
