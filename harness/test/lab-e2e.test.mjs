// End to end: `npm run lab -- --quick --only tcp-echo --out FILE` (set-up and build included, idempotent) writes
// a result file that passes the schema, with every runtime (CoroJS on each fiber backend), closed and open loop,
// at least 3 repetitions per point, and the environment fingerprint; the dashboard is rendered at the end.
// CoroJS and the two Nodes only (--targets): the peers' programs have their own test (peers.test.mjs), and
// npm test keeps its time.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateResultFile } from '../../build/ts/harness/src/results/validate.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

test('npm run lab -- --quick --only tcp-echo writes a valid result file', { timeout: 900000 }, () => {
  const out = join(mkdtempSync(join(tmpdir(), 'corojs-lab-e2e-')), 'quick.json');
  const run = spawnSync(
    'npm',
    ['run', 'lab', '--', '--quick', '--only', 'tcp-echo', '--targets', 'corojs,node18,node20', '--out', out],
    { cwd: ROOT, encoding: 'utf8', timeout: 880000 },
  );
  assert.equal(run.status, 0, `${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`);
  assert.match(run.stdout, /workload\s+variant\s+mode/, 'the summary table is printed');
  const file = JSON.parse(readFileSync(out, 'utf8'));
  assert.deepEqual(validateResultFile(file), []);
  assert.equal(
    file.env.cpu_placement.server === file.env.cpu_placement.load_generator,
    false,
    'server and load on different CPUs',
  );
  const points = file.workloads.filter((w) => w.name === 'tcp-echo');
  const targets = new Set(points.map((w) => `${w.runtime}/${w.fiber_backend ?? '-'}`));
  for (const t of ['corojs/thread', 'corojs/ucontext', 'node18/-', 'node20/-'])
    assert.ok(targets.has(t), `results for ${t}: ${[...targets]}`);
  assert.ok(points.some((w) => w.mode === 'closed') && points.some((w) => w.mode === 'open'), 'closed and open loop');
  const rates = (variant) =>
    new Set(points.filter((w) => w.variant === variant && w.mode === 'open').map((w) => w.offered_rate_per_s));
  assert.equal(rates('64B').size, 2, 'a ladder of two rates, the same for every target');
  for (const w of points) {
    assert.ok(w.samples.length >= 3 || !w.valid, `${w.variant} ${w.runtime}: ${w.samples.length} samples`);
    // Auditable: every repetition keeps the server's and the generator's CPU; open-loop points their rung.
    assert.equal(w.repetitions?.length, w.samples.length, `${w.variant} ${w.runtime}: repetitions`);
    for (const r of w.repetitions) assert.ok(r.server_cpu_pct >= 0 && r.generator_cpu_pct >= 0, JSON.stringify(r));
    if (w.mode === 'open')
      assert.ok(
        w.load_fraction > 0 && w.offered_rate_per_s > 0 && w.server_cpu_us_per_op > 0,
        `${w.variant} ${w.runtime} open`,
      );
    if (w.valid) assert.ok(w.throughput_per_s > 0 && w.latency_us.p99 >= w.latency_us.p50, `${w.variant} ${w.runtime}`);
  }
  assert.ok(points.filter((w) => w.valid && w.mode === 'closed').length >= 4, 'most closed-loop points are valid');
  assert.ok(existsSync(join(ROOT, 'results/dashboard/index.html')), 'the dashboard was rendered');
});
