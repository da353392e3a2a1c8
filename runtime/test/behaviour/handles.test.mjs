// The HandleStore boundary: bad ids, wrong kinds, closed handles, release on fiber death, and primordials
// that must throw (never crash) on bad input.
import test from 'node:test';
import assert from 'node:assert/strict';
import { runSource } from './run-corojs.mjs';

test('unknown and closed ids throw EBADF; a string id is a TypeError', async () => {
  const r = await runSource(`
    const p = __primordials.fs;
    const show = (fn) => { try { fn(); console.log('no error'); } catch (e) { console.log(e.name, e.code); } };
    show(() => p.read(123456789n, 10));
    const id = p.open('/dev/null', 'r');
    p.close(id);
    show(() => p.read(id, 10));
    show(() => p.close(id));
    show(() => p.read('1', 10));
    show(() => p.read(-1n, 10));`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    'Error EBADF\nError EBADF\nError EBADF\nTypeError ERR_INVALID_ARG_TYPE\nTypeError ERR_INVALID_ARG_TYPE\n',
  );
});

test('an id of the wrong kind is a TypeError', async () => {
  const r = await runSource(`
    const fileId = __primordials.fs.open('/dev/null', 'r');
    try { __primordials.net.read(fileId); } catch (e) { console.log(e.name, e.code); }`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'TypeError ERR_INVALID_HANDLE_TYPE');
});

test("a fiber's handles are released when it ends; the main fiber's live on", async () => {
  const r = await runSource(`
    const count = () => __primordials.handles.count().total;
    const base = count();
    let leaked, opened = false, release = false;
    Fiber.run(() => { leaked = fs.open('/dev/null'); fs.open('/dev/null'); opened = true; while (!release) Fiber.sleep(1); });
    while (!opened) Fiber.sleep(1);
    const during = count();
    release = true;
    Fiber.sleep(30);
    const after = count();
    let error;
    try { leaked.read(1); } catch (e) { error = e.code; }
    const mine = fs.open('/dev/null');
    Fiber.run(() => Fiber.sleep(1));
    Fiber.sleep(10);
    console.log(during - base, after - base, error, count() - base);
    mine.close();`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), '2 0 EBADF 1');
});

test('a file closed by another fiber while one reads it: the reader gets EBADF, nothing hangs', async () => {
  const r = await runSource(`
    const f = fs.open('/dev/zero');
    let result = 'pending';
    Fiber.run(() => { try { for (;;) f.read(1 << 20); } catch (e) { result = e.code; } });
    f.close();
    Fiber.sleep(50);
    console.log(result);`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'EBADF');
});

test('bad arguments to primordials throw TypeError/RangeError instead of crashing', async () => {
  const r = await runSource(`
    const p = __primordials;
    const calls = [
      () => p.fs.open('/tmp/a\\u0000b', 'r'), () => p.fs.open(), () => p.fs.open(42),
      () => p.fs.read(p.fs.open('/dev/null'), -1), () => p.fs.read(p.fs.open('/dev/null'), 'ten'),
      () => p.fs.write(p.fs.open('/dev/null', 'w'), {}), () => p.fiber.run(), () => p.fiber.run('not a function'),
      () => p.fiber.sleep(-5), () => p.fs.mkdir('/tmp', 'bad'), () => p.fs.readdir(null),
      () => p.console.write(7, 'x'), () => p.process.exit('x'), () => p.handles.transfer(999999n),
      () => p.encoding.decode(new Uint8Array(4), 3, 1), () => fs.open('/dev/null', 'q'), () => Fiber.run(5),
    ];
    for (const call of calls) {
      try { call(); console.log('returned'); } catch (e) { console.log(e.name, e.code); }
    }`);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 17);
  for (const line of lines) assert.match(line, /^(TypeError|RangeError|Error) [A-Z_]+$/);
});
