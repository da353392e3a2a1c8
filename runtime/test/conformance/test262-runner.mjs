// Runs the test262 module folders (../shared/test262, see its README) on runtime binaries and classifies
// each test as pass/fail/crash. Also a CLI: `node test262-runner.mjs [filter]` compares build/corojs with
// build/node18-same-v8 and prints the tests that differ.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const TEST262 = resolve(process.env.TEST262_DIR ?? join(ROOT, '../shared/test262'));
export const COROJS = resolve(process.env.COROJS_BIN ?? join(ROOT, 'build/corojs'));
export const NODE18 = join(ROOT, 'build/node18-same-v8');
// Node 18's outcomes only change with its binary, its libnode, the suite or how it is run: they are kept here,
// keyed by a hash of those, so a run costs Node's ~0.2 s start-up per test only when one of them changed.
const NODE18_CACHE = join(ROOT, 'build/test262-node18-outcomes.json');
const TEST_FOLDERS = ['test/language/module-code', 'test/language/expressions/dynamic-import', 'test/language/import'];
// Per test; a test that times out is run once more, alone, with the longer limit (a loaded machine is slow).
const TIMEOUT_MS = 10000;
const RETRY_TIMEOUT_MS = 30000;

// The few front-matter keys that decide how a test runs (README: flags, includes, negative).
export function readFrontMatter(source) {
  const yaml = /\/\*---([\s\S]*?)---\*\//.exec(source)?.[1] ?? '';
  const list = (key) =>
    (new RegExp(`^${key}:\\s*\\[(.*)\\]`, 'm').exec(yaml)?.[1] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const negativeBlock = /^negative:\s*\n((?:[ \t]+.*\n?)+)/m.exec(yaml)?.[1];
  const negative = negativeBlock && {
    phase: /phase:\s*(\S+)/.exec(negativeBlock)?.[1],
    type: /type:\s*(\S+)/.exec(negativeBlock)?.[1],
  };
  return { flags: list('flags'), includes: list('includes'), negative };
}

function listTests(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listTests(path));
    else if (name.endsWith('.js') && !name.includes('_FIXTURE')) out.push(path);
  }
  return out;
}

// Copies the suite to a temp dir (the shared copy is read-only) and writes, beside each test, an entry module
// that first runs the harness as a global script (indirect eval), then the test: imported when it is module
// code, evaluated as a script otherwise. Both runtimes run the same entries.
export function prepareSuite() {
  const root = mkdtempSync(join(tmpdir(), 'corojs-test262-'));
  cpSync(join(TEST262, 'harness'), join(root, 'harness'), { recursive: true });
  for (const folder of TEST_FOLDERS) cpSync(join(TEST262, folder), join(root, folder), { recursive: true });
  writeFileSync(join(root, 'package.json'), '{"type":"module"}\n'); // Node: .js files are ES modules
  const harness = (name) => readFileSync(join(root, 'harness', name), 'utf8');
  const tests = [];
  for (const folder of TEST_FOLDERS) {
    for (const path of listTests(join(root, folder))) {
      const source = readFileSync(path, 'utf8');
      const meta = readFrontMatter(source);
      const flags = new Set(meta.flags);
      const includes = flags.has('raw') ? [] : ['assert.js', 'sta.js', ...meta.includes];
      if (flags.has('async')) includes.push('doneprintHandle.js');
      const base = basename(path, '.js');
      const prelude = `${base}.__prelude.mjs`;
      writeFileSync(
        join(dirname(path), prelude),
        `globalThis.print = (text) => console.log(String(text));\n` +
          `(0, eval)(${JSON.stringify(includes.map(harness).join('\n'))});\n`,
      );
      const body = flags.has('module')
        ? `import './${base}.js';\n`
        : `(0, eval)(${JSON.stringify((flags.has('onlyStrict') ? '"use strict";\n' : '') + source)});\n`;
      const entry = join(dirname(path), `${base}.__entry.mjs`);
      writeFileSync(entry, `import './${prelude}';\n${body}`);
      tests.push({
        name: relative(join(root, 'test'), path),
        entry,
        async: flags.has('async'),
        negative: meta.negative,
      });
    }
  }
  return { root, tests };
}

function run(binary, args, cwd, timeoutMs = TIMEOUT_MS) {
  return new Promise((resolvePromise) => {
    const child = spawn(binary, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr, timedOut });
    });
  });
}

// A crash is the runtime dying rather than reporting a JS error: a signal, V8's fatal exits, or its messages.
export function isCrash(r) {
  return (
    (!r.timedOut && r.signal !== null) ||
    [133, 134, 139].includes(r.code) ||
    /Fatal error|Check failed|Segmentation fault/.test(r.stderr)
  );
}

export function classify(test, r) {
  if (r.timedOut) return { pass: false, crash: false, why: 'timeout' };
  if (isCrash(r)) return { pass: false, crash: true, why: `crash (code ${r.code}, signal ${r.signal})` };
  const completed = r.stdout.includes('Test262:AsyncTestComplete') && !r.stdout.includes('Test262:AsyncTestFailure');
  if (test.negative) {
    const pass = r.code !== 0 && new RegExp(`\\b${test.negative.type}\\b`).test(r.stderr) && !completed;
    return { pass, crash: false, why: pass ? '' : `expected ${test.negative.phase} ${test.negative.type}` };
  }
  const pass = r.code === 0 && (!test.async || completed);
  return {
    pass,
    crash: false,
    why: pass ? '' : `exit ${r.code}: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`,
  };
}

