// process and performance: argv, env, pid, exit, exitCode, hrtime.bigint, performance.now.
import test from 'node:test';
import assert from 'node:assert/strict';
import { runCorojs, runSource, writeScript, COROJS } from './run-corojs.mjs';

test('process.argv holds the runtime, the absolute script path and the arguments', async () => {
  const script = writeScript('console.log(JSON.stringify(process.argv));');
  const r = await runCorojs(script, { args: ['one', '--two'] });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [COROJS, script, 'one', '--two']);
});

test('process.env, process.pid, hrtime.bigint and performance.now', async () => {
  const r = await runSource(
    `
    const t0 = process.hrtime.bigint();
    const p0 = performance.now();
    Fiber.sleep(30);
    const dt = Number(process.hrtime.bigint() - t0) / 1e6;
    const dp = performance.now() - p0;
    console.log(process.env.COROJS_TEST_VAR, typeof process.pid, process.pid > 0, typeof t0);
    console.log(dt >= 29 && dt < 2000, dp >= 29 && dp < 2000);`,
    { env: { COROJS_TEST_VAR: 'hello env' } },
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'hello env number true bigint\ntrue true\n');
});

test('process.exit(code) ends at once, even with fibers suspended', async () => {
  const r = await runSource(`
    Fiber.run(() => { Fiber.sleep(60000); console.log('never'); });
    Fiber.run(() => { Fiber.sleep(10); console.log('exiting'); process.exit(7); });
    console.log('main done');`);
  assert.equal(r.code, 7);
  assert.equal(r.stdout, 'main done\nexiting\n');
});

test('process.exitCode is the status when the program runs out of work', async () => {
  const r = await runSource('process.exitCode = 3; Fiber.run(() => { Fiber.sleep(5); });');
  assert.equal(r.code, 3);
});

test('the process waits for every fiber before exiting with 0', async () => {
  const r = await runSource(`
    for (let i = 0; i < 3; i++) Fiber.run(() => { Fiber.sleep(20 * (3 - i)); console.log('fiber', i); });
    console.log('main done');`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'main done\nfiber 2\nfiber 1\nfiber 0\n');
});
