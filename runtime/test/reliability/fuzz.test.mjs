// Hostile scripts: fixtures/fuzz-primordials.mjs calls every primordial with random arguments (at least
// 100,000 calls; FUZZ_CALLS and FUZZ_SEED override). Every call must return or throw an Error, and the
// runtime must end normally: no crash, and under the sanitizer build (scripts/test-asan.sh) no report.
// A failure prints its seed; rerun with FUZZ_SEED=<seed> to reproduce it.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selfSignedCert } from '../../../build/ts/harness/src/process/self-signed-cert.js';
import { runCorojs } from '../behaviour/run-corojs.mjs';

const FIXTURE = resolve(dirname(fileURLToPath(import.meta.url)), 'fixtures/fuzz-primordials.mjs');
const CALLS = Number(process.env.FUZZ_CALLS ?? 100000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);

test(
  `${CALLS} random primordial calls (seed ${SEED}) each return or throw, and the runtime lives`,
  { timeout: 900000 },
  async () => {
    const sandbox = mkdtempSync(join(tmpdir(), 'corojs-fuzz-'));
    selfSignedCert(sandbox, 'a.test');
    const r = await runCorojs(FIXTURE, {
      args: [String(SEED), String(CALLS), 'a.test.crt', 'a.test.key'],
      cwd: sandbox,
      timeoutMs: 880000,
    });
    assert.equal(r.signal, null, `killed by ${r.signal} (seed ${SEED}): ${r.stderr.slice(-4000)}`);
    assert.equal(r.code, 0, `exit ${r.code} (seed ${SEED}): ${r.stderr.slice(-4000)}`);
    assert.doesNotMatch(r.stderr, /AddressSanitizer|runtime error:|Fatal error|Check failed/, r.stderr.slice(-4000));
    const tally = JSON.parse(r.stdout.trim().split('\n').pop());
    assert.ok(tally.calls >= CALLS, `only ${tally.calls} calls`);
    assert.equal(
      tally.returned + tally.threw + tally.blocked,
      tally.calls,
      'every call returned, threw or is still blocked',
    );
    assert.equal(tally.nonErrors, 0, 'everything thrown is an Error');
    assert.ok(tally.resolverCalls > 0, 'the TLS certificateResolver ran (and re-entered primordials)');
    assert.deepEqual(tally.notFuzzed, [], 'the fuzzer knows every primordial');
    assert.deepEqual(tally.notCalled, [], 'every primordial was called');
    for (const code of ['ERR_INVALID_ARG_TYPE', 'EBADF', 'ENOENT']) assert.ok(tally.codes[code] > 0, `some ${code}`);
  },
);
