// Hostile peers while well-behaved clients are being served: a TLS server fed truncated, oversized and random
// ClientHellos; a resolver fed malformed and truncated answers by a fake DNS server on loopback; a TCP server
// whose clients reset, stall and half-close. The well-behaved side must be answered throughout, and nothing
// may leak. Random bytes come from a seeded generator (HOSTILE_SEED), so a failure reproduces.
import test from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { selfSignedCert } from '../../../build/ts/harness/src/process/self-signed-cert.js';
import { ask, startServer } from '../behaviour/corojs-server.mjs';
import { runSource } from '../behaviour/run-corojs.mjs';

const SEED = Number(process.env.HOSTILE_SEED ?? 7);
function randomBytes(seed) {
  let s = seed >>> 0 || 1;
  return (n) => {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) {
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      s >>>= 0;
      out[i] = s & 0xff;
    }
    return out;
  };
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Runs `good()` in a loop until `attack()` settles; resolves the number of good exchanges (all must succeed).
let phase = '';
async function serveWhileAttacked(good, attack) {
  let attacking = true;
  let served = 0;
  const goodLoop = (async () => {
    while (attacking) {
      try {
        await good(served);
      } catch (e) {
        e.message += ` (good exchange ${served}, during attack phase ${phase})`;
        throw e;
      }
      served++;
    }
  })();
  try {
    await attack();
  } finally {
    attacking = false;
  }
  await goodLoop;
  return served;
}

// Sends `bytes` on a raw connection, then closes (or stalls for `stallMs` first).
async function rawSend(port, bytes, { stallMs = 0, reset = false } = {}) {
  const s = net.connect(port, '127.0.0.1');
  s.on('error', () => {});
  await once(s, 'connect');
  s.write(bytes);
  if (stallMs) await sleep(stallMs);
  if (reset) s.resetAndDestroy();
  else s.destroy();
}

test(
  'TLS: truncated, oversized and random ClientHellos fail alone while good clients are served',
  { timeout: 120000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corojs-hostile-tls-'));
    selfSignedCert(dir, 'good.test');
    const server = await startServer(`
    const key = fs.readFile(${JSON.stringify(join(dir, 'good.test.key'))});
    const cert = fs.readFile(${JSON.stringify(join(dir, 'good.test.crt'))});
    const server = tls.createServer({ certificateResolver: () => ({ key, cert }) }, (socket) => {
      for (let data; (data = socket.read()) !== null;) {
        if (data === '?handles\\n') { socket.write(JSON.stringify(__primordials.handles.count()) + '\\n'); continue; }
        socket.write(data);
      }
    });
    Fiber.run(() => server.listen(0, '127.0.0.1'));
    console.log(JSON.stringify(server.address()));`);
    const { port } = server.info;
    const ca = readFileSync(join(dir, 'good.test.crt'));
    const exchange = (message) =>
      new Promise((resolve, reject) => {
        const socket = tls.connect({ port, host: '127.0.0.1', servername: 'good.test', ca }, () =>
          socket.write(message),
        );
        let data = '';
        socket.setEncoding('utf8');
        socket.setTimeout(10000, () => reject(new Error('good client timed out')));
        socket.on('data', (d) => {
          data += d;
          if (data.length >= message.length) socket.end();
        });
        socket.on('end', () => resolve(data));
        socket.on('error', reject);
      });
    try {
      // A real ClientHello, captured from Node's client, to cut and stretch.
      const capture = net.createServer((s) =>
        s.once('data', (d) => {
          capture.hello = d;
          s.destroy();
        }),
      );
      capture.listen(0, '127.0.0.1');
      await once(capture, 'listening');
      const probe = tls.connect({ port: capture.address().port, host: '127.0.0.1', servername: 'good.test' });
      await new Promise((resolve) => probe.on('error', () => {}).on('close', resolve));
      capture.close();
      const hello = capture.hello;
      const random = randomBytes(SEED);
      const served = await serveWhileAttacked(
        async (i) => assert.equal(await exchange(`good ${i}`), `good ${i}`),
        async () => {
          phase = 'truncated';
          for (let i = 0; i < 40; i++) {
            const cut = 1 + ((i * 37) % (hello.length - 1));
            await rawSend(port, hello.subarray(0, cut), { stallMs: i % 4 === 0 ? 50 : 0, reset: i % 3 === 0 }); // truncated
          }
          const oversized = Buffer.concat([
            Buffer.from([0x16, 0x03, 0x01, 0xff, 0xff]),
            hello.subarray(5),
            random(80000),
          ]);
          phase = 'oversized';
          for (let i = 0; i < 5; i++) await rawSend(port, oversized); // oversized
          phase = 'random';
          for (let i = 0; i < 60; i++) await rawSend(port, random(1 + ((i * 997) % 5000)), { reset: i % 2 === 0 }); // random
          phase = 'hello+noise';
          for (let i = 0; i < 20; i++) await rawSend(port, Buffer.concat([hello.subarray(0, 9), random(2000)])); // hello, then noise
        },
      );
      assert.ok(served >= 5, `good clients served during the attack: ${served}`);
      await sleep(200);
      const handles = JSON.parse(await exchange('?handles\n'));
      assert.equal(handles.total, 3, `after the attack: ${JSON.stringify(handles)}`); // listener, context, this connection
      assert.equal(server.proc.exitCode, null);
    } finally {
      await server.stop();
    }
  },
);

