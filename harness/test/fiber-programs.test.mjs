// Each fiber workload program runs once, briefly, on CoroJS (every fiber backend it has) and on Node 20, and
// prints output the runners accept. Nothing here depends on how fast the machine is.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureFiberCerts } from '../../build/ts/harness/src/runners/fiber-certs.js';
import { parseJsonLines } from '../../build/ts/harness/src/process/run-command.js';
import { fiberTargets, targetArgv } from '../../build/ts/harness/src/targets.js';
import { openIdleConnections, parseMemoryOutput } from '../../build/ts/harness/src/runners/fiber-memory.js';
import { MICRO_VARIANTS, parseMicroOutput } from '../../build/ts/harness/src/runners/fiber-micro.js';
import { parseStackProbe } from '../../build/ts/harness/src/runners/stack-sweep.js';
import { parseSwitchOutput } from '../../build/ts/harness/src/runners/switch-ladder.js';
import { quickTestConfig, ROOT as root } from './quick-test-config.mjs';

const workDir = mkdtempSync(path.join(os.tmpdir(), 'fiber-programs-'));
// CoroJS and the Nodes (the peers' programs have their own test, peers.test.mjs).
const config = quickTestConfig(workDir, ['corojs', 'node18', 'node20']);

function run(argv) {
  return execFileSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: 60000, cwd: root });
}

let targets = [];
let certDir = '';
before(async () => {
  ({ targets } = await fiberTargets(config));
  targets = targets.filter((t) => t.runtime !== 'node18');
  certDir = await ensureFiberCerts(config);
});
after(() => rmSync(workDir, { recursive: true, force: true }));

describe('fiber programs', () => {
  it('finds CoroJS (the default fcontext backend first, each with the backend it reported) and Node 20', () => {
    assert.equal(targets[0].runtime, 'corojs');
    assert.equal(targets[0].backend, 'fcontext');
    assert.deepEqual(
      targets.filter((t) => t.runtime === 'corojs').map((t) => t.backend),
      ['fcontext', 'ucontext', 'thread'],
    );
    for (const t of targets.filter((t) => t.runtime === 'corojs')) assert.equal(t.label, `corojs-${t.backend}`);
    assert.ok(targets.some((t) => t.runtime === 'node20'));
  });

  it('fiber-micro switch: one well-formed rung per runtime, with 2 switches per ping-pong round', () => {
    for (const target of targets) {
      const parsed = parseSwitchOutput(run(targetArgv(config, target, 'fiber-micro', ['switch', '2000'])));
      assert.ok(parsed, target.label);
      assert.equal(parsed.switches, 4000, target.label);
      if (target.runtime === 'corojs') assert.equal(parsed.backend, target.backend);
    }
  });

  it('fiber-micro variants: ops/s and per-op latency percentiles in order', () => {
    for (const target of targets) {
      const parsed = parseMicroOutput(
        run(targetArgv(config, target, 'fiber-micro', [MICRO_VARIANTS.join(','), '30', '100'])),
      );
      assert.deepEqual([...parsed.keys()], [...MICRO_VARIANTS], target.label);
      for (const out of parsed.values()) {
        const l = out.latency_us;
        assert.ok(
          l.p50 > 0 && l.p50 <= l.p90 && l.p90 <= l.p99 && l.p99 <= l.p999 && l.p999 <= l.max,
          `${target.label} ${out.variant}`,
        );
        assert.ok(out.rss_bytes > 0);
      }
    }
  });

  it('fiber-memory idle: per-fiber RSS from both runtimes, resident stack from CoroJS', () => {
    for (const target of targets) {
      const parsed = parseMemoryOutput(run(targetArgv(config, target, 'fiber-memory', ['idle', '100'])));
      assert.ok(parsed, target.label);
      assert.equal(parsed.fibers, 100);
      assert.equal(parsed.kind, 'idle-fibers');
      if (target.runtime === 'corojs') assert.ok(parsed.stack_resident_per_fiber_bytes > 0, target.label);
    }
  });

  it('fiber-memory hwm: every workload leaves resident stack in its handler fibers', () => {
    for (const target of targets.filter((t) => t.runtime === 'corojs')) {
      for (const workload of ['tcp-echo', 'tls-echo', 'recursion-1000']) {
        const parsed = parseMemoryOutput(
          run(targetArgv(config, target, 'fiber-memory', ['hwm', '10', workload, certDir])),
        );
        assert.ok(parsed, `${target.label} ${workload}`);
        assert.equal(parsed.workload, workload);
        assert.equal(parsed.fibers, 10);
        assert.ok(parsed.stack_resident_per_fiber_bytes > 0, `${target.label} ${workload}`);
      }
    }
  });

  it('stack-sweep: every part at 256 KiB, recursion ending in a RangeError and a TLS handshake', () => {
    for (const target of targets.filter((t) => t.runtime === 'corojs')) {
      const stdout = run(
        targetArgv(config, target, 'stack-sweep', [certDir, '100', '100', '3'], ['--fiber-stack-size=262144']),
      );
      assert.match(stdout, /^DONE$/m);
      const point = parseStackProbe(stdout, 262144, target.backend);
      assert.equal(point.missing_parts, undefined, target.label);
      assert.ok(point.max_recursion_depth > 100, target.label);
      assert.equal(point.tls_handshake_ok, true, `${target.label}: ${point.tls_error ?? ''}`);
      assert.equal(point.cold_fiber_ok, true);
      assert.equal(point.spawn_samples_per_s.length, 3);
      assert.equal(point.fiber_backend, target.backend);
      assert.equal(parseJsonLines(stdout, 'PART ').length, 5);
    }
  });

  it('openIdleConnections holds echoed connections open', async () => {
    const server = net.createServer((socket) => socket.pipe(socket));
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const sockets = await openIdleConnections(server.address().port, 25, 5);
    assert.equal(sockets.length, 25);
    assert.ok(sockets.every((s) => !s.destroyed));
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
});
