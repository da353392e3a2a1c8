// The peers (issue 14): --targets, a missing peer reported not run with its reason, a peer's failures kept out of
// the run's errors, Deno's permissions, the peers' information metrics and table columns, and every Go twin
// (plus Bun and Deno on the Node twins) answering a tiny loopback run. Bounded: each program runs well under
// a second of work.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { after, describe, it } from 'node:test';
import { parseArgs } from '../../build/ts/harness/src/cli-args.js';
import { peerMetrics } from '../../build/ts/harness/src/compare/metrics.js';
import { startServer } from '../../build/ts/harness/src/process/server-process.js';
import { summaryTable } from '../../build/ts/harness/src/report/summary-table.js';
import { readmeTable } from '../../build/ts/harness/src/report/readme-table.js';
import { validateResultFile } from '../../build/ts/harness/src/results/validate.js';
import { DNS_EXPECTED, DNS_QUERIES, DNSMASQ_RECORDS } from '../../build/ts/harness/src/runners/dns.js';
import { startDnsmasq } from '../../build/ts/harness/src/process/dnsmasq.js';
import { parseJsonLines } from '../../build/ts/harness/src/process/run-command.js';
import { fiberTargets, targetArgv } from '../../build/ts/harness/src/targets.js';
import { parseMemoryOutput } from '../../build/ts/harness/src/runners/fiber-memory.js';
import { parseMicroOutput } from '../../build/ts/harness/src/runners/fiber-micro.js';
import { parseSwitchOutput } from '../../build/ts/harness/src/runners/switch-ladder.js';
import { ensureTlsEchoCerts, TLS_NAMES } from '../../build/ts/harness/src/runners/tls-echo.js';
import { programArgv, runtimePaths } from '../../build/ts/harness/src/runtimes.js';
import { peerFailuresAsNotRun } from '../../build/ts/harness/src/suite.js';
import { buildModel } from '../../build/ts/dashboard/src/model.js';
import { quickTestConfig, ROOT as root } from './quick-test-config.mjs';
import { sampleResult } from './sample-result.mjs';

const workDir = mkdtempSync(path.join(os.tmpdir(), 'peers-'));
after(() => rmSync(workDir, { recursive: true, force: true }));
const config = (targets) => quickTestConfig(workDir, targets);

describe('--targets', () => {
  it('defaults to every installed target, takes a list, rejects unknown names and an empty list', () => {
    assert.equal(parseArgs([], root, {}).config.targets, null);
    assert.deepEqual(parseArgs(['--targets', 'corojs,node20,go,go'], root, {}).config.targets, [
      'corojs',
      'node20',
      'go',
    ]);
    assert.match(
      parseArgs(['--targets', 'corojs,rust'], root, {}).error,
      /--targets takes a list of corojs, node18, node20, bun, deno, go \(unknown: rust\)/,
    );
    assert.match(parseArgs(['--targets', ','], root, {}).error, /--targets takes a list/);
    assert.match(parseArgs(['--targets'], root, {}).error, /--targets needs a value/);
  });

  it('measures only the targets named', async () => {
    const { targets, notes, notRun } = await fiberTargets(config(['node20', 'go']));
    assert.deepEqual(
      targets.map((t) => t.label),
      ['node20', ...(existsSync(path.join(root, 'build/go/tcp-echo')) ? ['go'] : [])],
    );
    assert.deepEqual(notRun, []);
    if (!targets.some((t) => t.runtime === 'go')) assert.match(notes.join('\n'), /go: .* has no Go twins/);
  });
});

