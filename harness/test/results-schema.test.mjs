// The result schema v2 (harness/src/results/schema.ts): one declaration gives the types and the validator, which
// rejects undeclared fields and points without their target; the v1 reader (results/read.ts) converts old files
// (the committed reference, trends, an old gate base) so compare, export and report read both versions.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareFiles } from '../../build/ts/harness/src/compare/compare.js';
import { readResultFile, resultFromJson, upgradeV1 } from '../../build/ts/harness/src/results/read.js';
import { memoryUnit, SCHEMA_VERSION, targetLabel, targetOf } from '../../build/ts/harness/src/results/schema.js';
import { validateResultFile } from '../../build/ts/harness/src/results/validate.js';
import { asV1, sampleResult } from './sample-result.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const REFERENCE = join(ROOT, 'results/reference.json');
const build = (cli) => join(ROOT, 'build/ts/harness/src', cli);

test('a target has one label, and a point carries its target', () => {
  assert.equal(SCHEMA_VERSION, 2);
  assert.equal(targetLabel({ runtime: 'corojs', fiber_backend: 'fcontext' }), 'corojs-fcontext');
  assert.equal(targetLabel({ runtime: 'node20' }), 'node20');
  assert.deepEqual(targetOf('corojs', 'ucontext'), { runtime: 'corojs', fiber_backend: 'ucontext' });
  assert.deepEqual(targetOf('go'), { runtime: 'go' });
  assert.throws(() => targetOf('corojs'), /needs its fiber backend/);
  assert.throws(() => targetOf('node20', 'thread'), /has no fiber backend/);
  assert.equal(memoryUnit('idle-fibers', 'go'), 'goroutine sleeping on a timer');
});

test('the validator comes from the declaration: undeclared fields and missing targets are problems', () => {
  const file = sampleResult({ seed: 5 });
  assert.deepEqual(validateResultFile(file), []);
  const broken = structuredClone(file);
  broken.surprise = 1;
  broken.workloads[0].server = 'tcp-echo'; // fiber-memory wrote such fields undeclared in v1
  broken.memory[0].idle_connections = 1000;
  broken.env.versions.rust = '1.0';
  delete broken.workloads[1].fiber_backend; // a corojs point must say its backend
  broken.workloads.find((w) => w.runtime === 'node20').fiber_backend = 'thread';
  broken.memory[1].unit = 7;
  const problems = validateResultFile(broken);
  for (const expected of [
    /^result\.surprise: not declared/,
    /^result\.workloads\[0\]\.server: not declared/,
    /^result\.memory\[0\]\.idle_connections: not declared/,
    /^result\.env\.versions\.rust: not declared/,
    /^result\.workloads\[1\]\.fiber_backend: missing on a corojs point/,
    /fiber_backend: only corojs points have one/,
    /^result\.memory\[1\]\.unit: invalid value 7 \(a string\)/,
  ]) {
    assert.ok(
      problems.some((p) => expected.test(p)),
      `${expected} in:\n${problems.join('\n')}`,
    );
  }
  assert.match(
    validateResultFile(asV1(file)).join('\n'),
    /schema_version: invalid value 1 \(one of 2\)/,
    'the validator is v2 only: v1 goes through the reader',
  );
});

test('the v1 reader converts an old file to exactly the v2 file it describes', () => {
  const v2 = sampleResult({ seed: 6 });
  const v1 = asV1(v2);
  const read = resultFromJson(v1);
  assert.equal(read.ok, true, read.problems?.join('\n'));
  assert.equal(read.fromVersion, 1);
  assert.deepEqual(read.file, v2);
  assert.equal(v1.schema_version, 1, 'the input is not changed');
  assert.deepEqual(resultFromJson(v2), { ok: true, file: v2, fromVersion: 2 });
  const bad = resultFromJson({ ...v1, memory: [{ runtime: 'corojs', rss_per_connection_bytes: 1 }] });
  assert.equal(bad.ok, false);
  assert.ok(
    bad.problems.some((p) => /memory\[0\]\.count: missing \(converted from schema v1\)/.test(p)),
    bad.problems.join('\n'),
  );
});

test('the committed v1 reference reads as v2: every CoroJS point names its backend, memory says count and unit', () => {
  const raw = JSON.parse(readFileSync(REFERENCE, 'utf8'));
  const read = readResultFile(REFERENCE);
  assert.equal(read.ok, true, read.problems?.join('\n'));
  assert.equal(read.fromVersion, raw.schema_version);
  const file = read.file;
  assert.equal(file.workloads.length, raw.workloads.length);
  for (const w of [...file.workloads, ...file.stack, ...(file.instructions ?? [])])
    assert.equal(w.runtime === 'corojs', w.fiber_backend !== undefined, targetLabel(w));
  const idleFibers = file.memory.filter((m) => m.kind === 'idle-fibers');
  assert.ok(
    idleFibers.length > 0 &&
      idleFibers.every(
        (m) => m.count > 0 && m.unit === memoryUnit('idle-fibers', m.runtime) && !('idle_connections' in m),
      ),
  );
  assert.deepEqual(
    upgradeV1(raw).memory.map((m) => m.rss_per_unit_bytes),
    raw.memory.map((m) => m.rss_per_connection_bytes),
  );
  assert.ok(compareFiles(file, file, { minEffect: 0.05, alpha: 0.05 }).every((r) => r.verdict !== 'regressed'));
});

test('compare and export read v1 and v2 files alike', () => {
  const dir = mkdtempSync(join(tmpdir(), 'corojs-schema-'));
  const v2 = join(dir, 'v2.json');
  const v1 = join(dir, 'v1.json');
  writeFileSync(v2, JSON.stringify(sampleResult({ seed: 7 })));
  writeFileSync(v1, JSON.stringify(asV1(sampleResult({ seed: 7 }))));
  const run = (cli, args) => spawnSync(process.execPath, [build(cli), ...args], { encoding: 'utf8', cwd: dir });
  const same = run('compare-cli.js', [v1, v2]);
  assert.equal(same.status, 0, same.stdout + same.stderr); // the same measurements in both versions: nothing changed
  assert.match(same.stdout, /PASS/);
  const reference = run('compare-cli.js', [REFERENCE, REFERENCE]);
  assert.equal(reference.status, 0, reference.stdout.slice(-2000) + reference.stderr);
  for (const file of [v1, v2]) {
    const exported = run('export-cli.js', ['--format', 'bencher', file, '--out', join(dir, 'export')]);
    assert.equal(exported.status, 0, exported.stderr);
    assert.ok(Object.keys(JSON.parse(readFileSync(join(dir, 'export/bencher.json'), 'utf8'))).length > 5);
  }
});
