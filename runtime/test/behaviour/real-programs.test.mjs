// Programs that mix fibers with promises, timers and servers (issue 16): every example of the issue, run on
// the backend the suite runs on (scripts/test.sh runs it on each), behaves as written there or as Node 20.
import test from 'node:test';
import assert from 'node:assert/strict';
import { selfSignedCert } from '../../../build/ts/harness/src/process/self-signed-cert.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSource } from './run-corojs.mjs';

const ok = (r) => assert.equal(r.code, 0, `exit ${r.code} ${r.signal ?? ''}\n${r.stderr}`);
const lines = (r) => r.stdout.trim().split('\n');

test('timers fall due while a server listens: setTimeout(0) fires and closes it', async () => {
  const r = await runSource(
    `
    const server = net.createServer((s) => s.close());
    Fiber.run(() => server.listen(0, '127.0.0.1'));
    setTimeout(() => { console.log('fired'); server.close(); }, 0);`,
    { timeoutMs: 5000 },
  );
  ok(r);
  assert.equal(r.stdout, 'fired\n');
});

test('a sleeping fiber wakes after the main fiber was busy for 50 ms, then blocked on a server', async () => {
  const r = await runSource(
    `
    const t0 = Date.now();
    Fiber.run(() => { Fiber.sleep(10); console.log('woke', Date.now() - t0 >= 10); });
    while (Date.now() - t0 < 50) {}
    const server = net.createServer((s) => s.close());
    Fiber.run(() => server.listen(0, '127.0.0.1'));
    Fiber.sleep(20);
    server.close();
    console.log('end');`,
    { timeoutMs: 5000 },
  );
  ok(r);
  assert.deepEqual(lines(r), ['woke true', 'end']);
});

test('a big write to a peer that sleeps first completes (no deadlock)', async () => {
  const r = await runSource(
    `
    let received = 0;
    const server = net.createServer((s) => {
      Fiber.sleep(100);
      for (let b; (b = s.readBytes()) !== null;) received += b.length;
    });
    Fiber.run(() => server.listen(0, '127.0.0.1'));
    const c = net.connect(server.address().port);
    c.write(new Uint8Array(8 << 20));
    c.end();
    while (received < 8 << 20) Fiber.sleep(5);
    c.close();
    server.close();
    console.log(received);`,
    { timeoutMs: 10000 },
  );
  ok(r);
  assert.equal(r.stdout.trim(), String(8 << 20));
});

test('an async function that awaits, then sleeps, inside Fiber.run(async) finishes', async () => {
  const r = await runSource(
    `
    Fiber.run(async () => { await null; Fiber.sleep(10); await new Promise((ok) => setTimeout(ok, 5)); console.log('done'); });`,
    { timeoutMs: 5000 },
  );
  ok(r);
  assert.equal(r.stdout, 'done\n');
});

test('a .then callback that sleeps 200 ms does not delay another fiber’s 10 ms wake-up', async () => {
  const r = await runSource(
    `
    const t0 = Date.now();
    Fiber.run(() => { Fiber.sleep(10); console.log('short', Date.now() - t0 < 150); });
    Promise.resolve().then(() => { Fiber.sleep(200); console.log('long', Date.now() - t0 >= 200); });
    Promise.resolve().then(() => console.log('next job'));`,
    { timeoutMs: 5000 },
  );
  ok(r);
  assert.deepEqual(lines(r), ['next job', 'short true', 'long true']);
});

test('a loop of Fiber.yield() sees a promise reaction run', async () => {
  const r = await runSource(
    `
    let seen = false;
    Promise.resolve().then(() => { seen = true; });
    let spins = 0;
    while (!seen && spins < 1000) { Fiber.yield(); spins++; }
    console.log(seen, spins);`,
    { timeoutMs: 5000 },
  );
  ok(r);
  assert.equal(r.stdout, 'true 1\n');
});

test('jobs keep their order, and a blocked job does not reorder the ones behind it', async () => {
  const r = await runSource(
    `
    const order = [];
    Promise.resolve().then(() => { order.push(1); Fiber.sleep(20); order.push('1b'); console.log(order.join(' ')); });
    Promise.resolve().then(() => order.push(2)).then(() => order.push(4));
    Promise.resolve().then(() => order.push(3));`,
    { timeoutMs: 5000 },
  );
  ok(r);
  assert.equal(r.stdout, '1 2 3 4 1b\n');
});

test('Fiber.wait blocks only its fiber until the promise settles, and throws a rejection', async () => {
  const r = await runSource(
    `
    Fiber.run(() => console.log('value', Fiber.wait(new Promise((ok) => setTimeout(() => ok(42), 20)))));
    Fiber.run(() => { try { Fiber.wait(Promise.reject(new Error('no'))); } catch (e) { console.log('caught', e.message); } });
    console.log('main goes on', Fiber.wait(7));`,
    { timeoutMs: 5000 },
  );
  ok(r);
  assert.deepEqual(lines(r), ['caught no', 'main goes on 7', 'value 42']);
});