describe('a missing peer', () => {
  const empty = mkdtempSync(path.join(os.tmpdir(), 'peers-empty-root-'));
  after(() => rmSync(empty, { recursive: true, force: true }));
  it('left to the default is reported not run with the reason, not as an error of the run', async () => {
    const { targets, notes, notRun } = await fiberTargets({ ...config(null), root: empty });
    assert.deepEqual(
      targets.map((t) => t.runtime),
      ['node20'],
    );
    assert.deepEqual(
      notRun.map((n) => n.target),
      ['bun', 'deno', 'go'],
    );
    for (const n of notRun) assert.equal(n.workload, 'targets');
    assert.match(notRun[0].reason, /node_modules\/\.bin\/bun not installed \(npm devDependency bun: npm ci\)/);
    assert.match(notRun[2].reason, /build\/go has no Go twins \(the build needs Debian's golang-go/);
    assert.ok(
      notes.every((n) => !/^(bun|deno|go):/.test(n)),
      notes.join('\n'),
    );
  });

  it('asked for with --targets is an error of the run', async () => {
    const { notes, notRun } = await fiberTargets({ ...config(['deno']), root: empty });
    assert.deepEqual(notRun, []);
    assert.match(notes.join('\n'), /^deno: .*not installed/m);
  });

  it('failures of a peer move to not_run (with the error it printed); CoroJS and Node failures stay errors', () => {
    const point = (runtime, valid, samples, reason) => ({
      name: 'dns',
      variant: 'A',
      runtime,
      mode: 'closed',
      valid,
      samples,
      ...(reason ? { invalid_reason: reason } : {}),
    });
    const section = {
      workloads: [
        point('deno', false, [0, 0, 0], 'exited 1: NotCapable: Requires net access'),
        point('bun', false, [5, 0, 0], 'too few repetitions'),
        point('node20', false, [0, 0, 0], 'exited 1'),
      ],
      errors: [
        { workload: 'tls-echo', message: 'go: server did not start: boom', target: 'go' },
        { workload: 'tls-echo', message: 'node20: server did not start', target: 'node20' },
      ],
      not_run: [],
    };
    peerFailuresAsNotRun(section);
    assert.deepEqual(
      section.errors.map((e) => e.target),
      ['node20'],
    );
    assert.deepEqual(section.not_run, [
      { workload: 'tls-echo', target: 'go', reason: 'server did not start: boom' },
      { workload: 'dns/A', target: 'deno', reason: 'exited 1: NotCapable: Requires net access' },
    ]);
  });
});

describe('how the peers run', () => {
  it('Deno gets the permissions each program needs, Go its own binary, Bun the Node twin', () => {
    const paths = runtimePaths(root);
    const deno = (workload, args) => programArgv(paths, 'deno', workload, args);
    assert.deepEqual(deno('tcp-echo', ['0', '127.0.0.1']).slice(0, 6), [
      'env',
      'NO_COLOR=1',
      paths.deno,
      'run',
      '--no-prompt',
      '--allow-net=127.0.0.1',
    ]);
    assert.ok(deno('tls-echo', ['0', '127.0.0.1', '/certs', 'a']).includes('--allow-read=/certs'));
    assert.ok(!deno('fiber-micro', ['switch', '10']).some((a) => a.startsWith('--allow')));
    assert.ok(deno('file-io', ['/d']).includes('--allow-all'));
    assert.deepEqual(programArgv(paths, 'go', 'dns', ['x']), [path.join(root, 'build/go/dns'), 'x']);
    assert.deepEqual(programArgv(paths, 'bun', 'tcp-echo', ['0']), [
      paths.bun,
      path.join(root, 'build/ts/baselines/tcp-echo.js'),
      '0',
    ]);
  });
});

// Synthetic peers beside sample-result.mjs's Nodes: bun twice Node 20's throughput, go half of it.
function withPeers() {
  const file = sampleResult({ repetitions: 3 });
  const scaled = (w, runtime, f) => ({
    ...w,
    runtime,
    samples: w.samples.map((x) => x * f),
    throughput_per_s: w.throughput_per_s * f,
  });
  const node20 = file.workloads.filter((w) => w.runtime === 'node20' && w.mode === 'closed');
  file.workloads.push(...node20.map((w) => scaled(w, 'bun', 2)), ...node20.map((w) => scaled(w, 'go', 0.5)));
  file.switch_ladder.push(
    { rung: 'bun-await', runtime: 'bun', ns_per_switch: 50, samples: [50, 50, 50] },
    { rung: 'go-goroutine', runtime: 'go', ns_per_switch: 200, samples: [200, 200, 200] },
  );
  file.memory.push({
    kind: 'idle-fibers',
    runtime: 'go',
    unit: 'goroutine sleeping on a timer',
    count: 10000,
    rss_per_unit_bytes: 2800,
    stack_resident_per_unit_bytes: 2048,
    samples: [2800, 2800, 2800],
    valid: true,
  });
  file.not_run = [{ workload: 'tls-echo', target: 'deno', reason: 'server did not start' }];
  return file;
}

describe('the peers in reports', () => {
  it('a file with peers is valid; the information metrics weigh CoroJS against the best async/await runtime and Go', () => {
    const file = withPeers();
    assert.deepEqual(validateResultFile(file), []);
    const metrics = peerMetrics(file);
    assert.ok(metrics.every((m) => !m.headline));
    const best = metrics.find((m) => m.name === 'peer ratio tcp-echo/64B corojs[thread]/best-async');
    assert.equal(best.unit, 'throughput ratio corojs/bun');
    const go = metrics.find((m) => m.name === 'peer ratio tcp-echo/64B corojs[thread]/go');
    const coro = file.workloads.find(
      (w) =>
        w.name === 'tcp-echo' &&
        w.variant === '64B' &&
        w.runtime === 'corojs' &&
        w.fiber_backend === 'thread' &&
        w.mode === 'closed',
    );
    const goPoint = file.workloads.find((w) => w.name === 'tcp-echo' && w.variant === '64B' && w.runtime === 'go');
    assert.deepEqual(
      go.samples,
      coro.samples.map((x, i) => x / goPoint.samples[i]),
    );
    assert.ok(
      metrics.some(
        (m) =>
          m.name === 'peer switch corojs-fiber[thread]/best-await' && m.unit === 'switch time ratio fiber/bun-await',
      ),
    );
    assert.deepEqual(peerMetrics(sampleResult({ repetitions: 3 })), [], 'no peers, no peer metrics');
  });

  it('the summary, the README table and the dashboard show the peers', () => {
    const file = withPeers();
    const summary = summaryTable(file);
    assert.match(summary.split('\n')[0], /node20\/s\s+bun\/s\s+go\/s/);
    assert.match(summary, /tcp-echo\/64B corojs\[ucontext\]\/best-async: [\d.]+x \(throughput ratio corojs\/bun\)/);
    assert.match(summary, /not run: deno tls-echo: server did not start/);
    const table = readmeTable(file);
    assert.match(table.split('\n')[0], /\| node20 \| bun \| go \|$/);
    assert.match(table, /goroutine 200 \|$/m);
    const model = buildModel([file]);
    assert.deepEqual(model.goroutine, { count: 10000, rss: 2800, stack: 2048 });
    assert.ok(model.scoreboard.some((r) => r.cells.some((c) => c.against === 'go')));
    assert.ok(model.invalid.some((i) => i.what === 'deno tls-echo: not run'));
  });
});

// The programs themselves: each peer target that is installed answers a tiny run on loopback.
const installed = (await fiberTargets(config(['bun', 'deno', 'go']))).targets;
const run = (argv, timeout = 30000) => execFileSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout, cwd: root });

