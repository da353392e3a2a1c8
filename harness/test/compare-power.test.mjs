// The comparator's power, checked on what the lab really measures: the repetitions of the committed reference
// run with injected shifts, and simulated runs with 3-7 repetitions and 3-20 % noise (what quick runs show).
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareFiles } from '../../build/ts/harness/src/compare/compare.js';
import { detectableChange, flagsWorse, threshold } from '../../build/ts/harness/src/compare/power.js';
import { seededRandom } from './sample-result.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(ROOT, 'build/ts/harness/src/compare-cli.js');
const REFERENCE = join(ROOT, 'results/reference.json');
const reference = () => JSON.parse(readFileSync(REFERENCE, 'utf8'));
const options = { minEffect: 0.05, alpha: 0.05 };

// CoroJS made slower by `loss` everywhere: throughput samples down, switch times and CPU per operation up.
function slowedCoroJS(file, loss) {
  for (const w of file.workloads) {
    if (w.runtime !== 'corojs') continue;
    w.samples = w.samples.map((x) => x * (1 - loss));
    w.throughput_per_s *= 1 - loss;
    for (const r of w.repetitions ?? []) if (r.server_cpu_us_per_op !== undefined) r.server_cpu_us_per_op /= 1 - loss;
  }
  for (const r of file.switch_ladder)
    if (r.rung === 'corojs-fiber') {
      r.samples = r.samples.map((x) => x / (1 - loss));
      r.ns_per_switch /= 1 - loss;
    }
  return file;
}

test('reference repetitions: a 15 % CoroJS loss is flagged on every headline metric that can detect 15 %', () => {
  const base = reference();
  const detectable = compareFiles(base, reference(), options).filter(
    (r) => r.headline && r.detectable !== null && r.detectable <= 0.15,
  );
  // The reference is a 3-repetition quick run on this 2-core VM: its throughput ratios spread 5-50 %, while the
  // TLS and HTTP CPU per operation at equal load spreads 2-3 %, so those are the metrics that can detect 15 %.
  assert.ok(
    detectable.some((r) => r.metric.startsWith('cpu/op tls-echo/')),
    'a TLS CPU-per-operation ratio can detect 15 %',
  );
  assert.ok(detectable.length >= 5, `${detectable.length} headline metrics detect 15 %`);
  const rows = new Map(compareFiles(base, slowedCoroJS(reference(), 0.15), options).map((r) => [r.metric, r]));
  for (const d of detectable)
    assert.equal(rows.get(d.metric).verdict, 'regressed', `${d.metric}: ${JSON.stringify(rows.get(d.metric))}`);
});

test('reference repetitions: an unshifted copy and a 2 % shift are not flagged', () => {
  for (const loss of [0, 0.02]) {
    const rows = compareFiles(reference(), slowedCoroJS(reference(), loss), options);
    assert.deepEqual(
      rows.filter((r) => r.headline && r.verdict === 'regressed').map((r) => r.metric),
      [],
      `loss ${loss}`,
    );
  }
});

