// The regression comparator (npm run compare): flags a synthetic 20 % regression with realistic noise, does not
// flag two runs drawn from the same distribution, and exits 0 / 1 / 2 as documented.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareFiles } from '../../build/ts/harness/src/compare/compare.js';
import { mannWhitneyLess } from '../../build/ts/harness/src/compare/mann-whitney.js';
import { metricsOf } from '../../build/ts/harness/src/compare/metrics.js';
import { sampleResult } from './sample-result.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(ROOT, 'build/ts/harness/src/compare-cli.js');
const options = { minEffect: 0.05, alpha: 0.05 };
const headlineRegressions = (rows) => rows.filter((r) => r.headline && r.verdict === 'regressed');

test('Mann-Whitney: exact one-sided p-values for small samples, ties handled', () => {
  assert.equal(mannWhitneyLess([4, 5, 6], [1, 2, 3]), 1 / 20); // complete separation, 3 against 3
  assert.equal(mannWhitneyLess([1, 2, 3], [4, 5, 6]), 1);
  assert.ok(Math.abs(mannWhitneyLess([1, 2, 3, 4, 5], [1, 2, 3, 4, 5]) - 0.5) < 0.15);
  assert.ok(
    mannWhitneyLess(
      Array.from({ length: 30 }, (_, i) => i + 10),
      Array.from({ length: 30 }, (_, i) => i),
    ) < 0.05,
  ); // normal branch
  const tied = mannWhitneyLess([2, 2, 2, 3], [1, 1, 2, 2]);
  assert.ok(tied > 0 && tied < 0.2, `ties: ${tied}`);
});

test('a 20 % CoroJS regression with 3 % noise is flagged, in every seed, on (nearly) every headline ratio', () => {
  for (let seed = 1; seed <= 10; seed++) {
    const rows = compareFiles(sampleResult({ seed }), sampleResult({ seed: seed + 100, scale: 0.8 }), options);
    const regressed = headlineRegressions(rows);
    const headline = rows.filter((r) => r.headline);
    assert.ok(headline.length >= 10, `headline metrics: ${headline.length}`);
    // Each metric needs a change of max(5 %, 5 standard errors): a ratio of two 3 %-noise throughputs has
    // ~4.2 % noise, so a few metrics can miss, but the run as a whole must always be caught.
    assert.ok(
      regressed.length >= 0.75 * headline.length,
      `seed ${seed}: ${regressed.length} of ${headline.length} flagged`,
    );
    for (const r of headline)
      assert.ok(
        Math.abs(Math.abs(r.change) - (/^(switch|cpu\/op)/.test(r.metric) ? 0.25 : 0.2)) < 0.08,
        `${r.metric}: ${r.change}`,
      );
  }
});

test('two runs from the same distribution are not flagged (20 seeds)', () => {
  let flagged = 0;
  for (let seed = 1; seed <= 20; seed++) {
    flagged += headlineRegressions(
      compareFiles(sampleResult({ seed }), sampleResult({ seed: seed + 500 }), options),
    ).length;
  }
  assert.equal(flagged, 0);
});

test('an improvement is reported as improved, not as a regression', () => {
  const rows = compareFiles(sampleResult({ seed: 3 }), sampleResult({ seed: 4, scale: 1.3 }), options);
  assert.equal(headlineRegressions(rows).length, 0);
  assert.ok(rows.some((r) => r.headline && r.verdict === 'improved'));
});