async function echoOnce(port, message, connect = (cb) => net.connect(port, '127.0.0.1', cb)) {
  return new Promise((resolve, reject) => {
    let got = '';
    const socket = connect(() => socket.write(message));
    socket.setEncoding('utf8');
    socket.on('data', (d) => {
      got += d;
      if (got.length >= message.length) {
        const cert = socket.getPeerCertificate?.();
        socket.destroy();
        resolve({ got, cert });
      }
    });
    socket.on('error', reject);
  });
}

for (const runtime of ['bun', 'deno', 'go']) {
  describe(`${runtime} programs`, () => {
    const target = installed.find((t) => t.runtime === runtime);
    const skip = target
      ? false
      : `${runtime} is not installed here (npm ci for bun and deno; golang-go and npm run build for go)`;
    const argv = (workload, args) => targetArgv(config(null), target, workload, args);

    it('tcp-echo and http-hello answer on loopback', { skip }, async () => {
      for (const workload of ['tcp-echo', 'http-hello']) {
        const server = await startServer(argv(workload, ['0', '127.0.0.1']), '0');
        try {
          if (workload === 'tcp-echo')
            assert.equal((await echoOnce(server.port, 'hello peers\n')).got, 'hello peers\n');
          else {
            const request = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n';
            const reply = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world';
            const { got } = await new Promise((resolve, reject) => {
              let text = '';
              const socket = net.connect(server.port, '127.0.0.1', () => socket.write(request + request));
              socket.setEncoding('utf8').on('data', (d) => {
                text += d;
                if (text.length >= 2 * reply.length) {
                  socket.destroy();
                  resolve({ got: text });
                }
              });
              socket.on('error', reject);
            });
            assert.equal(got, reply + reply, 'two pipelined requests, two answers in order');
          }
        } finally {
          await server.stop();
        }
      }
    });

    it('tls-echo picks the certificate by SNI', { skip }, async () => {
      const certDir = ensureTlsEchoCerts(config(null));
      const server = await startServer(argv('tls-echo', ['0', '127.0.0.1', certDir, TLS_NAMES.join(',')]), '0');
      try {
        for (const servername of TLS_NAMES) {
          const { cert, got } = await echoOnce(server.port, 'tls\n', (cb) =>
            tls.connect({ port: server.port, host: '127.0.0.1', servername, rejectUnauthorized: false }, cb),
          );
          assert.equal(got, 'tls\n');
          assert.equal(cert.subject.CN, servername);
        }
      } finally {
        await server.stop();
      }
    });

    it('file-io and dns print checked RESULT lines', { skip }, async () => {
      const dir = path.join(workDir, `file-io-${runtime}`);
      mkdirSync(dir, { recursive: true });
      const files = parseJsonLines(run(argv('file-io', [dir, 'read-4KiB,write-4KiB', '0.1', '2'])));
      assert.deepEqual(
        files.map((r) => r.variant),
        ['read-4KiB', 'write-4KiB'],
      );
      for (const r of files)
        assert.ok(
          r.ops > 0 && !r.errors && r.latency_ns.length > 0 && r.rss_bytes > 0,
          JSON.stringify(r).slice(0, 300),
        );
      const dnsmasq = await startDnsmasq(DNSMASQ_RECORDS, '0');
      try {
        const lines = parseJsonLines(
          run(
            argv('dns', [
              `127.0.0.1:${dnsmasq.port}`,
              DNS_QUERIES.join(','),
              '0.1',
              '2',
              JSON.stringify(DNS_EXPECTED),
              String(dnsmasq.pid),
            ]),
          ),
        );
        assert.deepEqual(
          lines.map((r) => r.variant),
          ['A', 'AAAA', 'MX', 'TXT', 'SRV'],
        );
        for (const r of lines) assert.ok(r.ops > 0 && !r.errors, JSON.stringify(r).slice(0, 300));
      } finally {
        dnsmasq.stop();
      }
    });

    it('the switch rung, the micro variants and idle memory', { skip }, () => {
      const rung = parseSwitchOutput(run(argv('fiber-micro', ['switch', '2000'])));
      assert.equal(rung.switches, 4000);
      const micro = parseMicroOutput(run(argv('fiber-micro', ['pingpong,spawn-join,recursion', '30', '100'])));
      assert.deepEqual([...micro.keys()], ['pingpong', 'spawn-join', 'recursion']);
      const memory = parseMemoryOutput(run(argv('fiber-memory', ['idle', '1000'])));
      assert.equal(memory.fibers, 1000);
      if (runtime === 'go')
        assert.ok(
          memory.stack_resident_per_fiber_bytes >= 1024,
          `goroutine stack ${memory.stack_resident_per_fiber_bytes}`,
        );
    });
  });
}

