// Fibers: run-at-once, sleep blocks only its fiber, yield, stack overflow as RangeError, stats, 500
// interleaved fibers (also under --stress-scavenge), stack size flag, exceptions across switches, exit with
// fibers suspended. scripts/test.sh runs this file once per fiber backend (COROJS_FIBER_BACKEND).
import test from 'node:test';
import assert from 'node:assert/strict';
import { BACKEND, runSource } from './run-corojs.mjs';

test(`the ${BACKEND} fiber backend is the one running`, async () => {
  const r = await runSource('console.log(Fiber.stats().backend);');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), BACKEND, r.stderr);
  assert.equal(r.stderr, '', 'no fallback notice: the backend was usable');
});

test('an unknown --fiber-backend is a usage error', async () => {
  const r = await runSource('console.log(1);', { runtimeArgs: ['--fiber-backend=green'] });
  assert.equal(r.code, 9);
  assert.match(r.stderr, /--fiber-backend must be 'fcontext', 'ucontext' or 'thread'/);
});

test('exceptions thrown and caught across switches keep their own try/catch and stack', async () => {
  const r = await runSource(`
    const seen = [];
    function thrower(tag) { Fiber.yield(); throw new Error(tag); }
    for (let i = 0; i < 50; i++) {
      Fiber.run(() => {
        try {
          try { thrower('inner' + i); } finally { Fiber.yield(); }
        } catch (e) {
          Fiber.yield();
          if (e.message === 'inner' + i && /thrower/.test(e.stack)) seen.push(i);
        }
      });
    }
    while (seen.length < 50) Fiber.yield();
    console.log(seen.length, new Set(seen).size);`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), '50 50');
});

test('stack overflow in 200 fibers at once: each gets a RangeError, the process lives', async () => {
  const r = await runSource(
    `
    function down(n) { return down(n + 1) + 1; }
    let caught = 0, ended = 0;
    for (let i = 0; i < 200; i++) {
      Fiber.run(() => {
        Fiber.yield();
        try { down(0); } catch (e) { if (e instanceof RangeError) caught++; }
        Fiber.yield();
        ended++;
      });
    }
    while (ended < 200) Fiber.sleep(5);
    console.log(caught, Fiber.stats().live);`,
    { timeoutMs: 60000 },
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), '200 1');
});

test('process.exit with fibers suspended ends at once with the given status', async () => {
  const r = await runSource(
    `
    for (let i = 0; i < 20; i++) Fiber.run(() => Fiber.sleep(60000));
    Fiber.run(() => { Fiber.yield(); console.log('exiting'); process.exit(7); });
    Fiber.sleep(60000);`,
    { timeoutMs: 10000 },
  );
  assert.equal(r.code, 7, r.stderr);
  assert.equal(r.stdout.trim(), 'exiting');
});

test('promise jobs run when a fiber blocks, not only when it ends', async () => {
  const r = await runSource(`
    let resolved = false;
    Promise.resolve().then(() => { resolved = true; });
    Fiber.sleep(1);
    console.log(resolved);`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'true');
});

test('Fiber.run runs the function at once; the caller resumes when it first blocks', async () => {
  const r = await runSource(`
    const log = [];
    Fiber.run(() => { log.push('child start'); Fiber.sleep(10); log.push('child end'); });
    log.push('after run');
    Fiber.sleep(30);
    console.log(log.join(', '));`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'child start, after run, child end');
});

test('Fiber.sleep blocks only the calling fiber', async () => {
  const r = await runSource(`
    const t0 = performance.now();
    const done = [];
    for (const ms of [60, 20, 40]) Fiber.run(() => { Fiber.sleep(ms); done.push(ms); });
    Fiber.sleep(100);
    const elapsed = performance.now() - t0;
    console.log(done.join(','), elapsed >= 100 && elapsed < 1000);`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), '20,40,60 true');
});

test('Fiber.yield alternates runnable fibers', async () => {
  const r = await runSource(`
    const log = [];
    Fiber.run(() => { for (let i = 0; i < 3; i++) { log.push('a' + i); Fiber.yield(); } });
    Fiber.run(() => { for (let i = 0; i < 3; i++) { log.push('b' + i); Fiber.yield(); } });
    Fiber.sleep(10);
    console.log(log.join(' '));`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'a0 b0 a1 b1 a2 b2');
});

test('unbounded recursion in fibers is a catchable RangeError and the runtime goes on', async () => {
  const r = await runSource(`
    function down(n) { return down(n + 1) + 1; }
    let caught = 0;
    for (let i = 0; i < 20; i++) {
      Fiber.run(() => {
        Fiber.sleep(1);
        try { down(0); } catch (e) { if (e instanceof RangeError) caught++; }
      });
    }
    try { down(0); } catch (e) { if (e instanceof RangeError) caught++; }
    Fiber.sleep(100);
    console.log('caught', caught);`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'caught 21');
});