test('two fibers reading one socket: data goes to one, close() wakes the other with EBADF', async () => {
  const r = await runSource(
    `
    const server = net.createServer((s) => { s.write('hello'); Fiber.sleep(50); s.close(); });
    Fiber.run(() => server.listen(0, '127.0.0.1'));
    const c = net.connect(server.address().port);
    const results = [];
    const reader = (name) => () => { try { results.push(name + ':' + c.read()); } catch (e) { results.push(name + ':' + e.code); } };
    Fiber.run(reader('a'));
    Fiber.run(reader('b'));
    Fiber.sleep(20);
    c.close();
    server.close();
    Fiber.sleep(60);
    console.log(results.sort().join(' '), Fiber.stats().live);`,
    { timeoutMs: 5000 },
  );
  ok(r);
  assert.match(r.stdout.trim(), /^(a:EBADF b:hello|a:hello b:EBADF) 1$/);
});

test('join of one array in two fibers whose toString blocks: both see it whole; six out of order do not crash', async () => {
  const r = await runSource(
    `
    const shared = [{ toString() { Fiber.sleep(20); return 'slow'; } }, 'b'];
    Fiber.run(() => console.log('A', shared.join(',')));
    Fiber.run(() => console.log('B', shared.join(',')));
    const mk = (ms) => [{ toString() { Fiber.sleep(ms); return 'x' + ms; } }, 'y'];
    for (const ms of [10, 50, 60, 70, 80, 90]) { const a = mk(ms); Fiber.run(() => console.log(a.join('-'))); }
    const cyclic = [1, 2]; cyclic.push(cyclic);
    console.log(cyclic.join(), String([1, [2, [3]]]));`,
    { timeoutMs: 5000 },
  );
  ok(r);
  assert.deepEqual(
    lines(r).sort(),
    ['1,2, 1,2,3', 'A slow,b', 'B slow,b', 'x10-y', 'x50-y', 'x60-y', 'x70-y', 'x80-y', 'x90-y'].sort(),
  );
});

test('running out of fibers is a catchable EAGAIN, and fibers can be created again once others end', async () => {
  const r = await runSource(
    `
    let made = 0, code = null;
    try { for (;;) { Fiber.run(() => Fiber.sleep(200)); made++; } } catch (e) { code = e.code; }
    Fiber.sleep(300);
    let again = 0;
    for (let i = 0; i < 100; i++) Fiber.run(() => { again++; });
    console.log(made > 1000, code, again, Fiber.stats().live);`,
    {
      timeoutMs: 60000,
      // AddressSanitizer maps shadow memory of its own per thread: scripts/test-asan.sh sets a lower limit.
      runtimeArgs: process.env.COROJS_TEST_FIBER_LIMIT ? [`--fiber-limit=${process.env.COROJS_TEST_FIBER_LIMIT}`] : [],
    },
  );
  ok(r);
  assert.equal(r.stdout, 'true EAGAIN 100 1\n');
});

test('servers: close() while listen() resolves; a second listen() is ERR_SERVER_ALREADY_LISTEN', async () => {
  const r = await runSource(
    `
    const a = net.createServer(() => {});
    Fiber.run(() => { a.listen(0, 'localhost'); console.log('listen returned', a.address()); });
    a.close();
    const b = net.createServer(() => {});
    Fiber.run(() => b.listen(0, 'localhost'));
    try { b.listen(0, 'localhost'); } catch (e) { console.log(e.code); }
    Fiber.sleep(50);
    b.close();
    Fiber.sleep(10);
    console.log('handles', __primordials.handles.count().total);`,
    { timeoutMs: 5000 },
  );
  ok(r);
  assert.deepEqual(lines(r), ['ERR_SERVER_ALREADY_LISTEN', 'listen returned null', 'handles 0']);
});

test('any thrown value in a handler closes only that connection; an async handler keeps its socket', async () => {
  const r = await runSource(
    `
    let n = 0;
    const server = net.createServer(async (s) => {
      const kind = s.read().trim();
      if (kind === 'proxy') { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); throw proxy; }
      if (kind === 'stack') { const e = new Error('x'); Object.defineProperty(e, 'stack', { get() { throw 1; } }); throw e; }
      if (kind === 'symbol') throw Symbol('s');
      await new Promise((ok) => setTimeout(ok, 10));
      await null;
      s.write('async ok ' + (++n));
    });
    Fiber.run(() => server.listen(0, '127.0.0.1'));
    const ask = (what) => { const c = net.connect(server.address().port); c.write(what + '\\n'); const got = c.read(); c.close(); return got; };
    for (const kind of ['proxy', 'stack', 'symbol']) console.log(kind, ask(kind));
    console.log(ask('fine'));
    server.close();`,
    { timeoutMs: 5000 },
  );
  ok(r);
  assert.deepEqual(lines(r), ['proxy null', 'stack null', 'symbol null', 'async ok 1']);
  assert.equal((r.stderr.match(/connection handler failed/g) ?? []).length, 3, r.stderr);
});