test('npm run compare exits 0 without a regression, 1 with one, 2 on bad usage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'corojs-compare-'));
  const file = (name, json) => {
    const p = join(dir, name);
    writeFileSync(p, typeof json === 'string' ? json : JSON.stringify(json));
    return p;
  };
  const base = file('base.json', sampleResult({ seed: 1 }));
  const same = file('same.json', sampleResult({ seed: 2 }));
  const worse = file('worse.json', sampleResult({ seed: 3, scale: 0.8 }));
  const run = (...args) =>
    spawnSync('npm', ['run', '--silent', 'compare', '--', ...args], { cwd: ROOT, encoding: 'utf8' });
  const ok = run(base, same);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /metric\s+base\s+new\s+change\s+p-value\s+needs\s+detects\s+verdict/);
  assert.match(ok.stdout, /PASS: no headline metric regressed/);
  const bad = run(base, worse);
  assert.equal(bad.status, 1, bad.stderr);
  assert.match(bad.stdout, /FAIL \(\d+ reason/);
  assert.match(bad.stdout, /regressed: ratio tcp-echo\/\w+ corojs\[\w+\]\/node(18|20)/); // which ones depends on the draw
  assert.match(bad.stdout, /\* ratio tcp-echo\/\w+ corojs\[\w+\]\/node20 .* regressed/);
  assert.equal(spawnSync(process.execPath, [CLI, base]).status, 2);
  assert.equal(spawnSync(process.execPath, [CLI, base, join(dir, 'missing.json')]).status, 2);
  assert.equal(spawnSync(process.execPath, [CLI, base, file('junk.json', '{"schema_version": 1}')]).status, 2);
  assert.equal(spawnSync(process.execPath, [CLI, base, same, '--min-effect', 'lots']).status, 2);
});

// Fail closed: broken copies of the committed reference run must fail, naming what is missing.
const REFERENCE = join(ROOT, 'results/reference.json');
function brokenCopy(name, edit) {
  const file = JSON.parse(readFileSync(REFERENCE, 'utf8'));
  edit(file);
  const path = join(mkdtempSync(join(tmpdir(), 'corojs-compare-')), name);
  writeFileSync(path, JSON.stringify(file));
  return path;
}
const compareCli = (...args) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });

test('the reference with every tcp-echo point removed fails with exit 1, naming each missing tcp-echo ratio', () => {
  const copy = brokenCopy('no-tcp-echo.json', (f) => {
    f.workloads = f.workloads.filter((w) => w.name !== 'tcp-echo');
  });
  const run = compareCli(REFERENCE, copy);
  assert.equal(run.status, 1, run.stdout + run.stderr);
  assert.match(run.stdout, /FAIL/);
  for (const variant of ['64B', '64KiB']) {
    for (const backend of ['thread', 'ucontext']) {
      if (variant === '64KiB' && backend === 'ucontext') continue; // not gated: harness/gate.json says why
      assert.match(
        run.stdout,
        new RegExp(
          `ratio tcp-echo/${variant} corojs\\[${backend}\\]/node20 missing in the new run \\(tcp-echo/${variant} closed corojs\\[${backend}\\] absent`,
        ),
      );
    }
  }
});

test('the reference with every CoroJS point invalid fails with exit 1, naming the invalid points and why', () => {
  const copy = brokenCopy('corojs-invalid.json', (f) => {
    for (const w of f.workloads)
      if (w.runtime === 'corojs') Object.assign(w, { valid: false, invalid_reason: 'server did not start' });
  });
  const run = compareCli(REFERENCE, copy);
  assert.equal(run.status, 1, run.stdout + run.stderr);
  const base = JSON.parse(readFileSync(REFERENCE, 'utf8'));
  const ratios = metricsOf(base).filter((m) => m.headline && m.name.startsWith('ratio'));
  assert.ok(ratios.length >= 30, `headline ratios in the reference: ${ratios.length}`);
  for (const m of ratios) assert.ok(run.stdout.includes(`${m.name} missing in the new run`), `${m.name} not named`);
  assert.match(run.stdout, /tcp-echo\/64B closed corojs\[thread\] invalid: server did not start/);
});

test('errors the new run recorded fail the comparison, each named', () => {
  const copy = brokenCopy('errors.json', (f) => {
    f.errors = [
      { workload: 'dns', message: 'threw: dnsmasq not found' },
      { workload: 'targets', message: 'corojs ucontext backend skipped: --fiber-backend=ucontext fell back to thread' },
    ];
  });
  const run = compareCli(REFERENCE, copy);
  assert.equal(run.status, 1, run.stdout + run.stderr);
  assert.match(run.stdout, /recorded an error: dns: threw: dnsmasq not found/);
  assert.match(
    run.stdout,
    /recorded an error: targets: corojs ucontext backend skipped: --fiber-backend=ucontext fell back to thread/,
  );
  const legacy = brokenCopy('legacy.json', (f) => {
    f.conclusions.tls_echo_error = 'boom';
  });
  assert.equal(compareCli(REFERENCE, legacy).status, 1);
  assert.equal(compareCli(REFERENCE, REFERENCE).status, 0, 'the reference against itself passes');
});
