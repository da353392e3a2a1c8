// net: a CoroJS echo server against Node's net clients, a CoroJS client against a Node server, integrity,
// 2,000 simultaneous connections, hostile peers and error codes.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { once } from 'node:events';
import { startServer, exchange, ask } from './corojs-server.mjs';
import { runSource } from './run-corojs.mjs';

const echoSource = readFileSync(new URL('./fixtures/echo-server.mjs', import.meta.url), 'utf8');
const handleCount = async (port) => JSON.parse(await ask(port, '?handles'));

test('echo over IPv4 and IPv6 loopback, with Node as the client', async () => {
  for (const host of ['127.0.0.1', '::1']) {
    const server = await startServer(echoSource, { args: [host] });
    try {
      assert.equal(server.info.family, host === '::1' ? 'IPv6' : 'IPv4');
      const reply = await exchange(server.info.port, ['hello ', 'fibers'], 12, { host });
      assert.equal(reply.toString(), 'hello fibers');
    } finally {
      await server.stop();
    }
  }
});

test('50 concurrent connections echo multi-byte UTF-8 split at odd boundaries, and a 1 MiB message', async () => {
  const server = await startServer(echoSource);
  try {
    const text = 'añb€c😀d中e'.repeat(40);
    const bytes = Buffer.from(text, 'utf8');
    const runs = Array.from({ length: 50 }, (_, i) => {
      const pieces = [];
      for (let at = 0, step = 1 + (i % 7); at < bytes.length; at += step) pieces.push(bytes.subarray(at, at + step));
      return exchange(server.info.port, pieces, bytes.length, { gapMs: i % 3 === 0 ? 1 : 0 });
    });
    for (const reply of await Promise.all(runs)) assert.ok(reply.equals(bytes), 'echoed bytes differ');
    const big = Buffer.from('ü'.repeat(512 * 1024), 'utf8'); // 1 MiB of 2-byte characters
    const reply = await exchange(server.info.port, [big], big.length, { timeoutMs: 30000 });
    assert.ok(reply.equals(big), '1 MiB message corrupted');
    const counts = await handleCount(server.info.port);
    assert.equal(counts['tcp socket'], 1, JSON.stringify(counts)); // only the ?handles connection itself
  } finally {
    await server.stop();
  }
});

test('2,000 simultaneous connections are all held open and served', { timeout: 120000 }, async () => {
  const server = await startServer(echoSource, { shell: 'ulimit -n 8192' });
  const sockets = [];
  try {
    for (let i = 0; i < 2000; i++) {
      const s = net.connect(server.info.port, '127.0.0.1');
      s.on('error', () => {});
      sockets.push(s);
      if (i % 200 === 199) await Promise.all(sockets.slice(-200).map((x) => once(x, 'connect')));
    }
    await Promise.all(sockets.map((s) => (s.connecting ? once(s, 'connect') : null)));
    const counts = await handleCount(server.info.port);
    assert.equal(counts['tcp socket'], 2001, JSON.stringify(counts));
    const replies = await Promise.all(
      sockets.map(
        (s, i) =>
          new Promise((resolve) => {
            s.once('data', (d) => resolve(d.toString()));
            s.write(`#${i}`);
          }),
      ),
    );
    replies.forEach((r, i) => assert.equal(r, `#${i}`));
  } finally {
    for (const s of sockets) s.destroy();
    await server.stop();
  }
});

test('hostile peers: reset mid-read and half-close; the server goes on and leaks no handle', async () => {
  const server = await startServer(echoSource);
  try {
    const { port } = server.info;
    for (let i = 0; i < 5; i++) {
      // reset while the server is blocked reading
      const s = net.connect(port, '127.0.0.1');
      await once(s, 'connect');
      s.write('partial');
      await new Promise((r) => setTimeout(r, 5));
      s.resetAndDestroy();
    }
    // Half-close: the client sends and ends its side; the echo must still arrive before the server closes.
    const halfClosed = await new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.end('after FIN');
      });
      let data = '';
      s.on('data', (d) => {
        data += d;
      });
      s.on('end', () => resolve(data));
      s.on('error', reject);
    });
    assert.equal(halfClosed, 'after FIN');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await exchange(port, ['still here'], 10)).toString(), 'still here');
    const counts = await handleCount(port);
    assert.equal(counts.total, 2, JSON.stringify(counts)); // the server and the ?handles connection
  } finally {
    await server.stop();
  }
});