test('the smallest detectable change is honest: detected >= 70 % of the time at that change, false alarms <= 0.5 % (1 % with 3 repetitions) without one', () => {
  const random = seededRandom(99);
  const gauss = () => Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * Math.cos(2 * Math.PI * random());
  const draw = (n, noise, factor) => Array.from({ length: n }, () => factor * (1 + noise * gauss()));
  for (const [m, noise] of [
    [3, 0.03],
    [5, 0.03],
    [5, 0.1],
    [7, 0.15],
    [5, 0.12],
  ]) {
    let detectedAt = 0;
    let falseAlarms = 0;
    let tested = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      const base = draw(m, noise, 1);
      // The bar comes from the base's repetitions, as in the gate; runs whose base looks too noisy to test are
      // reported untestable rather than judged.
      const bar = threshold(base, options.minEffect);
      const d = detectableChange(noise, m, m, options.alpha, bar);
      if (d === null) continue;
      tested++;
      if (flagsWorse(base, draw(m, noise, 1 - d), options.alpha, bar, true)) detectedAt++;
    }
    // False alarms: many more draws (no power simulation needed), the bar from each base as in the gate.
    for (let t = 0; t < 10 * trials; t++) {
      const base = draw(m, noise, 1);
      if (flagsWorse(base, draw(m, noise, 1), options.alpha, threshold(base, options.minEffect), true)) falseAlarms++;
    }
    const truth = detectableChange(
      noise,
      m,
      m,
      options.alpha,
      Math.max(options.minEffect, 5 * noise * Math.sqrt(2 / m)),
    );
    assert.ok(truth !== null, `${m} reps, noise ${noise}: detectable`);
    assert.ok(
      tested >= trials / 2 && detectedAt / tested >= 0.7,
      `${m} reps, noise ${noise}: detected ${detectedAt}/${tested} at the reported change`,
    );
    // 3 against 3 can only flag complete separation, which happens by chance 1 time in 20: the bar alone guards.
    assert.ok(
      falseAlarms / (10 * trials) <= (m === 3 ? 0.01 : 0.005),
      `${m} reps, noise ${noise}: ${falseAlarms}/${10 * trials} false alarms`,
    );
  }
  assert.equal(detectableChange(0.03, 3, 3, 0.01, 0.05), null, '3 vs 3 cannot reach p 0.01');
  assert.equal(detectableChange(0.4, 3, 3, 0.05, 1.2), null, '40 % noise with 3 repetitions is untestable');
  assert.equal(detectableChange(0, 3, 3, 0.05, 0.03), 0.03, 'no noise: the threshold itself');
});

test('npm run compare: prints what it can detect, --alpha below the smallest p is an error, --strict fails untestable metrics', () => {
  const run = (...args) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  const plain = run(REFERENCE, REFERENCE);
  assert.equal(plain.status, 0, plain.stdout + plain.stderr);
  assert.match(plain.stdout, /\* ratio tcp-echo\/64B corojs\[thread\]\/node20 .* >=\d+\.\d%\s+\d+\.\d%\s+unchanged/);
  assert.match(
    plain.stdout,
    /cannot be tested \(\d+\):\n  .*: noise \d+\.\d%: not even a 2x slowdown would be detected/,
  );
  assert.match(plain.stdout, /not gated \(harness\/gate\.json\):\n  \d+ metric\(s\): file-io in the quick suite/);
  const gate = JSON.parse(readFileSync(join(ROOT, 'harness/gate.json'), 'utf8'));
  for (const n of gate.not_gated) assert.ok(new RegExp(n.pattern) && n.why.length > 20, `${n.pattern}: needs a reason`);
  const lowAlpha = run(REFERENCE, REFERENCE, '--alpha', '0.01');
  assert.equal(lowAlpha.status, 2);
  assert.match(
    lowAlpha.stderr,
    /--alpha 0.01 is below the smallest p-value 0.0500 that .* \(3 vs 3 repetitions\) can reach/,
  );
  const strict = run(REFERENCE, REFERENCE, '--strict');
  assert.equal(strict.status, 1, strict.stdout);
  assert.match(strict.stdout, /FAIL \(\d+ reason\(s\)\):\n  cannot be tested: ratio /);
  // A file whose untestable metrics are gone passes --strict.
  const file = reference();
  const rows = compareFiles(file, file, options);
  const noisy = new Set(rows.filter((r) => r.untestable).map((r) => r.metric.split(' ')[1]));
  file.workloads = file.workloads.filter((w) => !noisy.has(`${w.name}/${w.variant}`));
  const noisySwitch = new Set(
    rows.filter((r) => r.untestable && r.metric.startsWith('switch ')).map((r) => /\[(\w+)\]/.exec(r.metric)[1]),
  );
  file.switch_ladder = file.switch_ladder.filter(
    (r) => !(r.rung === 'corojs-fiber' && noisySwitch.has(r.fiber_backend)),
  );
  const path = join(mkdtempSync(join(tmpdir(), 'corojs-power-')), 'quiet.json');
  writeFileSync(path, JSON.stringify(file));
  const quiet = run(path, path, '--strict');
  assert.equal(quiet.status, 0, quiet.stdout);
});