test('V8 platform tasks run: await WebAssembly.instantiate settles', async () => {
  const r = await runSource(
    `
    const bytes = new Uint8Array([0,97,115,109,1,0,0,0,1,7,1,96,2,127,127,1,127,3,2,1,0,7,7,1,3,97,100,100,0,0,10,9,1,7,0,32,0,32,1,106,11]);
    const server = net.createServer(() => {});
    Fiber.run(() => server.listen(0, '127.0.0.1'));
    const { instance } = await WebAssembly.instantiate(bytes);
    console.log(instance.exports.add(2, 3));
    server.close();`,
    { timeoutMs: 5000 },
  );
  ok(r);
  assert.equal(r.stdout, '5\n');
});

test('a top-level await that never settles exits 13 with Node’s warning', async () => {
  const r = await runSource(`await null; console.log('before'); await new Promise(() => {});`, { timeoutMs: 5000 });
  assert.equal(r.code, 13);
  assert.equal(r.stdout, 'before\n');
  assert.match(r.stderr, /^Warning: Detected unsettled top-level await at file:\/\/.*main\.mjs/);
});

test('timers as Node: clearTimeout keeps nothing alive, out-of-range delays clamp to 1 ms with a warning', async () => {
  const r = await runSource(
    `
    const t0 = Date.now();
    clearTimeout(setTimeout(() => console.log('never'), 3000));
    const fired = [];
    setTimeout(() => fired.push('inf'), Infinity);
    setTimeout(() => fired.push('big'), 2 ** 31);
    setTimeout(() => fired.push('nan'), 'soon');
    const keep = setTimeout(() => fired.push('unref'), 5000); keep.unref();
    let n = 0; const iv = setInterval(() => { if (++n === 3) { clearInterval(iv); fired.push('iv3'); } }, 5);
    setTimeout(() => console.log(fired.join(' '), Date.now() - t0 < 1000), 50);`,
    { timeoutMs: 10000 },
  );
  ok(r);
  assert.equal(r.stdout, 'inf big nan iv3 true\n');
  assert.equal(
    (r.stderr.match(/TimeoutOverflowWarning: (Infinity|2147483648) does not fit into a 32-bit signed integer/g) ?? [])
      .length,
    2,
  );
});

// TLS: a certificate for a.test (a.test.key, a.test.crt), made with the openssl CLI.
const dir = mkdtempSync(join(tmpdir(), 'corojs-mix-'));
selfSignedCert(dir, 'a.test');
const tlsServer = `
  const dir = ${JSON.stringify(dir)};
  const server = tls.createServer({
    certificateResolver(name) { Fiber.sleep(20); return { key: fs.readFile(dir + '/a.test.key'), cert: fs.readFile(dir + '/a.test.crt') }; },
  }, (s) => { for (let d; (d = s.read()) !== null;) s.write(d); });
  Fiber.run(() => server.listen(0, '127.0.0.1'));
  const port = server.address().port;
  const ca = fs.readFile(dir + '/a.test.crt');`;

test('tls: a blocking certificateResolver under concurrent handshakes; ca as string, bytes or array', async () => {
  const r = await runSource(
    `${tlsServer}
    const results = [];
    const caForms = [ca, new TextEncoder().encode(ca), [ca], [new TextEncoder().encode(ca)]];
    for (let i = 0; i < 4; i++) {
      Fiber.run(() => {
        const c = tls.connect(port, '127.0.0.1', { servername: 'a.test', ca: caForms[i] });
        c.write('hi' + i); results.push(c.read()); c.close();
      });
    }
    while (results.length < 4) Fiber.sleep(5);
    server.close();
    console.log(results.sort().join(' '));`,
    { timeoutMs: 10000 },
  );
  ok(r);
  assert.equal(r.stdout, 'hi0 hi1 hi2 hi3\n');
});

test('tls: a servername or host with NUL, or not a DNS name, is ERR_INVALID_ARG_VALUE; names are checked whole', async () => {
  const r = await runSource(
    `${tlsServer}
    const attempt = (fn) => { try { fn().close(); return 'connected'; } catch (e) { return e.code; } };
    console.log(attempt(() => tls.connect(port, '127.0.0.1', { servername: 'a.test\\0.evil.example', ca })));
    console.log(attempt(() => tls.connect(port, 'a.test\\0x', { ca })));
    console.log(attempt(() => tls.connect(port, '127.0.0.1', { servername: 'a test', ca })));
    console.log(attempt(() => tls.connect(port, '127.0.0.1', { servername: 'b.test', ca })));
    console.log(attempt(() => tls.connect(port, '127.0.0.1', { servername: 'a.test', ca })));
    console.log(attempt(() => net.connect(port, 'local\\0host')));
    server.close();`,
    { timeoutMs: 10000 },
  );
  ok(r);
  assert.deepEqual(lines(r), [
    'ERR_INVALID_ARG_VALUE',
    'ERR_INVALID_ARG_VALUE',
    'ERR_INVALID_ARG_VALUE',
    'ERR_TLS_CERT_ALTNAME_INVALID',
    'connected',
    'ERR_INVALID_ARG_VALUE',
  ]);
});
