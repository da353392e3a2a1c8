// The native load generator (harness/native) against local servers in this process: good servers give valid
// points with the server's CPU read over the window; deliberately wrong ones (a flipped echo byte, the wrong
// certificate for a name, a truncated or malformed HTTP response) make the point invalid with that reason;
// a slow server in open loop shows as latency, not as generator lag.
import test from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { runLoadgen } from '../../build/ts/harness/src/loadgen/run-loadgen.js';
import { loadInvalidReason } from '../../build/ts/harness/src/loadgen/validity.js';
import { ensureTlsEchoCerts, TLS_NAMES } from '../../build/ts/harness/src/runners/tls-echo.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ADDON = join(ROOT, 'build/native/Release/corojs_lab.node');
const skip = existsSync(ADDON) ? false : `native addon not built (${ADDON}): npm run build`;
const certDir = ensureTlsEchoCerts({ workDir: mkdtempSync(join(tmpdir(), 'corojs-loadgen-')) });
const pem = (name, ext) => readFileSync(join(certDir, `${name}.${ext}`), 'utf8');
const CA = TLS_NAMES.map((n) => pem(n, 'crt')).join('');
const RESPONSE = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world';

async function listen(server) {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server.address().port;
}

// An echo handler that corrupts byte `at` of the stream once `after` bytes have gone through (-1: never).
function echoing(after = -1) {
  return (socket) => {
    let seen = 0;
    socket.on('data', (chunk) => {
      if (after >= 0 && seen <= after && seen + chunk.length > after) {
        chunk = Buffer.from(chunk);
        chunk[after - seen] ^= 0x40;
      }
      seen += chunk.length;
      socket.write(chunk);
    });
    socket.on('error', () => {});
  };
}

// An HTTP handler answering every request (a blank line ends it) with `reply(n)` for the n-th request.
function answering(reply) {
  return (socket) => {
    let pending = '';
    let n = 0;
    socket.on('data', (chunk) => {
      pending += chunk;
      let end;
      while ((end = pending.indexOf('\r\n\r\n')) !== -1) {
        pending = pending.slice(end + 4);
        const answer = reply(n++);
        if (answer !== null) socket.write(answer);
      }
    });
    socket.on('error', () => {});
  };
}

function tlsServer(handler, certFor = (name) => name) {
  const contexts = new Map(
    TLS_NAMES.map((name) => [
      name,
      tls.createSecureContext({ key: pem(certFor(name), 'key'), cert: pem(certFor(name), 'crt') }),
    ]),
  );
  const server = tls.createServer(
    {
      key: pem(TLS_NAMES[0], 'key'),
      cert: pem(TLS_NAMES[0], 'crt'),
      SNICallback: (name, done) => done(null, contexts.get(name)),
    },
    handler,
  );
  server.on('tlsClientError', () => {});
  return server;
}

async function load(server, options) {
  const port = await listen(server);
  try {
    const config = {
      kind: 'echo',
      host: '127.0.0.1',
      port,
      transport: 'tcp',
      mode: 'closed',
      pattern: 'steady',
      connections: 4,
      messageSize: 64,
      warmupS: 0.1,
      durationS: 0.4,
      drainS: 0.3,
      serverPid: process.pid,
      ...options,
    };
    if (config.transport === 'tls') config.tls = { ca: CA, servernames: TLS_NAMES };
    const result = await runLoadgen(config, undefined);
    const why = loadInvalidReason(
      {
        generator: 'native generator',
        completed: result.completed,
        errors: result.errors,
        mismatches: result.mismatches,
        firstError: result.firstError,
        generatorCpuPct: result.cpuPct,
        serverCpuPct: result.serverCpuPct,
        lagP99Us: result.lagP99Us,
      },
      config.mode,
    );
    return { result, why };
  } finally {
    server.close();
    server.unref();
  }
}