// Runs every test on each binary, `workers` processes at a time; returns [{ name, results: {label: outcome} }].
export async function runSuite(tests, binaries, { workers = 2 } = {}) {
  const rows = tests.map((test) => ({ name: test.name, results: {} }));
  const jobs = [];
  for (const [i, test] of tests.entries()) {
    for (const [label, { path, args }] of Object.entries(binaries)) jobs.push({ i, test, label, path, args });
  }
  let next = 0;
  async function worker() {
    while (next < jobs.length) {
      const job = jobs[next++];
      const r = await run(job.path, [...job.args, job.test.entry], dirname(job.test.entry));
      rows[job.i].results[job.label] = { ...classify(job.test, r), stderr: r.stderr };
    }
  }
  await Promise.all(Array.from({ length: workers }, worker));
  for (const job of jobs) {
    if (rows[job.i].results[job.label].why !== 'timeout') continue;
    const r = await run(job.path, [...job.args, job.test.entry], dirname(job.test.entry), RETRY_TIMEOUT_MS);
    rows[job.i].results[job.label] = { ...classify(job.test, r), stderr: r.stderr };
  }
  return rows;
}

export const BINARIES = {
  corojs: { path: COROJS, args: [] },
  node18: { path: NODE18, args: ['--no-warnings'] },
};

function libnodeOf(binary) {
  const ldd = spawnSync('ldd', [binary], { encoding: 'utf8' }).stdout ?? '';
  return /libnode\S*\s+=>\s+(\S+)/.exec(ldd)?.[1];
}

// Everything Node's outcomes depend on: its binary and libnode, the prepared suite (tests, harness, the entry
// files written beside them), how an outcome is judged, and the time limits.
function referenceKey(root) {
  const hash = createHash('sha256');
  for (const file of [NODE18, libnodeOf(NODE18), ...listAll(root)]) {
    if (file) hash.update(relative(root, file)).update(readFileSync(file));
  }
  hash.update(classify.toString()).update(isCrash.toString()).update(`${TIMEOUT_MS} ${RETRY_TIMEOUT_MS}`);
  return hash.digest('hex');
}

function listAll(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? listAll(join(dir, e.name)) : [join(dir, e.name)]));
}

// Node 18's outcome for each test: cached ones while the key matches; the others are run and cached.
export async function node18Outcomes(root, tests, { workers = 2 } = {}) {
  const key = referenceKey(root);
  const cached = existsSync(NODE18_CACHE) ? JSON.parse(readFileSync(NODE18_CACHE, 'utf8')) : {};
  const outcomes = cached.key === key ? cached.outcomes : {};
  const missing = tests.filter((t) => !(t.name in outcomes));
  const rows = await runSuite(missing, { node18: BINARIES.node18 }, { workers });
  for (const row of rows) outcomes[row.name] = { pass: row.results.node18.pass, why: row.results.node18.why };
  if (missing.length > 0) writeFileSync(NODE18_CACHE, JSON.stringify({ key, outcomes }));
  return { outcomes, ran: missing.length };
}

// Runs CoroJS on every test and joins Node 18's outcomes: rows as runSuite returns them.
export async function compareWithNode18(root, tests, { workers = 2 } = {}) {
  const reference = await node18Outcomes(root, tests, { workers });
  const rows = await runSuite(tests, { corojs: BINARIES.corojs }, { workers });
  for (const row of rows) row.results.node18 = reference.outcomes[row.name];
  return { rows, node18Ran: reference.ran };
}

export function summarise(rows) {
  const count = (label, key) => rows.filter((r) => r.results[label][key]).length;
  return {
    total: rows.length,
    corojsPass: count('corojs', 'pass'),
    node18Pass: count('node18', 'pass'),
    corojsCrashes: rows.filter((r) => r.results.corojs.crash).map((r) => r.name),
    regressions: rows.filter((r) => r.results.node18.pass && !r.results.corojs.pass).map((r) => r.name),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!existsSync(TEST262)) throw new Error(`no test262 copy at ${TEST262}`);
  const filter = process.argv[2] ?? '';
  const { root, tests } = prepareSuite();
  const { rows, node18Ran } = await compareWithNode18(
    root,
    tests.filter((t) => t.name.includes(filter)),
  );
  rmSync(root, { recursive: true, force: true });
  for (const row of rows) {
    const { corojs, node18 } = row.results;
    if (corojs.pass !== node18.pass || corojs.crash) {
      console.log(
        `${corojs.pass ? 'PASS' : corojs.crash ? 'CRASH' : 'FAIL'} corojs / ${node18.pass ? 'PASS' : 'FAIL'} node18  ${row.name}`,
      );
      if (!corojs.pass) console.log(`    ${corojs.why}`);
    }
  }
  const s = summarise(rows);
  console.log(
    JSON.stringify({ ...s, corojsCrashes: s.corojsCrashes.length, regressions: s.regressions.length, node18Ran }),
  );
}
