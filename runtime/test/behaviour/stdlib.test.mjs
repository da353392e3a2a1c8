// The stdlib as modules (runtime/lib, embedded by tools/embed-stdlib.mjs, run by kernel/stdlib.cc): its graph
// is checked at build time, and its modules stay private to the runtime.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runSource } from './run-corojs.mjs';

function embed(files) {
  const dir = mkdtempSync(join(tmpdir(), 'corojs-stdlib-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return spawnSync('node', [join(ROOT, 'tools/embed-stdlib.mjs'), dir, join(dir, 'out.cc')], { encoding: 'utf8' });
}

test('the embed step refuses an import of no file, a non-relative import and an unreached file', () => {
  const missing = embed({ 'stdlib.js': "import './a.js';\n", 'a.js': "import { x } from './gone.js';\n" });
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /a\.js: import '\.\/gone\.js'/);
  const bare = embed({ 'stdlib.js': "import fs from 'node:fs';\n" });
  assert.notEqual(bare.status, 0);
  assert.match(bare.stderr, /import 'node:fs'/);
  const unreached = embed({
    'stdlib.js': "export {\n  y,\n} from './a.js';\n",
    'a.js': 'export const y = 1;\n',
    'b.js': '',
  });
  assert.notEqual(unreached.status, 0);
  assert.match(unreached.stderr, /not imported from stdlib\.js, directly or not: b\.js/);
  const good = embed({ 'stdlib.js': "import './a.js';\n", 'a.js': 'export const y = 1;\n' });
  assert.equal(good.status, 0, good.stderr);
});

test("a user script cannot import the stdlib's own modules", async () => {
  const r = await runSource(`
    for (const specifier of ['corojs:lib/net.js', 'corojs:lib/stream-server.js']) {
      try { await import(specifier); console.log('imported', specifier); } catch (e) { console.log(e.code); }
    }`);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), ['ERR_UNSUPPORTED_ESM_URL_SCHEME', 'ERR_UNSUPPORTED_ESM_URL_SCHEME']);
});

test("a stdlib function's stack frame names its module", async () => {
  const r = await runSource(`
    try { net.connect(-1); } catch (e) { console.log(e.stack.split('\\n')[1]); }`);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /corojs:lib\/stream-server\.js:\d+:\d+/);
});
