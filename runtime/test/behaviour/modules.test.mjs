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
  writeFileSync(
    join(dir, 'main.mjs'),
    `
    import { a, url } from './sub/a.mjs';
    import b from '${join(dir, 'b.mjs')}';
    console.log(a, b(), url, import.meta.url);`,
  );
  const r = await runCorojs(join(dir, 'main.mjs'));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), `A B file://${dir}/sub/a.mjs file://${dir}/main.mjs`);
});

test('dynamic import resolves relative to the importing module and evaluates each module once', async () => {
  const script = writeScript(
    `
    const m1 = await import('./lib.mjs');
    const m2 = await import('./lib.mjs');
    console.log(m1.count(), m1 === m2);`,
    { 'lib.mjs': 'let n = 0; export const count = () => ++n;' },
  );
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

test('a syntax error in a dependency is a SyntaxError with file:line:column, exit 1 (not a V8 fatal)', async () => {
  const r = await runSource("import { a } from './bad.mjs'; console.log(a);", {
    files: { 'bad.mjs': 'export const a = ;' },
  });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /bad\.mjs:1:18\nexport const a = ;\n {17}\^/);
  assert.match(r.stderr, /SyntaxError: Unexpected token ';'/);
  assert.doesNotMatch(r.stderr, /Fatal|Check failed/);
});

test('a syntax error in a dynamically imported module rejects the import; unhandled, it is reported with its file', async () => {
  const files = { 'bad.mjs': 'export const a = ;', 'mid.mjs': "import './bad.mjs';" };
  const caught = await runSource(
    `
    try { await import('./mid.mjs'); } catch (e) { console.log(e.name); }
    try { await import('./mid.mjs'); } catch (e) { console.log(e.name); }`,
    { files },
  );
  assert.equal(caught.code, 0, caught.stderr);
  assert.equal(caught.stdout.trim(), 'SyntaxError\nSyntaxError');
  const uncaught = await runSource("await import('./mid.mjs');", { files });
  assert.equal(uncaught.code, 1);
  assert.match(uncaught.stderr, /bad\.mjs:1:18/);
});

test('errors while linking (a missing export, in a cycle too) are SyntaxErrors naming the binding, exit 1', async () => {
  const r = await runSource("import { nope } from './a.mjs';", {
    files: {
      'a.mjs': "import './b.mjs'; export const a = 1;",
      'b.mjs': "import { a } from './a.mjs'; export const b = a;",
    },
  });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /SyntaxError: The requested module '\.\/a\.mjs' does not provide an export named 'nope'/);
  const cycle = await runSource("import { b } from './b.mjs'; import { a } from './a.mjs'; console.log(a, typeof b);", {
    files: {
      'a.mjs': "import './b.mjs'; export const a = 1;",
      'b.mjs': "import { a } from './a.mjs'; export const b = () => a;",
    },
  });
  assert.equal(cycle.code, 0, cycle.stderr);
  assert.equal(cycle.stdout.trim(), '1 function');
});

test('a module that throws: a handled import() rejection exits 0; an unhandled one exits 1', async () => {
  const files = { 'throws.mjs': "throw new RangeError('from the module');" };
  const handled = await runSource(
    `
    const e1 = await import('./throws.mjs').catch((e) => e);
    const e2 = await import('./throws.mjs').catch((e) => e);
    console.log(e1.message, e1 === e2);`,
    { files },
  );
  assert.equal(handled.code, 0, handled.stderr);
  assert.equal(handled.stdout.trim(), 'from the module true');
  const unhandled = await runSource("import('./throws.mjs'); Fiber.sleep(10); console.log('after');", { files });
  assert.equal(unhandled.code, 1);
  assert.match(unhandled.stderr, /RangeError: from the module/);
});