test(
  'good TCP and TLS echo servers: checked replies, server CPU over the window, native generator',
  { skip },
  async () => {
    for (const options of [
      {},
      { transport: 'tls' },
      { transport: 'tls', pattern: 'handshake' },
      { transport: 'tls', messageSize: 16384 },
    ]) {
      const server = options.transport === 'tls' ? tlsServer(echoing()) : net.createServer(echoing());
      const { result } = await load(server, options);
      assert.equal(result.generator, 'native');
      assert.equal(result.errors + result.mismatches, 0, `${JSON.stringify(options)}: ${result.firstError}`);
      assert.ok(result.completed > 0, JSON.stringify(options));
      assert.ok(
        result.serverCpuPct > 0 && result.serverCpuUsPerOp > 0,
        `server CPU read: ${result.serverCpuPct}% ${result.serverCpuUsPerOp} us/op`,
      );
    }
  },
);

test('a flipped echo byte makes the point invalid, over TCP and TLS', { skip }, async () => {
  const tcp = await load(net.createServer(echoing(64 * 5 + 17)), {});
  assert.match(tcp.why ?? '', /wrong answer.*echo mismatch at byte 17 of message 5/);
  const secure = await load(tlsServer(echoing(64 * 3 + 40)), { transport: 'tls' });
  assert.match(secure.why ?? '', /wrong answer.*echo mismatch at byte 40 of message 3/);
});

test('the wrong certificate for a name makes the point invalid, steady and per-handshake', { skip }, async () => {
  const wrongForB = (name) => (name === 'b.lab.test' ? 'a.lab.test' : name);
  for (const pattern of ['steady', 'handshake']) {
    const { why } = await load(tlsServer(echoing(), wrongForB), { transport: 'tls', pattern });
    assert.match(why ?? '', /wrong certificate for b\.lab\.test: hostname mismatch/, pattern);
  }
  // A server whose certificate the run's CA does not know at all.
  const stranger = mkdtempSync(join(tmpdir(), 'corojs-loadgen-stranger-'));
  const other = ensureTlsEchoCerts({ workDir: stranger });
  const server = tls.createServer(
    { key: readFileSync(join(other, 'a.lab.test.key')), cert: readFileSync(join(other, 'a.lab.test.crt')) },
    echoing(),
  );
  server.on('tlsClientError', () => {});
  const { why } = await load(server, { transport: 'tls' });
  assert.match(why ?? '', /wrong certificate for a\.lab\.test: self-signed certificate/);
});

