// console.log/error formatting, compared with what Node prints for the same values.
import test from 'node:test';
import assert from 'node:assert/strict';
import { format, inspect } from 'node:util';
import { runSource } from './run-corojs.mjs';

const cases = [
  "'plain string'",
  '42',
  '-0',
  '1.5e300',
  '12345678901234567890n',
  '[1, 2, 3]',
  "['a', 'b']",
  '[]',
  '{}',
  "{ a: 1, b: 'two', c: [3, 4] }",
  '{ nested: { deep: { deeper: { deepest: 1 } } } }',
  "new Map([['k', 1], [2, { v: true }]])",
  'new Set([1, "x"])',
  'null',
  'undefined',
  'true',
  "[undefined, null, 'x']",
  '{ "needs-quotes": 1, ok: 2 }',
  'new Uint8Array([1, 2, 3])',
  '[[1, [2, [3, [4]]]]]',
  'function namedFn() {}',
  '() => 1',
  '{ long: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", longer: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" }',
  "Symbol('s')",
  '[1, , 3]',
];

test('values print as Node prints them', async () => {
  const r = await runSource(cases.map((c) => `console.log(${c});`).join('\n'));
  assert.equal(r.code, 0, r.stderr);
  const expected = cases.map((c) => format(eval(`(${c})`))).join('\n') + '\n';
  assert.equal(r.stdout, expected);
});

test('format strings: %s %d %i %f %j %o %%', async () => {
  const r = await runSource(`console.log('%s=%d %i %f %j 100%%', 'n', 42, 3.9, '2.5', { a: [1] }, 'rest', 7);`);
  assert.equal(r.stdout, format('%s=%d %i %f %j 100%%', 'n', 42, 3.9, '2.5', { a: [1] }, 'rest', 7) + '\n');
});

test('circular objects and class instances', async () => {
  const r = await runSource(`
    class Point { constructor() { this.x = 1; this.y = 2; } }
    const o = { name: 'o' }; o.self = o;
    console.log(new Point()); console.log(o);`);
  class Point {
    constructor() {
      this.x = 1;
      this.y = 2;
    }
  }
  const o = { name: 'o' };
  o.self = o;
  assert.equal(r.stdout, `${inspect(new Point())}\n${inspect(o)}\n`);
});

test('errors print with their stack, console.error goes to stderr', async () => {
  const r = await runSource(`
    function where() { return new Error('shown'); }
    console.error(where());
    console.log('out');`);
  assert.equal(r.stdout, 'out\n');
  assert.match(r.stderr, /^Error: shown\n\s+at where \(.*main\.mjs:2:31\)/);
});
