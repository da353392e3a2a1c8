// The workload registry (harness/src/runners/registry.ts) is the one place a workload's name and parameters are
// spelled: the CLI's names, the suite, the README's table and the programs' arguments must all agree with it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseArgs, USAGE } from '../../build/ts/harness/src/cli-args.js';
import { REGISTRY, WORKLOAD_NAMES, workloadsTable } from '../../build/ts/harness/src/runners/registry.js';
import { concurrencyOf, programArgs, usageOf, variantsOf } from '../../build/ts/harness/src/runners/workload.js';
import { programArgv, runtimePaths, runtimeUnavailable } from '../../build/ts/harness/src/runtimes.js';
import { suiteEntries } from '../../build/ts/harness/src/suite.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('the registry', () => {
  it('names each workload once, by its runner file', () => {
    assert.equal(new Set(WORKLOAD_NAMES).size, WORKLOAD_NAMES.length);
    for (const name of WORKLOAD_NAMES)
      assert.ok(existsSync(path.join(root, 'harness/src/runners', `${name}.ts`)), `runners/${name}.ts`);
    assert.ok(WORKLOAD_NAMES.includes('fiber-memory') && !WORKLOAD_NAMES.includes('memory'));
  });

  it('the CLI takes exactly its names, and the suite runs what --only and --skip select, in its order', () => {
    for (const name of WORKLOAD_NAMES) {
      const parsed = parseArgs(['--only', name], root, {});
      assert.deepEqual(parsed.config.only, [name]);
      assert.deepEqual(
        suiteEntries(parsed.config).map((w) => w.name),
        [name],
      );
      assert.match(USAGE, new RegExp(`^  ${name}: `, 'm'), `--help describes ${name}`);
    }
    assert.deepEqual(
      suiteEntries(parseArgs([], root, {}).config).map((w) => w.name),
      WORKLOAD_NAMES,
    );
    const skipped = parseArgs(['--skip', 'dns,fiber-memory'], root, {}).config;
    assert.deepEqual(
      suiteEntries(skipped).map((w) => w.name),
      WORKLOAD_NAMES.filter((n) => n !== 'dns' && n !== 'fiber-memory'),
    );
    assert.match(
      parseArgs(['--only', 'memory'], root, {}).error,
      /unknown workload\(s\): memory \(the workloads: .*fiber-memory/,
    );
  });

  it('each declaration is whole: quick variants among the variants, a concurrency for every variant that has one', () => {
    for (const w of REGISTRY) {
      assert.ok(w.about && w.variants.length, w.name);
      for (const v of variantsOf(w, true)) assert.ok(w.variants.includes(v), `${w.name} quick ${v}`);
      if (w.concurrency !== undefined) for (const v of w.variants) assert.ok(concurrencyOf(w, v) > 0, `${w.name} ${v}`);
      if (w.program) assert.ok(Object.keys(w.program.forms).length, w.name);
    }
  });

  it("builds a program's argv in the declared order and refuses a missing or unknown argument", () => {
    const fileIo = REGISTRY.find((w) => w.name === 'file-io');
    assert.deepEqual(programArgs(fileIo, 'run', { concurrency: 8, seconds: 1, variants: 'read-4KiB', dir: '/d' }), [
      '/d',
      'read-4KiB',
      '1',
      '8',
    ]);
    assert.throws(
      () => programArgs(fileIo, 'run', { dir: '/d', variants: 'x', seconds: 1 }),
      /file-io <dir> <variants> <seconds> <concurrency>: missing concurrency/,
    );
    assert.throws(
      () => programArgs(fileIo, 'run', { dir: '/d', variants: 'x', seconds: 1, concurrency: 8, depth: 3 }),
      /unknown depth/,
    );
    const micro = REGISTRY.find((w) => w.name === 'fiber-micro');
    assert.deepEqual(programArgs(micro, 'switch', { yields: 10 }), ['switch', '10']);
    assert.equal(usageOf(micro.program, 'switch'), 'fiber-micro switch <yields>');
  });

  it("the README's workload table is the registry's", () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const block = /<!-- workloads-table[^>]*-->\n([\s\S]*?)\n<!-- \/workloads-table -->/.exec(readme);
    assert.ok(block, 'README.md has the workloads-table markers');
    assert.equal(
      block[1],
      workloadsTable(),
      `README.md's workload table is stale; it should read:\n${workloadsTable()}`,
    );
  });
});

// Every program of every form, run without its arguments, is a usage error naming what the registry declares.
describe('programs without their arguments fail clearly', () => {
  const paths = runtimePaths(root);
  const programs = REGISTRY.filter((w) => w.program).map((w) => w.program);
  for (const runtime of ['corojs', 'node20', 'go']) {
    const missing =
      runtimeUnavailable(paths, runtime) ??
      (runtime === 'node20' && !existsSync(path.join(root, 'build/ts/baselines/tcp-echo.js'))
        ? 'baselines not built'
        : null);
    for (const program of programs) {
      // The twins have no stack-sweep (CoroJS only) and no fiber-memory hwm form.
      const forms = Object.keys(program.forms).filter(
        (f) => runtime === 'corojs' || (program.name !== 'stack-sweep' && f !== 'hwm'),
      );
      if (!forms.length) continue;
      it(`${program.name} on ${runtime}`, { skip: missing ?? false }, () => {
        const usages = forms.map((f) => usageOf(program, f));
        const literals = forms
          .map((f) => program.forms[f])
          .filter((names) => names[0].startsWith('=') && names.length > 1)
          .map((names) => [names[0].slice(1)]);
        for (const args of [[], ...literals]) {
          const run = spawnSync(
            programArgv(paths, runtime, program.name, args)[0],
            programArgv(paths, runtime, program.name, args).slice(1),
            { encoding: 'utf8', timeout: 30000 },
          );
          assert.equal(
            run.status,
            2,
            `${program.name} ${args.join(' ')} on ${runtime}: exit ${run.status}, ${run.stderr}`,
          );
          assert.match(run.stderr, new RegExp(`^${program.name}: (missing <|unknown form)`, 'm'));
          for (const usage of usages)
            assert.ok(run.stderr.includes(usage), `${runtime} ${program.name} prints "${usage}":\n${run.stderr}`);
        }
      });
    }
  }
});