test('Fiber.stats reports live and created fibers, switches and stack bytes', async () => {
  const r = await runSource(`
    const before = Fiber.stats();
    for (let i = 0; i < 10; i++) Fiber.run(() => Fiber.sleep(50));
    const during = Fiber.stats();
    Fiber.sleep(100);
    const after = Fiber.stats();
    console.log(JSON.stringify({ before, during, after }));`);
  assert.equal(r.code, 0, r.stderr);
  const { before, during, after } = JSON.parse(r.stdout);
  assert.equal(before.live, 1);
  assert.equal(during.live, 11);
  assert.equal(during.created, 10);
  assert.equal(after.live, 1);
  assert.ok(during.switches >= 20);
  assert.equal(during.stack_size, 1 << 20);
  assert.equal(during.stack_reserved_bytes, 10 * (1 << 20));
  assert.ok(during.stack_resident_bytes > 0 && during.stack_resident_bytes < during.stack_reserved_bytes);
  assert.equal(after.pooled, 10);
  // The process's C heap and V8 heap in use, for the fiber-memory breakdown: ten parked fibers hold more C heap
  // (AddressSanitizer's allocator is not glibc's, whose figures mallinfo2 reports).
  if (!process.env.ASAN_OPTIONS)
    assert.ok(
      during.malloc_in_use_bytes > before.malloc_in_use_bytes,
      JSON.stringify([before.malloc_in_use_bytes, during.malloc_in_use_bytes]),
    );
  assert.ok(during.malloc_in_use_bytes >= 0 && during.v8_heap_used_bytes > 0);
  // Each parked fiber holds a V8 handle-scope block (off under AddressSanitizer): on a thread fiber it comes from
  // the blocks' own mapping; a same-thread fiber's is on its stack's top page (fiber/handle_slot.h), so the
  // mapping does not grow and stack and block together stay under two pages a fiber.
  const blocks = JSON.stringify([
    before.handle_blocks_resident_bytes,
    during.handle_blocks_resident_bytes,
    during.stack_resident_bytes,
  ]);
  if (!process.env.ASAN_OPTIONS && during.backend === 'thread')
    assert.ok(during.handle_blocks_resident_bytes > before.handle_blocks_resident_bytes, blocks);
  if (!process.env.ASAN_OPTIONS && during.backend !== 'thread') {
    assert.equal(during.handle_blocks_resident_bytes, before.handle_blocks_resident_bytes, blocks);
    assert.ok(during.stack_resident_bytes - before.stack_resident_bytes < 10 * 8192, blocks);
  }
});

const interleaved = `
  const N = 500;
  let finished = 0, caught = 0;
  for (let i = 0; i < N; i++) {
    Fiber.run(() => {
      for (let round = 0; round < 4; round++) {
        const garbage = Array.from({ length: 200 }, (_, k) => ({ k, s: 'x'.repeat(k % 17), i }));
        try { if ((i + round) % 3 === 0) throw new Error('e' + i); } catch (e) { if (e.message === 'e' + i) caught++; }
        if (round % 2) Fiber.sleep(i % 5); else Fiber.yield();
        if (garbage[199].i !== i) throw new Error('corrupted local state in fiber ' + i);
      }
      finished++;
    });
  }
  Fiber.sleep(50);
  while (finished < N) Fiber.sleep(10);
  console.log('finished', finished, 'caught', caught);`;

test('500 interleaved fibers allocate, throw and sleep', async () => {
  const r = await runSource(interleaved, { timeoutMs: 60000 });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^finished 500 caught \d+/);
});

test('500 interleaved fibers under --stress-scavenge=20', async () => {
  const r = await runSource(interleaved, { runtimeArgs: ['--v8-flags=--stress-scavenge=20'], timeoutMs: 120000 });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^finished 500 caught \d+/);
});

test('--fiber-stack-size changes the stack every fiber gets', async () => {
  const probe = `
    function depth(n) { try { return depth(n + 1); } catch { return n; } }
    let d = 0;
    Fiber.run(() => { d = depth(0); });
    console.log(Fiber.stats().stack_size, d);`;
  const small = await runSource(probe, { runtimeArgs: ['--fiber-stack-size=262144'] });
  const big = await runSource(probe, { runtimeArgs: ['--fiber-stack-size=4M'] });
  assert.equal(small.code, 0, small.stderr);
  assert.equal(big.code, 0, big.stderr);
  const [smallSize, smallDepth] = small.stdout.trim().split(' ').map(Number);
  const [bigSize, bigDepth] = big.stdout.trim().split(' ').map(Number);
  assert.equal(smallSize, 262144);
  assert.equal(bigSize, 4 << 20);
  assert.ok(bigDepth > smallDepth * 4, `${smallDepth} vs ${bigDepth}`);
});

test('setTimeout/setInterval/clearTimeout run on fibers', async () => {
  const r = await runSource(`
    const log = [];
    setTimeout((x) => log.push('timeout ' + x), 20, 'arg');
    const cancelled = setTimeout(() => log.push('never'), 10);
    clearTimeout(cancelled);
    let ticks = 0;
    const iv = setInterval(() => { if (++ticks === 3) clearInterval(iv); }, 5);
    Fiber.sleep(80);
    console.log(log.join(), ticks);`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'timeout arg 3');
});