test(
  'HTTP: good responses are valid; truncated, malformed, wrong-body and wrong-status ones are not',
  { skip },
  async () => {
    const http = { kind: 'http', messageSize: 0 };
    const good = await load(net.createServer(answering(() => RESPONSE)), http);
    assert.equal(good.result.errors + good.result.mismatches, 0, good.result.firstError);
    assert.ok(good.result.completed > 0);
    const truncated = await load(
      net.createServer(answering((n) => (n === 7 ? RESPONSE.slice(0, -6) : RESPONSE))),
      http,
    );
    assert.match(truncated.why ?? '', /error.*unanswered .* after the window .*response body had 5 of 11 bytes/);
    const cut = net.createServer((socket) =>
      answering((n) => {
        if (n === 3) {
          socket.end(RESPONSE.slice(0, 20));
          return null;
        }
        return RESPONSE;
      })(socket),
    );
    assert.match(
      (await load(cut, http)).why ?? '',
      /connection closed by the server: response head incomplete after 20 bytes/,
    );
    const malformed = await load(
      net.createServer(answering((n) => (n === 2 ? RESPONSE.replace('HTTP/1.1 200 OK', 'HTPT/1.1 200 OK') : RESPONSE))),
      http,
    );
    assert.match(malformed.why ?? '', /wrong answer.*malformed response: status line "HTPT\/1\.1 200 OK"/);
    const noLength = await load(
      net.createServer(answering(() => 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nhello world')),
      http,
    );
    assert.match(noLength.why ?? '', /malformed response: no Content-Length/);
    const wrongBody = await load(net.createServer(answering(() => RESPONSE.replace('world', 'wOrld'))), http);
    assert.match(wrongBody.why ?? '', /wrong body: expected "hello world", got "hello wOrld"/);
    const notFound = await load(net.createServer(answering(() => RESPONSE.replace('200 OK', '404 Not Found'))), http);
    assert.match(notFound.why ?? '', /status "404 Not Found" instead of 200/);
  },
);

test('open loop: a slow server shows as corrected latency, not as generator lag', { skip }, async () => {
  // Every third reply on a connection is held 60 ms. 2 connections at 40/s: each would be due again every
  // 50 ms on a fixed per-connection schedule, so the old "sent - intended" lag would reach 10 ms; here a due
  // arrival takes whichever connection is free, waits only when both are held, and that wait is the server's
  // latency (from the intended time), not the generator's lag.
  // At 40/s for 1.5 s the p99 is the worst of ~60 sends, so one stall of this shared VM (the generator's
  // thread not scheduled for 5+ ms: seen in ~1 run in 6) decides it. The old schedule lags on every third
  // operation, every run; a stall does not repeat. So, like the lab's measureWithRetry, a run whose lag
  // misses is measured again, up to three runs, and every run must show the holds as latency.
  const { decodeHistogram } = await import('../../build/ts/harness/src/recorders/histogram.js');
  const lags = [];
  for (let run = 0; run < 3; run++) {
    const slow = net.createServer((socket) => {
      let n = 0;
      socket.on('data', (chunk) => setTimeout(() => socket.write(chunk), n++ % 3 === 2 ? 60 : 1));
      socket.on('error', () => {});
    });
    const { result } = await load(slow, { mode: 'open', ratePerS: 40, connections: 2, durationS: 1.5 });
    assert.equal(result.errors + result.mismatches, 0, result.firstError);
    assert.ok(
      decodeHistogram(result.histogram).getValueAtPercentile(99) >= 60e6,
      'corrected latency includes the 60 ms holds',
    );
    lags.push(result.lagP99Us);
    if (result.lagP99Us < 5000) return;
  }
  assert.fail(`generator lag p99 at or above 5000 us in every run: ${lags.join(', ')} us`);
});

test(
  "server CPU per operation is the server's CPU over the window divided by the operations answered",
  { skip },
  async () => {
    // Each reply costs the server 2 ms of CPU (spun on its own CPU clock, so preemption cannot shorten it).
    const costly = net.createServer((socket) => {
      socket.on('data', (chunk) => {
        const start = process.cpuUsage();
        for (;;) {
          const used = process.cpuUsage(start);
          if (used.user + used.system >= 2000) break;
        }
        socket.write(chunk);
      });
      socket.on('error', () => {});
    });
    const { result } = await load(costly, { mode: 'open', ratePerS: 100, durationS: 1 });
    assert.equal(result.errors + result.mismatches, 0, result.firstError);
    assert.ok(
      result.serverCpuUsPerOp >= 2000 && result.serverCpuUsPerOp < 3500,
      `${result.serverCpuUsPerOp} us per operation`,
    );
    assert.ok(result.serverCpuPct >= 20 && result.serverCpuPct < 35, `${result.serverCpuPct}% of a core at 100/s`);
  },
);

test(
  "the addon's raw switch rungs run: swapcontext, jump_fcontext and the pinned thread handoff each give ns per switch",
  { skip },
  async () => {
    const { loadNativeAddon } = await import('../../build/ts/harness/src/native-addon.js');
    const addon = loadNativeAddon();
    for (const [name, ns] of [
      ['raw-ucontext', addon.rawUcontextSwitchNs(1000)],
      ['raw-fcontext', addon.rawFcontextSwitchNs(1000)],
      ['thread-handoff', addon.threadHandoffSwitchNs(200, 0)],
    ]) {
      assert.ok(Number.isFinite(ns) && ns > 0, `${name}: ${ns}`);
    }
  },
);
