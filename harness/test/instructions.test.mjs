// The deterministic rung: instructions per fiber switch and per echo message counted with cachegrind. Parsing
// and the difference method are pure; the counts themselves run CoroJS under Valgrind on both fiber backends.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  echoRoundTrips,
  measureOp,
  parseInstructionTotal,
  perOp,
} from '../../build/ts/harness/src/runners/instructions.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const config = { root: ROOT, serverCpus: '0', loadCpus: '1', quick: true, workDir: tmpdir(), abRev: null };
const target = (backend) => ({
  runtime: 'corojs',
  label: `corojs-${backend}`,
  backend,
  flags: [`--fiber-backend=${backend}`],
});
const valgrind = spawnSync('valgrind', ['--version']).status === 0;

test('cachegrind totals are parsed; per-op counts are differences of a short and a long run', () => {
  assert.equal(parseInstructionTotal('==123== \n==123== I   refs:      130,244,182\n'), 130244182);
  assert.equal(parseInstructionTotal('no summary'), null);
  assert.equal(perOp({ total: 92_947_321, ops: 2000 }, { total: 130_244_182, ops: 6000 }), 9324);
  assert.equal(perOp({ total: 10, ops: 2000 }, { total: 9, ops: 6000 }), null);
  assert.equal(perOp({ total: 10, ops: 2000 }, { total: 90, ops: 2000 }), null);
});

test('echo round trips are sequential and checked byte for byte', async () => {
  let received = 0;
  const server = net.createServer((s) =>
    s.on('data', (d) => {
      received += d.length;
      s.write(d);
    }),
  );
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  await echoRoundTrips(server.address().port, 50);
  assert.equal(received, 50 * 64);
  const liar = net.createServer((s) => s.on('data', (d) => s.write(Buffer.alloc(d.length, 1))));
  await new Promise((r) => liar.listen(0, '127.0.0.1', r));
  await assert.rejects(echoRoundTrips(liar.address().port, 5), /wrong echo answer/);
  server.close();
  liar.close();
});

test(
  'instructions per switch (every backend) and per echo message are counted and repeat within 3 %',
  { timeout: 900000 },
  async (t) => {
    if (!valgrind) return t.skip('valgrind not installed');
    if (!existsSync(join(ROOT, 'build/corojs'))) return t.skip('build/corojs not built');
    for (const backend of ['fcontext', 'ucontext', 'thread']) {
      const first = await measureOp(config, target(backend), 'switch');
      const second = await measureOp(config, target(backend), 'switch');
      assert.ok(first > 200 && first < 200000, `${backend}: ${first} instructions per switch`);
      // V8's background compiler makes two runs differ slightly (0.1-2.2 % seen): below the gate's 3 % floor.
      assert.ok(Math.abs(second / first - 1) < 0.03, `${backend}: ${first} then ${second}`);
    }
    const echo = await measureOp(config, target('ucontext'), 'echo-64B');
    assert.ok(echo > 1000 && echo < 1000000, `${echo} instructions per echo message`);
  },
);
