// The stack sweep's requirement is measured: Node 20's recursion depth on its default stack, with the same
// function the CoroJS probe recurses with (baselines/recursion-depth.ts), ends in a RangeError.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

test("Node's recursion depth on its default stack is measured, and a smaller stack gives a smaller depth", () => {
  const depth = (flags) => {
    const out = execFileSync(process.execPath, [...flags, resolve(ROOT, 'build/ts/baselines/recursion-depth.js')], {
      encoding: 'utf8',
    });
    const result = JSON.parse(
      out
        .split('\n')
        .find((l) => l.startsWith('RESULT '))
        .slice('RESULT '.length),
    );
    assert.equal(result.range_error, true);
    return result.depth;
  };
  const full = depth([]);
  assert.ok(full > 5000, `${full}`);
  assert.ok(depth(['--stack-size=200']) < full / 2, 'the depth follows the stack size');
});
