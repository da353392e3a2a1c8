// Resolution beyond paths: import maps (--import-map, corojs.importmap.json), resolvers (--loader=FILE and
// import.meta.resolver), and their errors.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCorojs } from './run-corojs.mjs';

// Writes `files` (name -> text, folders created) into a fresh directory; returns its path.
function project(files) {
  const dir = mkdtempSync(join(tmpdir(), 'corojs-resolve-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), typeof text === 'string' ? text : JSON.stringify(text));
  }
  return dir;
}

test('a bare import through corojs.importmap.json beside the entry module: imports, prefixes and scopes', async () => {
  const dir = project({
    'corojs.importmap.json': {
      imports: { 'left-pad': './vendor/left-pad/index.mjs', 'utils/': './src/utils/', '#config': './config.mjs' },
      scopes: { './vendor/': { '#config': './vendor/config.mjs' } },
    },
    'vendor/left-pad/index.mjs': "import c from '#config'; export default (s, n) => c + String(s).padStart(n);",
    'vendor/config.mjs': "export default 'vendor:';",
    'config.mjs': "export default 'app';",
    'src/utils/strings.mjs': 'export const shout = (s) => s.toUpperCase();',
    'main.mjs': `
      import leftPad from 'left-pad';
      import { shout } from 'utils/strings.mjs';
      import config from '#config';
      const dynamic = await import('utils/strings.mjs');
      console.log(leftPad(7, 3), shout('hi'), config, dynamic.shout === shout);`,
  });
  const r = await runCorojs(join(dir, 'main.mjs'));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'vendor:  7 HI app true');
});

test('--import-map=FILE is used instead of the file beside the entry module; unmapped bare names still fail', async () => {
  const dir = project({
    'maps/dev.json': { imports: { logger: '../dev-logger.mjs' } },
    'dev-logger.mjs': "export default 'dev logger';",
    'main.mjs':
      "import logger from 'logger'; console.log(logger); await import('nope').catch((e) => console.log(e.code));",
  });
  const r = await runCorojs(join(dir, 'main.mjs'), { runtimeArgs: [`--import-map=${join(dir, 'maps/dev.json')}`] });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'dev logger\nERR_MODULE_NOT_FOUND');
});

test('a bad import map is a clear error naming the file and the key, exit 1', async () => {
  const cases = [
    [{ imports: { lodash: 42 } }, /"imports" > "lodash": the address must be a string/],
    [{ imports: { 'lib/': './lib' } }, /"imports" > "lib\/": a key ending in \/ needs an address ending in \//],
    [{ imports: { x: 'bare-address' } }, /"imports" > "x": the address "bare-address" must start with/],
    [{ scopes: { './a/': [] } }, /"scopes" > "\.\/a\/": must be an object/],
    [{ import: {} }, /"import": unknown key/],
    ['{ not json', /not valid JSON/],
  ];
  for (const [map, pattern] of cases) {
    const dir = project({ 'corojs.importmap.json': map, 'main.mjs': "console.log('ran');" });
    const r = await runCorojs(join(dir, 'main.mjs'));
    assert.equal(r.code, 1, JSON.stringify(map));
    assert.match(r.stderr, /TypeError \[ERR_INVALID_IMPORT_MAP\]: Invalid import map \/.*corojs\.importmap\.json/);
    assert.match(r.stderr, pattern);
    assert.equal(r.stdout, '');
  }
});

test('--loader: a resolver serves one module from a string and lets the rest through', async () => {
  const dir = project({
    'loader.mjs': `
      export const seen = [];
      export function resolver(specifier, base) {
        seen.push(specifier);
        if (specifier === 'virtual:answer') {
          return { source: 'export default 42; export const url = import.meta.url;', url: '/virtual/answer.mjs' };
        }
        if (specifier === 'seen') return './seen.mjs';
        return undefined;
      }`,
    'seen.mjs': "export { seen as default } from './loader.mjs';",
    'real.mjs': "export default 'real file';",
    'main.mjs': `
      import answer, { url } from 'virtual:answer';
      import real from './real.mjs';
      import seen from 'seen';
      const again = await import('virtual:answer');
      console.log(answer, url, real, again.default, seen.includes('./real.mjs'), seen.includes('virtual:answer'));`,
  });
  const r = await runCorojs(join(dir, 'main.mjs'), { runtimeArgs: [`--loader=${join(dir, 'loader.mjs')}`] });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), '42 file:///virtual/answer.mjs real file 42 true true');
});

test('dynamic import through import.meta.resolver, which may block its fiber', async () => {
  const dir = project({
    'plugins/greeting.txt': "export default 'hello from a .txt file';",
    'main.mjs': `
      import.meta.resolver = (specifier, base) => {
        if (!specifier.startsWith('plugin:')) return undefined;
        Fiber.sleep(5);  // a resolver runs in the importing fiber and may block
        const path = base.slice('file://'.length, base.lastIndexOf('/')) + '/plugins/' + specifier.slice(7) + '.txt';
        return { source: fs.readFile(path), url: 'file://' + path + '.mjs' };
      };
      const { default: text } = await import('plugin:greeting');
      console.log(text, typeof import.meta.resolver);`,
  });
  const r = await runCorojs(join(dir, 'main.mjs'));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'hello from a .txt file function');
});

test('a throwing resolver: the import fails with its error, naming the specifier', async () => {
  const dir = project({
    'main.mjs': `
      import.meta.resolver = (specifier) => {
        if (specifier === 'forbidden') throw new RangeError('not allowed here');
        if (specifier === 'odd') return 42;
      };
      const e = await import('forbidden').catch((e) => e);
      console.log(e.code, e.message, e.cause instanceof RangeError);
      const odd = await import('odd').catch((e) => e);
      console.log(odd.code);
      try { import.meta.resolver = 'nope'; } catch (e) { console.log(e.name); }`,
  });
  const r = await runCorojs(join(dir, 'main.mjs'));
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), [
    `ERR_RESOLVER_FAILED The resolver failed on 'forbidden' imported from file://${dir}/main.mjs: not allowed here true`,
    'ERR_INVALID_RETURN_VALUE',
    'TypeError',
  ]);
});

test('a loader that throws on a static import of the entry module stops the program with its error, exit 1', async () => {
  const dir = project({
    'loader.mjs': "export function resolver(s) { if (s === './blocked.mjs') throw new Error('blocked by policy'); }",
    'blocked.mjs': "console.log('must not run');",
    'main.mjs': "import './blocked.mjs'; console.log('must not run either');",
  });
  const r = await runCorojs(join(dir, 'main.mjs'), { runtimeArgs: [`--loader=${join(dir, 'loader.mjs')}`] });
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /Error \[ERR_RESOLVER_FAILED\]: The resolver failed on '\.\/blocked\.mjs' .*: blocked by policy/,
  );
  assert.equal(r.stdout, '');
  const missing = project({ 'loader.mjs': 'export const other = 1;', 'main.mjs': '' });
  const m = await runCorojs(join(missing, 'main.mjs'), { runtimeArgs: [`--loader=${join(missing, 'loader.mjs')}`] });
  assert.equal(m.code, 1);
  assert.match(m.stderr, /ERR_INVALID_LOADER.*must export a function named 'resolver'/);
});
