// `npm run lab` fails closed: a target that cannot run (here Node 20 replaced by a program that exits 1) makes
// the lab exit non-zero after writing its results, with the failure recorded in the file's `errors`.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateResultFile } from '../../build/ts/harness/src/results/validate.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(ROOT, 'build/ts/harness/src/cli.js');

test('a workload that fails to run makes npm run lab exit 1 after writing its results', { timeout: 300000 }, (t) => {
  if (!existsSync(join(ROOT, 'build/corojs'))) return t.skip('build/corojs not built');
  const out = join(mkdtempSync(join(tmpdir(), 'corojs-lab-exit-')), 'broken.json');
  const run = spawnSync(process.execPath, [CLI, '--quick', '--only', 'switch-ladder', '--out', out], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 280000,
    env: { ...process.env, LAB_NODE20: '/bin/false' },
  });
  assert.equal(run.status, 1, `${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}`);
  assert.match(run.stderr, /lab: \d+ failure\(s\) while running/);
  const file = JSON.parse(readFileSync(out, 'utf8'));
  assert.deepEqual(validateResultFile(file), []);
  assert.ok(
    file.errors.some((e) => e.workload === 'switch-ladder' && /node20: exited 1/.test(e.message)),
    JSON.stringify(file.errors),
  );
  assert.ok(
    file.switch_ladder.some((r) => r.rung === 'corojs-fiber'),
    'the other targets were still measured',
  );
});
