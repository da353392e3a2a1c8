// WebAssembly modules imported like ES modules (the wasm/ESM integration proposal's shape), and wasm calling
// JS imports that block: stackful fibers suspend the wasm frames with the fiber, no JSPI or Asyncify needed.
import test from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runCorojs, writeScript } from './run-corojs.mjs';

// A minimal wasm binary encoder: enough for functions over i32 (sizes are small, so one-byte LEB128 fits).
const str = (s) => [s.length, ...Buffer.from(s)];
const section = (id, bytes) => [id, bytes.length, ...bytes];
const vec = (items) => [items.length, ...items.flat()];
const I32 = 0x7f;

// (module
//   (import "./host.mjs" "block" (func $block (param i32) (result i32)))
//   (func (export "work") (param i32) (result i32) (i32.add (call $block (local.get 0)) (i32.const 1)))
//   (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
const mathWasm = Buffer.from([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00,
  ...section(
    1,
    vec([
      [0x60, 1, I32, 1, I32],
      [0x60, 2, I32, I32, 1, I32],
    ]),
  ),
  ...section(2, vec([[...str('./host.mjs'), ...str('block'), 0x00, 0]])),
  ...section(3, vec([[0], [1]])),
  ...section(
    7,
    vec([
      [...str('work'), 0x00, 1],
      [...str('add'), 0x00, 2],
    ]),
  ),
  ...section(
    10,
    vec([
      [9, 0, 0x20, 0, 0x10, 0, 0x41, 1, 0x6a, 0x0b],
      [7, 0, 0x20, 0, 0x20, 1, 0x6a, 0x0b],
    ]),
  ),
]);

function writeWasmProject(main) {
  const script = writeScript(main, {
    // The JS import the wasm calls: it blocks its fiber, then answers with twice its argument.
    'host.mjs': 'export function block(ms) { Fiber.sleep(ms); return ms * 2; }',
  });
  writeFileSync(join(dirname(script), 'math.wasm'), mathWasm);
  return script;
}

test('static and dynamic import of a .wasm module: its imports resolve relative to it, its exports are named', async () => {
  const r = await runCorojs(
    writeWasmProject(`
    import { add, work } from './math.wasm';
    const again = await import('./math.wasm');
    console.log(add(2, 3), typeof work, again.add === add, Object.keys(again).join());`),
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), '5 function true add,work');
});

test('a wasm export calling a blocking JS import from two fibers at once: each is resumed with its own result', async () => {
  const r = await runCorojs(
    writeWasmProject(`
    import { work } from './math.wasm';
    const results = [];
    const started = Date.now();
    Fiber.run(() => results.push(['slow', work(60)]));
    Fiber.run(() => results.push(['fast', work(20)]));
    while (results.length < 2) Fiber.sleep(5);
    console.log(JSON.stringify(results), Date.now() - started < 200);`),
  );
  assert.equal(r.code, 0, r.stderr);
  const [json, overlapped] = r.stdout.trim().split(' ');
  assert.deepEqual(JSON.parse(json), [
    ['fast', 41],
    ['slow', 121],
  ]);
  assert.equal(overlapped, 'true', 'the two calls slept at the same time');
});

test('invalid wasm bytes and a missing import are catchable errors, not crashes', async () => {
  const script = writeWasmProject(`
    const bad = await import('./bad.wasm').catch((e) => e);
    const unlinked = await import('./unlinked.wasm').catch((e) => e);
    console.log(bad.constructor.name, unlinked.constructor.name);`);
  writeFileSync(join(dirname(script), 'bad.wasm'), Buffer.from('not wasm at all'));
  // Imports "./host.mjs" "missing", which host.mjs does not export.
  const unlinked = Buffer.from(mathWasm);
  unlinked.set(Buffer.from('mssng'), unlinked.indexOf(Buffer.from('block')));
  writeFileSync(join(dirname(script), 'unlinked.wasm'), unlinked);
  const r = await runCorojs(script);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'CompileError LinkError');
});
