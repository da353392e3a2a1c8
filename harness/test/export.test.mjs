// npm run export: the headline metrics of a result file in Bencher Metric Format and github-action-benchmark's
// custom JSON, checked against each format's documented shape:
//   BMF (bencher.dev/docs/reference/bencher-metric-format): an object of benchmark names (<= 1024 characters)
//   to objects of measures (slug <= 64 characters) to {value: number (required), lower_value?, upper_value?}.
//   github-action-benchmark (README, "Examples" of customBiggerIsBetter/customSmallerIsBetter; BenchmarkResult
//   in src/extract.ts): a JSON array of {name: string, unit: string, value: number, range?: string, extra?: string}.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { metricsOf } from '../../build/ts/harness/src/compare/metrics.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const REFERENCE = join(ROOT, 'results/reference.json');
const run = (...args) =>
  spawnSync('npm', ['run', '--silent', 'export', '--', ...args], { cwd: ROOT, encoding: 'utf8' });
const headline = metricsOf(JSON.parse(readFileSync(REFERENCE, 'utf8'))).filter((m) => m.headline);
const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);

function checkBmf(json) {
  assert.ok(json && typeof json === 'object' && !Array.isArray(json), 'BMF is an object');
  for (const [benchmark, measures] of Object.entries(json)) {
    assert.ok(benchmark.length > 0 && benchmark.length <= 1024, `benchmark name length: ${benchmark}`);
    assert.ok(measures && typeof measures === 'object' && !Array.isArray(measures), `${benchmark}: measures object`);
    for (const [slug, metric] of Object.entries(measures)) {
      assert.match(slug, /^[a-z0-9]+(-[a-z0-9]+)*$/, `measure slug ${slug}`);
      assert.ok(slug.length <= 64, `slug length ${slug}`);
      assert.ok(isNumber(metric.value), `${benchmark}/${slug}: value`);
      for (const key of Object.keys(metric))
        assert.ok(['value', 'lower_value', 'upper_value'].includes(key), `unknown key ${key}`);
      if ('lower_value' in metric) assert.ok(isNumber(metric.lower_value) && metric.lower_value <= metric.value);
      if ('upper_value' in metric) assert.ok(isNumber(metric.upper_value) && metric.upper_value >= metric.value);
    }
  }
}

function checkActionBenchmark(list) {
  assert.ok(Array.isArray(list), 'a JSON array');
  for (const e of list) {
    assert.equal(typeof e.name, 'string');
    assert.ok(typeof e.unit === 'string' && e.unit.length > 0, `${e.name}: unit`);
    assert.ok(isNumber(e.value), `${e.name}: value`);
    if ('range' in e) assert.equal(typeof e.range, 'string');
    if ('extra' in e) assert.equal(typeof e.extra, 'string');
    for (const key of Object.keys(e))
      assert.ok(['name', 'unit', 'value', 'range', 'extra'].includes(key), `unknown key ${key}`);
  }
}

test('--format bencher writes BMF JSON with one benchmark per headline metric', () => {
  const dir = mkdtempSync(join(tmpdir(), 'corojs-export-'));
  const out = run('--format', 'bencher', REFERENCE, '--out', dir);
  assert.equal(out.status, 0, out.stderr);
  const bmf = JSON.parse(readFileSync(join(dir, 'bencher.json'), 'utf8'));
  checkBmf(bmf);
  assert.deepEqual(Object.keys(bmf).sort(), headline.map((m) => m.name).sort());
  const echo = bmf['ratio tcp-echo/64B corojs[thread]/node20'];
  assert.deepEqual(Object.keys(echo), ['throughput-ratio-corojs-node20']);
  assert.ok(echo['throughput-ratio-corojs-node20'].value > 0.5 && echo['throughput-ratio-corojs-node20'].value < 0.8);
  assert.ok(bmf['switch corojs-fiber[ucontext]/raw-ucontext']['switch-time-ratio-fiber-raw-ucontext'].value > 1);
});

test('--format github-action-benchmark writes customBiggerIsBetter and customSmallerIsBetter JSON with units', () => {
  const dir = mkdtempSync(join(tmpdir(), 'corojs-export-'));
  const out = run('--format', 'github-action-benchmark', REFERENCE, '--out', dir);
  assert.equal(out.status, 0, out.stderr);
  const bigger = JSON.parse(readFileSync(join(dir, 'customBiggerIsBetter.json'), 'utf8'));
  const smaller = JSON.parse(readFileSync(join(dir, 'customSmallerIsBetter.json'), 'utf8'));
  checkActionBenchmark(bigger);
  checkActionBenchmark(smaller);
  assert.deepEqual(
    bigger.map((e) => e.name).sort(),
    headline
      .filter((m) => m.higherIsBetter)
      .map((m) => m.name)
      .sort(),
  );
  assert.deepEqual(
    smaller.map((e) => e.name).sort(),
    headline
      .filter((m) => !m.higherIsBetter)
      .map((m) => m.name)
      .sort(),
  );
  assert.ok(
    smaller.some((e) => e.name === 'switch corojs-fiber[thread]/raw-ucontext') &&
      smaller.some((e) => e.name.startsWith('cpu/op tls-echo/')),
  );
  assert.equal(
    bigger.find((e) => e.name === 'ratio tcp-echo/64B corojs[thread]/node20').unit,
    'throughput ratio corojs/node20',
  );
});

test('npm run export: bad usage and invalid files exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'corojs-export-'));
  assert.equal(run('--format', 'csv', REFERENCE).status, 2);
  assert.equal(run('--format', 'bencher').status, 2);
  const junk = join(dir, 'junk.json');
  writeFileSync(junk, '{"schema_version": 1}');
  assert.equal(run('--format', 'bencher', junk, '--out', dir).status, 2);
});
