// Seeded whole programs mixing fibers, promise jobs, async functions, timers and sockets
// (fixtures/fuzz-programs.mjs): at least 10,000 programs on the suite's fiber backend (scripts/test.sh runs
// it on each), each task accounted for
// (ended, errored or cleared), every echoed byte checked, no crash, no hang. FUZZ_SEED and FUZZ_PROGRAMS
// override; a failure prints the seed that reproduces it.
import test from 'node:test';
import assert from 'node:assert/strict';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BACKEND, runCorojs } from '../behaviour/run-corojs.mjs';

const FIXTURE = resolve(dirname(fileURLToPath(import.meta.url)), 'fixtures/fuzz-programs.mjs');
const PROGRAMS = Number(process.env.FUZZ_PROGRAMS ?? 10000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const PER_PROCESS = 2000;

{
  const backend = BACKEND;
  test(
    `${PROGRAMS} seeded mixed programs on the ${backend} backend: every task accounted for`,
    { timeout: 600000 },
    async () => {
      let programs = 0;
      for (let batch = 0; programs < PROGRAMS; batch++) {
        const seed = SEED + batch;
        const count = Math.min(PER_PROCESS, PROGRAMS - programs);
        const r = await runCorojs(FIXTURE, { args: [String(seed), String(count)], timeoutMs: 240000 });
        const where = `(seed ${seed}, ${count} programs, ${backend})`;
        assert.equal(r.signal, null, `killed by ${r.signal}, a hang or a crash ${where}: ${r.stderr.slice(-3000)}`);
        assert.equal(r.code, 0, `exit ${r.code} ${where}: ${r.stderr.slice(-3000)}`);
        const tally = JSON.parse(r.stdout.trim().split('\n').pop());
        assert.deepEqual(tally.open, [], `tasks that never finished ${where}`);
        assert.equal(tally.programs, count, where);
        assert.equal(
          tally.ended + tally.errored + tally.cleared,
          tally.tasks,
          `every task ended, errored or was cleared ${where}`,
        );
        assert.equal(tally.mismatches, 0, `wrong bytes or values ${where}`);
        for (const kind of ['then', 'async', 'timeout', 'interval', 'sharedRead', 'echo', 'join', 'waitReject']) {
          assert.ok(tally.steps[kind] > 0, `the programs used ${kind} ${where}`);
        }
        programs += tally.programs;
      }
      assert.ok(programs >= PROGRAMS);
    },
  );
}