test('a module importing itself while it evaluates, across a blocking call, gets its namespace once it is done', async () => {
  const r = await runSource(`
    globalThis.runs = (globalThis.runs ?? 0) + 1;
    const self = import('./main.mjs');
    Fiber.sleep(5);  // the import's job runs now, while this module is still evaluating: it must wait
    export const value = 'done';
    self.then((ns) => console.log(ns.value, globalThis.runs));`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'done 1');
});

test('import() waits for a module with top-level await, and modules evaluate in order', async () => {
  const r = await runSource(
    `
    globalThis.log = [];
    const p = import('./slow.mjs').then((ns) => log.push('imported ' + ns.value));
    log.push('main');
    await p;
    console.log(log.join(', '));`,
    {
      files: {
        'slow.mjs':
          "import './dep.mjs'; log.push('slow start'); await new Promise((r) => setTimeout(r, 20)); log.push('slow end'); export const value = 42;",
        'dep.mjs': "log.push('dep');",
      },
    },
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'main, dep, slow start, slow end, imported 42');
});

test('a top-level-await module that rejects rejects its import()', async () => {
  const r = await runSource(
    `
    const e = await import('./late.mjs').catch((e) => e);
    console.log(e.message);`,
    {
      files: { 'late.mjs': "await new Promise((r) => setTimeout(r, 5)); throw new Error('late failure');" },
    },
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'late failure');
});

test("JSON modules need with { type: 'json' } (or assert), as in Node 18.20; bad JSON names the file", async () => {
  const files = {
    'data.json': '{"name": "corojs", "list": [1, 2]}',
    'bad.json': '{"a": ',
    'lib.mjs': 'export default 1;',
  };
  const ok = await runSource(
    `
    import data from './data.json' with { type: 'json' };
    import same from './data.json' assert { type: 'json' };
    const dynamic = await import('./data.json', { with: { type: 'json' } });
    console.log(data.name, data.list.length, same === data, dynamic.default === data);`,
    { files },
  );
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout.trim(), 'corojs 2 true true');
  const cases = [
    ["import d from './data.json';", 'ERR_IMPORT_ASSERTION_TYPE_MISSING'],
    ["import d from './lib.mjs' with { type: 'json' };", 'ERR_IMPORT_ASSERTION_TYPE_FAILED'],
    ["import d from './data.json' with { type: 'css' };", 'ERR_IMPORT_ASSERTION_TYPE_UNSUPPORTED'],
    ["import d from './data.json' with { type: 'json', other: 'x' };", 'ERR_IMPORT_ATTRIBUTE_UNSUPPORTED'],
  ];
  for (const [source, code] of cases) {
    const r = await runSource(source, { files });
    assert.equal(r.code, 1, source);
    assert.match(r.stderr, new RegExp(`TypeError \\[${code}\\]`), source);
  }
  const bad = await runSource(
    `
    try { await import('./bad.json', { with: { type: 'json' } }); } catch (e) { console.log(e.name, e.message); }`,
    { files },
  );
  assert.equal(bad.code, 0, bad.stderr);
  assert.match(bad.stdout, /^SyntaxError \/.*\/bad\.json: Unexpected end of JSON input/);
});

test('a file that is neither JavaScript nor JSON, or a directory, is a clear error, not a crash', async () => {
  const files = { 'notes.txt': 'plain words', 'binary.mjs': '\u0000\u0001\u00ff' };
  const text = await runSource("import './notes.txt';", { files });
  assert.equal(text.code, 1);
  assert.match(
    text.stderr,
    /TypeError \[ERR_UNKNOWN_FILE_EXTENSION\]: Unknown file extension "\.txt" for \/.*notes\.txt/,
  );
  const binary = await runSource(
    `
    const e = await import('./binary.mjs').catch((e) => e);
    const d = await import('./').catch((e) => e);
    console.log(e.name, d.code);`,
    { files },
  );
  assert.equal(binary.code, 0, binary.stderr);
  assert.equal(binary.stdout.trim(), 'SyntaxError ERR_UNSUPPORTED_DIR_IMPORT');
});
