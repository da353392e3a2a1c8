// test262's module folders on CoroJS against Node 18 on the same libnode (same V8 10.2): every test Node passes
// must pass here, and no test may crash the runtime (a signal, V8's fatal exit 133, "Check failed").
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import {
  COROJS,
  NODE18,
  TEST262,
  classify,
  compareWithNode18,
  prepareSuite,
  readFrontMatter,
  summarise,
} from './test262-runner.mjs';

test('the runner reads front matter and tells a pass from a failure and a crash', () => {
  const meta = readFrontMatter(
    '/*---\nnegative:\n  phase: parse\n  type: SyntaxError\nflags: [module, async]\nincludes: [a.js, b.js]\n---*/',
  );
  assert.deepEqual(meta, {
    flags: ['module', 'async'],
    includes: ['a.js', 'b.js'],
    negative: { phase: 'parse', type: 'SyntaxError' },
  });
  const ok = { code: 0, signal: null, stdout: '', stderr: '', timedOut: false };
  const negative = { negative: { phase: 'parse', type: 'SyntaxError' } };
  assert.equal(classify({}, ok).pass, true);
  assert.equal(classify({ async: true }, ok).pass, false, 'an async test must print AsyncTestComplete');
  assert.equal(classify({ async: true }, { ...ok, stdout: 'Test262:AsyncTestComplete\n' }).pass, true);
  assert.equal(classify(negative, ok).pass, false, 'a negative test that exits 0 fails');
  assert.equal(classify(negative, { ...ok, code: 1, stderr: 'SyntaxError: x' }).pass, true);
  assert.equal(classify(negative, { ...ok, code: 1, stderr: 'TypeError: x' }).pass, false);
  assert.equal(classify({}, { ...ok, code: null, signal: 'SIGTRAP' }).crash, true);
  assert.equal(classify(negative, { ...ok, code: 133, stderr: 'SyntaxError' }).crash, true);
  assert.equal(classify({}, { ...ok, code: 1, stderr: '# Check failed: x' }).crash, true);
});

test('test262 module folders: no test Node 18 passes fails on CoroJS, and none crashes CoroJS', async (t) => {
  for (const [what, path] of [
    ['the test262 copy', TEST262],
    ['build/corojs', COROJS],
    ['build/node18-same-v8', NODE18],
  ]) {
    if (!existsSync(path)) {
      t.skip(`${what} is missing (${path})`);
      return;
    }
  }
  const { root, tests } = prepareSuite();
  try {
    const { rows, node18Ran } = await compareWithNode18(root, tests);
    const s = summarise(rows);
    t.diagnostic(
      `${s.total} tests: CoroJS passes ${s.corojsPass}, Node 18 (same V8) passes ${s.node18Pass} ` +
        `(Node run now for ${node18Ran}, the rest from build/test262-node18-outcomes.json); ` +
        `CoroJS crashes ${s.corojsCrashes.length}`,
    );
    const why = (name) => `${name}: ${rows.find((r) => r.name === name).results.corojs.why}`;
    assert.deepEqual(s.corojsCrashes.map(why), [], 'tests that crash CoroJS');
    assert.deepEqual(s.regressions.map(why), [], 'tests Node 18 passes and CoroJS fails');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