// A DNS answer for `query` built by hand: the same id and question, then `answers` raw resource records.
function dnsReply(query, { flags = 0x8180, answers = [], ancount = answers.length } = {}) {
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2);
  header.writeUInt16BE(flags, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(ancount, 6);
  return Buffer.concat([header, query.subarray(12), ...answers]);
}
function questionName(query) {
  const labels = [];
  for (let at = 12; query[at] && at < query.length;) {
    labels.push(query.subarray(at + 1, at + 1 + query[at]).toString());
    at += query[at] + 1;
  }
  return labels.join('.');
}
const aRecord = (ip, rdlength = 4) =>
  Buffer.concat([
    Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60]),
    Buffer.from([rdlength >> 8, rdlength & 0xff]),
    Buffer.from(ip.split('.').map(Number)),
  ]);

test(
  'DNS: malformed and truncated answers are errors with codes; good answers still resolve',
  { timeout: 120000 },
  async () => {
    const random = randomBytes(SEED + 1);
    const fake = dgram.createSocket('udp4');
    fake.on('message', (query, peer) => {
      const name = questionName(query);
      const answer = {
        'good.test': () => dnsReply(query, { answers: [aRecord('10.1.2.3')] }),
        'short.test': () => dnsReply(query, { answers: [aRecord('10.1.2.3')] }).subarray(0, 7), // cut in the header
        'cut.test': () => {
          const r = dnsReply(query, { answers: [aRecord('10.1.2.3')] });
          return r.subarray(0, r.length - 3);
        },
        'badlen.test': () => dnsReply(query, { answers: [aRecord('10.1.2.3', 900)] }), // rdlength past the end
        'count.test': () => dnsReply(query, { answers: [aRecord('10.1.2.3')], ancount: 40 }), // more records claimed
        'loop.test': () =>
          dnsReply(query, {
            answers: [
              Buffer.from([0xc0, 0x0c + 0, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4]).fill(0xc0, 0, 1),
              Buffer.from([0xc0, 0x30]),
            ],
          }),
        'noise.test': () => Buffer.concat([query.subarray(0, 2), random(300)]), // right id, random body
        'servfail.test': () => dnsReply(query, { flags: 0x8182 }),
        'wrongid.test': () => {
          const r = dnsReply(query, { answers: [aRecord('10.9.9.9')] });
          r[0] ^= 0xff;
          return r;
        },
      }[name];
      if (answer) fake.send(answer(), peer.port, peer.address);
    });
    fake.bind(0, '127.0.0.1');
    await once(fake, 'listening');
    try {
      const r = await runSource(
        `
      dns.setServers(['127.0.0.1:${fake.address().port}']);
      dns.configure({ timeout: 300, tries: 1 });
      const names = ['short', 'cut', 'badlen', 'count', 'loop', 'noise', 'servfail', 'wrongid'];
      const results = {};
      let done = 0;
      for (let round = 0; round < 5; round++) {
        for (const name of names) {
          Fiber.run(() => {
            try { results[name] = JSON.stringify(dns.resolve(name + '.test', 'A')); }
            catch (e) { results[name] = e.code; }
            try { if (dns.resolve('good.test', 'A').A[0] !== '10.1.2.3') results.good = 'wrong'; } catch (e) { results.good = e.code; }
            done++;
          });
        }
      }
      while (done < names.length * 5) Fiber.sleep(10);
      console.log(JSON.stringify({ results, good: results.good ?? 'ok', final: dns.resolve('good.test').A }));`,
        { timeoutMs: 60000 },
      );
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.good, 'ok', JSON.stringify(out.results));
      assert.deepEqual(out.final, ['10.1.2.3']);
      for (const [name, result] of Object.entries(out.results)) {
        assert.match(
          result,
          /^E[A-Z]+$/,
          `${name}.test answered ${result}: a malformed answer must be an error with a code`,
        );
      }
      assert.match(out.results.servfail, /^(ESERVFAIL|ECONNREFUSED)$/); // c-ares reports a server failure from the only server as ECONNREFUSED, as Node does
      assert.equal(out.results.wrongid, 'ETIMEOUT');
    } finally {
      fake.close();
    }
  },
);

