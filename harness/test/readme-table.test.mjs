// The README's results table is written from results/reference.json by `npm run report`: the committed
// README must hold exactly what the committed reference gives, and the table must follow a result file.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readmeTable, withTable, BEGIN_MARKER, END_MARKER } from '../../build/ts/harness/src/report/readme-table.js';
import { readResultFile } from '../../build/ts/harness/src/results/read.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const read = readResultFile(resolve(ROOT, 'results/reference.json')); // any schema version, as npm run report reads it
assert.ok(read.ok, read.problems?.join('\n'));
const reference = read.file;
const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');

test('the committed README holds the table results/reference.json gives (npm run report)', () => {
  assert.equal(
    withTable(readme, reference),
    readme,
    'README.md and results/reference.json disagree: run npm run report',
  );
});

test('the table follows the result file: a changed figure changes the README, an invalid point says why', () => {
  const changed = structuredClone(reference);
  const point = changed.workloads.find((w) => w.runtime === 'node20' && w.mode === 'closed' && w.valid);
  point.throughput_per_s = 123456789;
  assert.match(readmeTable(changed), /123,456,789/);
  point.valid = false;
  point.invalid_reason = 'server did not start; more';
  assert.match(readmeTable(changed), /invalid \(server did not start\)/);
  assert.throws(() => withTable('no markers here', reference), /no results-table markers/);
  assert.ok(readme.includes(BEGIN_MARKER) && readme.includes(END_MARKER));
});

test('docs/ARCHITECTURE.md holds the switch ladder results/reference.json gives (npm run report)', async () => {
  const { withLadderTable, ladderTable } = await import('../../build/ts/harness/src/report/docs-ladder.js');
  const { readResultFile } = await import('../../build/ts/harness/src/results/read.js');
  const read = readResultFile(resolve(ROOT, 'results/reference.json'));
  assert.ok(read.ok, JSON.stringify(read.problems));
  const docs = readFileSync(resolve(ROOT, 'docs/ARCHITECTURE.md'), 'utf8');
  assert.equal(
    withLadderTable(docs, read.file),
    docs,
    'docs/ARCHITECTURE.md and results/reference.json disagree: run npm run report',
  );
  const changed = structuredClone(read.file);
  changed.switch_ladder[0].ns_per_switch = 4242424;
  assert.match(ladderTable(changed), /4,242,424/);
});