describe('Go beside the fixed stack', () => {
  it('the conclusion compares an idle goroutine with an idle fiber at the largest count both measured', async () => {
    const { goroutineComparison } = await import('../../build/ts/harness/src/runners/fiber-memory.js');
    const points = [
      {
        runtime: 'go',
        count: 10000,
        rss_per_unit_bytes: 2800,
        kind: 'idle-fibers',
        stack_resident_per_unit_bytes: 2048,
      },
      {
        runtime: 'corojs',
        count: 10000,
        rss_per_unit_bytes: 11980,
        kind: 'idle-fibers',
        fiber_backend: 'fcontext',
        stack_resident_per_unit_bytes: 8192,
      },
      { runtime: 'corojs', count: 1000, rss_per_unit_bytes: 9000, kind: 'idle-fibers', fiber_backend: 'fcontext' },
    ];
    assert.equal(
      goroutineComparison(points),
      'at 10000 idle: a goroutine (stack starts small and grows by copying) costs 2.7 KiB RSS (stack 2.0 KiB); ' +
        'a fiber with the fixed 1 MiB stack: corojs-fcontext 11.7 KiB RSS (stack 8.0 KiB resident), 4.3x the goroutine',
    );
    assert.equal(goroutineComparison(points.filter((p) => p.runtime !== 'go')), null);
  });
});