test('a CoroJS client against a Node server: connect, write, readBytes, end (half-close), EOF', async () => {
  const node = net.createServer((s) => {
    let got = '';
    s.on('data', (d) => {
      got += d;
    });
    s.on('end', () => s.end(`got:${got}`));
  });
  node.listen(0, '127.0.0.1');
  await once(node, 'listening');
  try {
    const r = await runSource(`
      const c = net.connect(${node.address().port});
      c.write('abc'); c.write(new Uint8Array([100, 101]));
      c.end();
      let all = '';
      for (let b; (b = c.readBytes()) !== null;) all += new TextDecoder().decode(b);
      console.log(all, c.read());
      c.close();`);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'got:abcde null');
  } finally {
    node.close();
  }
});

test('error codes: ECONNREFUSED, EADDRINUSE, ECONNRESET or EPIPE, ENOTFOUND, bad port', async () => {
  const node = net.createServer((s) => s.resetAndDestroy());
  node.listen(0, '127.0.0.1');
  await once(node, 'listening');
  const taken = node.address().port;
  try {
    const r = await runSource(`
      const attempt = (fn) => { try { fn(); return 'no error'; } catch (e) { return e.code; } };
      console.log(attempt(() => net.connect(1)));
      console.log(attempt(() => net.createServer(() => {}).listen(${taken}, '127.0.0.1')));
      // The peer resets at once, so the reset may already meet the connect itself.
      console.log(attempt(() => {
        const c = net.connect(${taken});
        Fiber.sleep(50);
        for (let i = 0; i < 100; i++) { c.write('x'.repeat(65536)); }
        c.read();
      }));
      console.log(attempt(() => net.connect(80, 'no-such-host.invalid')));
      console.log(attempt(() => net.connect(70000)));`);
    assert.equal(r.code, 0, r.stderr);
    const [refused, inUse, reset, notFound, badPort] = r.stdout.trim().split('\n');
    assert.equal(refused, 'ECONNREFUSED');
    assert.equal(inUse, 'EADDRINUSE');
    assert.match(reset, /^(ECONNRESET|EPIPE)$/);
    assert.equal(notFound, 'ENOTFOUND');
    assert.equal(badPort, 'ERR_SOCKET_BAD_PORT');
  } finally {
    node.close();
  }
});

test('a handler that throws closes only its connection, logs the stack, and the server goes on', async () => {
  const server = await startServer(`
    const server = net.createServer((s) => {
      const line = s.read();
      if (line.startsWith('boom')) throw new Error('handler exploded');
      s.write('ok:' + line);
    });
    Fiber.run(() => server.listen(0, '127.0.0.1'));
    console.log(JSON.stringify(server.address()));`);
  try {
    const closed = await new Promise((resolve) => {
      const s = net.connect(server.info.port, '127.0.0.1', () => s.write('boom'));
      s.on('close', () => resolve(true));
      s.on('error', () => {});
    });
    assert.ok(closed);
    assert.equal((await exchange(server.info.port, ['fine'], 7)).toString(), 'ok:fine');
    assert.match(server.output().stderr, /Error: handler exploded\n\s+at /);
  } finally {
    await server.stop();
  }
});

test('a fiber blocked reading a socket that another fiber closes wakes with EBADF', async () => {
  const node = net.createServer(() => {});
  node.listen(0, '127.0.0.1');
  await once(node, 'listening');
  try {
    const r = await runSource(`
      const c = net.connect(${node.address().port});
      let result = 'pending';
      Fiber.run(() => { try { c.read(); result = 'returned'; } catch (e) { result = e.code; } });
      c.close();
      Fiber.sleep(20);
      console.log(result, __primordials.handles.count().total);`);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'EBADF 0');
  } finally {
    node.close();
  }
});

test('a slow reader applies back-pressure: the writer blocks instead of buffering without bound', async () => {
  const r = await runSource(`
    let written = 0;
    const server = net.createServer((s) => {
      const chunk = 'x'.repeat(65536);
      try { for (;;) { s.write(chunk); written += chunk.length; } } catch { /* peer closed */ }
    });
    Fiber.run(() => server.listen(0, '127.0.0.1'));
    const c = net.connect(server.address().port);
    Fiber.sleep(300);  // the client reads nothing meanwhile
    const stalled = written;
    c.close();
    server.close();
    console.log(stalled > 0 && stalled < 64 * 1024 * 1024);`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'true');
});
