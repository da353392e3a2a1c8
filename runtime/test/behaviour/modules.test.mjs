// The module loader: static/dynamic import, import.meta.url, the 'corojs' module, errors naming the module.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCorojs, runSource, writeScript } from './run-corojs.mjs';

test('static import of relative and absolute paths, and import.meta.url', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'corojs-mod-'));
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub/a.mjs'), "export const a = 'A'; export const url = import.meta.url;");
  writeFileSync(join(dir, 'b.mjs'), "export default function b() { return 'B'; }");
  writeFileSync(join(dir, 'main.mjs'), `
    import { a, url } from './sub/a.mjs';
    import b from '${join(dir, 'b.mjs')}';
    console.log(a, b(), url, import.meta.url);`);
  const r = await runCorojs(join(dir, 'main.mjs'));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), `A B file://${dir}/sub/a.mjs file://${dir}/main.mjs`);
});

test('dynamic import resolves relative to the importing module and evaluates each module once', async () => {
  const script = writeScript(`
    const m1 = await import('./lib.mjs');
    const m2 = await import('./lib.mjs');
    console.log(m1.count(), m1 === m2);`, { 'lib.mjs': 'let n = 0; export const count = () => ++n;' });
  const r = await runCorojs(script);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), '1 true');
});

test("the public API objects are globals and named exports of 'corojs'", async () => {
  const r = await runSource(`
    import { fs as f, net as n, tls as t, dns as d, Fiber as F, console as c, process as p } from 'corojs';
    console.log([f === fs, n === net, t === tls, d === dns, F === Fiber, c === console, p === process].join());
    console.log(typeof globalThis.__primordials.fiber.run);`);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), ['true,true,true,true,true,true,true', 'function']);
});

test('a missing module is a clear error naming it, exit status 1', async () => {
  const r = await runSource("import './does-not-exist.mjs';");
  assert.equal(r.code, 1);
  assert.match(r.stderr, /ERR_MODULE_NOT_FOUND/);
  assert.match(r.stderr, /does-not-exist\.mjs/);
});

test('a failed dynamic import rejects with a catchable error', async () => {
  const r = await runSource(`
    try { await import('./missing.mjs'); } catch (e) { console.log(e.code, /missing\\.mjs/.test(e.message)); }
    try { await import('bare-package'); } catch (e) { console.log(e.code); }`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'ERR_MODULE_NOT_FOUND true\nERR_MODULE_NOT_FOUND');
});

test('the entry module defaults to ./main.mjs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'corojs-mod-'));
  writeFileSync(join(dir, 'main.mjs'), "console.log('default entry');");
  const { spawnSync } = await import('node:child_process');
  const { BACKEND_ARGS, COROJS } = await import('./run-corojs.mjs');
  const r = spawnSync(COROJS, BACKEND_ARGS, { cwd: dir, encoding: 'utf8', timeout: 20000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'default entry');
});