test(
  'TCP: clients that reset, stall and half-close do not disturb the others; nothing leaks',
  { timeout: 120000 },
  async () => {
    const server = await startServer(
      readFileSync(new URL('../behaviour/fixtures/echo-server.mjs', import.meta.url), 'utf8'),
    );
    const { port } = server.info;
    const echo = (message) =>
      new Promise((resolve, reject) => {
        const s = net.connect(port, '127.0.0.1', () => s.write(message));
        let data = '';
        s.setEncoding('utf8');
        s.setTimeout(10000, () => reject(new Error('good client timed out')));
        s.on('data', (d) => {
          data += d;
          if (data.length >= message.length) s.end();
        });
        s.on('close', () => resolve(data));
        s.on('error', reject);
      });
    try {
      const before = JSON.parse(await ask(port, '?handles'));
      const stalled = [];
      const served = await serveWhileAttacked(
        async (i) => assert.equal(await echo(`fine ${i} é`), `fine ${i} é`),
        async () => {
          for (let i = 0; i < 30; i++) {
            await rawSend(port, Buffer.alloc(1000 + i, 'r'), { reset: true }); // reset mid-stream
            const s = net.connect(port, '127.0.0.1'); // half-close: echo, then EOF
            s.on('error', () => {});
            await once(s, 'connect');
            s.end('half ' + i);
            const got = [];
            s.on('data', (d) => got.push(d));
            await once(s, 'close');
            assert.equal(Buffer.concat(got).toString(), 'half ' + i);
          }
          for (let i = 0; i < 10; i++) {
            // stall: write 4 MiB, never read
            const s = net.connect(port, '127.0.0.1');
            s.on('error', () => {});
            await once(s, 'connect');
            s.pause();
            s.write(Buffer.alloc(4 << 20, 's'));
            stalled.push(s);
          }
          await sleep(500);
        },
      );
      assert.ok(served >= 5, `good clients served during the attack: ${served}`);
      for (const s of stalled) s.resetAndDestroy();
      await sleep(300);
      const after = JSON.parse(await ask(port, '?handles'));
      assert.deepEqual(after, before, 'handles back to where they started');
      assert.equal(server.proc.exitCode, null);
    } finally {
      await server.stop();
    }
  },
);
