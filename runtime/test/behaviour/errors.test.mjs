// Uncaught errors: syntax errors with file:line:column, stacks on stderr, exit status 1.
import test from 'node:test';
import assert from 'node:assert/strict';
import { runSource, runCorojs, writeScript } from './run-corojs.mjs';

test('a syntax error prints file:line:column and exits 1', async () => {
  const script = writeScript('const ok = 1;\nlet x = ;\n');
  const r = await runCorojs(script);
  assert.equal(r.code, 1);
  assert.ok(r.stderr.includes(`${script}:2:9`), r.stderr);
  assert.match(r.stderr, /SyntaxError/);
});

test('an uncaught exception prints its stack (at fn (file:line:col)) and exits 1', async () => {
  const script = writeScript("function explode() {\n  throw new Error('boom');\n}\nexplode();\n");
  const r = await runCorojs(script);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Error: boom/);
  assert.ok(r.stderr.includes(`at explode (${script}:2:9)`), r.stderr);
});

test('an exception escaping a Fiber.run fiber prints its stack and exits 1', async () => {
  const script = writeScript(
    "Fiber.run(function worker() {\n  Fiber.sleep(5);\n  throw new TypeError('bad fiber');\n});\nconsole.log('main done');\n",
  );
  const r = await runCorojs(script);
  assert.equal(r.code, 1);
  assert.equal(r.stdout.trim(), 'main done');
  assert.match(r.stderr, /TypeError: bad fiber/);
  assert.ok(r.stderr.includes(`at worker (${script}:3:9)`), r.stderr);
});

test('a thrown non-Error value is reported too', async () => {
  const r = await runSource('throw 42;');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /42/);
});

test('unknown runtime flags are usage errors, --help and --version answer', async () => {
  const { spawnSync } = await import('node:child_process');
  const { COROJS } = await import('./run-corojs.mjs');
  assert.equal(spawnSync(COROJS, ['--no-such-flag']).status, 9);
  assert.equal(spawnSync(COROJS, ['--fiber-stack-size=12']).status, 9);
  const help = spawnSync(COROJS, ['--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /usage: corojs/);
  assert.match(spawnSync(COROJS, ['--version'], { encoding: 'utf8' }).stdout, /V8 10\.2/);
});

test('promise jobs run, and an unhandled rejection exits 1 with its stack, as in Node', async () => {
  const handled = await runSource(`
    const p = Promise.reject(new Error('late'));
    p.catch((e) => console.log('caught', e.message));
    Promise.resolve(1).then((v) => console.log('then', v));`);
  assert.equal(handled.code, 0, handled.stderr);
  assert.equal(handled.stdout, 'caught late\nthen 1\n');
  const unhandled = await runSource("Promise.reject(new Error('nobody catches'));");
  assert.equal(unhandled.code, 1);
  assert.match(unhandled.stderr, /Error: nobody catches/);
});
