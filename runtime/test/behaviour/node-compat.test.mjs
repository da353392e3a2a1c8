// The stdlib as Node users expect it: TextDecoder/TextEncoder per the Encoding standard (compared with
// Node 20's own, which runs this test), lone surrogates written as U+FFFD everywhere, bounded readFile,
// process.stdout.write of bytes, console output as util.inspect/util.format print it, uncaught Symbols.
import test from 'node:test';
import assert from 'node:assert/strict';
import { selfSignedCert } from '../../../build/ts/harness/src/process/self-signed-cert.js';
import { closeSync, mkdtempSync, openSync, ftruncateSync, readFileSync, rmSync } from 'node:fs';
import { freemem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { runSource } from './run-corojs.mjs';

// A seeded generator (mulberry32), so a failure names inputs that can be replayed.
function seeded(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Byte strings rich in UTF-8 edge cases: lead bytes, continuation bytes, the limits of each range.
function byteCases(count, seed = 16) {
  const random = seeded(seed);
  const pool = [
    0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xee, 0xef, 0xbb,
    0xf0, 0xf1, 0xf4, 0xf5, 0xff,
  ];
  const cases = [
    [],
    [0xef, 0xbb, 0xbf],
    [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x41],
    [0xef, 0xbb],
    [0xed, 0xa0, 0x80],
    [0xf0, 0x9f, 0x98, 0x80],
    [0xf0, 0x9f, 0x98],
    [0xe2, 0x82, 0xac, 0xe2, 0x82],
    [0xf4, 0x90, 0x80, 0x80],
  ];
  while (cases.length < count) {
    const length = Math.floor(random() * 10);
    cases.push(
      Array.from({ length }, () =>
        random() < 0.8 ? pool[Math.floor(random() * pool.length)] : Math.floor(random() * 256),
      ),
    );
  }
  return cases;
}

// What a decoder gives for `bytes` in each mode, as JSON-able values (also run inside corojs, as source).
function decodeModes(bytes) {
  const input = new Uint8Array(bytes);
  const attempt = (fn) => {
    try {
      return fn();
    } catch (e) {
      return { error: e.name, code: e.code };
    }
  };
  const chunked = (options, size) =>
    attempt(() => {
      const decoder = new TextDecoder('utf-8', options);
      let out = '';
      for (let at = 0; at < input.length; at += size)
        out += decoder.decode(input.subarray(at, at + size), { stream: true });
      return out + decoder.decode();
    });
  return {
    replace: new TextDecoder().decode(input),
    keepBOM: new TextDecoder('utf-8', { ignoreBOM: true }).decode(input),
    fatal: attempt(() => new TextDecoder('utf-8', { fatal: true }).decode(input)),
    stream1: chunked({}, 1),
    stream2: chunked({ ignoreBOM: true }, 2),
    fatalStream: chunked({ fatal: true }, 1),
  };
}

test('TextDecoder: replacement, BOM, fatal and stream modes give what Node 20 gives', async () => {
  const cases = byteCases(400);
  const r = await runSource(`
    const decodeModes = ${decodeModes.toString()};
    console.log(JSON.stringify(${JSON.stringify(cases)}.map(decodeModes)));`);
  assert.equal(r.code, 0, r.stderr);
  const ours = JSON.parse(r.stdout);
  cases.forEach((bytes, i) =>
    assert.deepEqual(ours[i], decodeModes(bytes), `bytes [${bytes.map((b) => b.toString(16))}]`),
  );
});

// Run here and (as source) in corojs. Node with full ICU knows more labels than UTF-8's; see README.
function decoderChecks() {
  const out = [];
  const attempt = (fn) => {
    try {
      return fn();
    } catch (e) {
      return [e.name, e.code];
    }
  };
  const d = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  out.push([d.encoding, d.fatal, d.ignoreBOM], Object.keys(d), Object.prototype.toString.call(d));
  for (const label of ['UTF8', ' utf-8\n', 'unicode-1-1-utf-8', 'x-unicode20utf8', 'utf-16x', 'bogus', '']) {
    out.push(attempt(() => new TextDecoder(label).encoding));
  }
  out.push(
    attempt(() => new TextDecoder().decode('text')),
    attempt(() => new TextDecoder().decode(42)),
  );
  out.push(
    new TextDecoder().decode(new Uint16Array([0x6968]).buffer),
    new TextDecoder().decode(new DataView(new Uint8Array([0x68, 0x69]).buffer)),
  );
  out.push(new TextDecoder().decode(), new TextDecoder().decode(undefined, { stream: true }));
  out.push(
    attempt(() => d.decode(new Uint8Array([0x68, 0xff]))),
    d.decode(new Uint8Array([0x68, 0x69])),
  );
  const s = new TextDecoder();
  out.push(
    s.decode(new Uint8Array([0xe2, 0x82]), { stream: true }),
    s.decode(),
    s.decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41])),
  );
  return out;
}

test('TextDecoder: getters, labels, errors, and one decoder reused after fatal and streamed calls', async () => {
  const r = await runSource(`console.log(JSON.stringify((${decoderChecks.toString()})()));`);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), JSON.parse(JSON.stringify(decoderChecks())));
});

const surrogateStrings = ['a\ud800b', '\udc00', 'x\ud83d', '\ud83d\ude00', '\ude00\ud83d', 'plain €'];

test('TextEncoder: a lone surrogate becomes U+FFFD (ef bf bd); encodeInto writes whole characters only', async () => {
  const sizes = [0, 1, 2, 3, 4, 5, 8];
  const source = `
    const e = new TextEncoder();
    const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
    const out = { encoding: e.encoding, encode: [], into: [] };
    for (const s of ${JSON.stringify(surrogateStrings)}) {
      out.encode.push(hex(e.encode(s)));
      for (const n of ${JSON.stringify(sizes)}) {
        const dest = new Uint8Array(n);
        out.into.push([e.encodeInto(s, dest), hex(dest)]);
      }
    }
    out.encode.push(hex(e.encode()), hex(e.encode(12)));
    try { e.encodeInto('x', []); } catch (error) { out.badDest = error.name; }
    console.log(JSON.stringify(out));`;
  const r = await runSource(source);
  assert.equal(r.code, 0, r.stderr);
  const e = new TextEncoder();
  const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
  const expected = { encoding: e.encoding, encode: [], into: [] };
  for (const s of surrogateStrings) {
    expected.encode.push(hex(e.encode(s)));
    for (const n of sizes) {
      const dest = new Uint8Array(n);
      expected.into.push([e.encodeInto(s, dest), hex(dest)]);
    }
  }
  expected.encode.push(hex(e.encode()), hex(e.encode(12)));
  expected.badDest = 'TypeError';
  assert.deepEqual(JSON.parse(r.stdout), expected);
  assert.equal(expected.encode[0], '61 ef bf bd 62');
});

// Runs `source` with corojs's stdout and stderr sent to files, so the test sees their exact bytes.
async function runForBytes(source) {
  const dir = mkdtempSync(join(tmpdir(), 'corojs-bytes-'));
  const r = await runSource(source, { shell: `exec 1>${dir}/out 2>${dir}/err` });
  const out = { code: r.code, stdout: readFileSync(join(dir, 'out')), stderr: readFileSync(join(dir, 'err')) };
  rmSync(dir, { recursive: true, force: true });
  return out;
}

test('fs, net, console and process.stdout write a lone surrogate as U+FFFD, never ed a0 80', async () => {
  const r = await runForBytes(`
    const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
    fs.writeFile('w.txt', 'a\\ud800b');
    const handle = fs.open('h.txt', 'w');
    handle.write('\\udfff');
    handle.close();
    const server = net.createServer((socket) => {
      const got = [];
      for (let b; (b = socket.readBytes()) !== null;) got.push(...b);
      console.error('net:' + hex(got));
      server.close();
    });
    Fiber.run(() => server.listen(0, '127.0.0.1'));
    const client = net.connect(server.address().port);
    client.write('\\ud800!');
    client.close();
    console.error('fs:' + hex(fs.readFile('w.txt', null)) + '|' + hex(fs.readFile('h.txt', null)));
    console.log('\\ud800');
    process.stdout.write('\\udc00\\n');`);
  assert.equal(r.code, 0, r.stderr.toString());
  assert.match(r.stderr.toString(), /^fs:61 ef bf bd 62\|ef bf bd$/m);
  assert.match(r.stderr.toString(), /^net:ef bf bd 21$/m);
  assert.deepEqual(r.stdout, Buffer.from([0xef, 0xbf, 0xbd, 0x0a, 0xef, 0xbf, 0xbd, 0x0a]));
});

test('tls writes a lone surrogate as U+FFFD too', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'corojs-compat-'));
  try {
    selfSignedCert(dir, 'a.test');
  } catch (error) {
    t.skip(`openssl cannot make a test certificate: ${error.message}`);
    return;
  }
  const r = await runSource(`
    const dir = ${JSON.stringify(dir)};
    const server = tls.createServer({
      certificateResolver: () => ({ key: fs.readFile(dir + '/a.test.key'), cert: fs.readFile(dir + '/a.test.crt') }),
    }, (socket) => {
      const got = [];
      for (let b; (b = socket.readBytes()) !== null;) got.push(...b);
      console.log(got.map((x) => x.toString(16)).join(' '));
      server.close();
    });
    Fiber.run(() => server.listen(0, '127.0.0.1'));
    const client = tls.connect(server.address().port, '127.0.0.1', { servername: 'a.test', ca: fs.readFile(dir + '/a.test.crt') });
    client.write('x\\udbff');
    client.close();`);
  rmSync(dir, { recursive: true, force: true });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '78 ef bf bd\n');
});

test('readFile: a file over 2 GiB and an endless /dev/zero fail with ERR_FS_FILE_TOO_LARGE, as in Node', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'corojs-big-'));
  const big = join(dir, 'sparse');
  const fd = openSync(big, 'w');
  ftruncateSync(fd, 3 * 2 ** 30); // sparse: no disk used
  closeSync(fd);
  let nodeError;
  try {
    readFileSync(big);
  } catch (error) {
    nodeError = { name: error.name, code: error.code, message: error.message };
  }
  const r = await runSource(`
    try { fs.readFile(${JSON.stringify(big)}); } catch (e) {
      console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message }));
    }
    console.log(fs.readFile('/proc/self/status').includes('Pid:'));  // size 0 in stat, read to its end
    console.log(__primordials.handles.count().file ?? 0);`);
  rmSync(dir, { recursive: true, force: true });
  assert.equal(r.code, 0, r.stderr);
  const [error, proc, files] = r.stdout.trim().split('\n');
  assert.deepEqual(JSON.parse(error), nodeError);
  assert.equal(proc, 'true');
  assert.equal(files, '0', 'the file is closed after the error');

  if (freemem() < 6 * 2 ** 30) {
    t.skip('reading /dev/zero up to the 2 GiB limit needs more free memory than this machine has now');
    return;
  }
  const zero = await runSource(
    `
    try { fs.readFile('/dev/zero', null); } catch (e) { console.log(e.name, e.code, e.message); }`,
    { timeoutMs: 120000 },
  );
  assert.equal(zero.code, 0, zero.stderr);
  assert.equal(zero.stdout, 'RangeError ERR_FS_FILE_TOO_LARGE File size (2147483648) is greater than 2 GiB\n');
});

test("readFile keeps a leading BOM, as Node's readFile does", async () => {
  const r = await runSource(`
    fs.writeFile('bom.txt', new Uint8Array([0xef, 0xbb, 0xbf, 0x41]));
    console.log(Array.from(fs.readFile('bom.txt'), (c) => c.charCodeAt(0).toString(16)).join(' '));`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'feff 41\n');
});

test('process.stdout/stderr.write: bytes are written as bytes, strings as UTF-8, other values are a TypeError', async () => {
  const r = await runForBytes(`
    const results = [];
    results.push(process.stdout.write(new Uint8Array([104, 105, 10])));
    results.push(process.stdout.write('h\\u00e9\\n', 'utf8'));
    process.stderr.write(new Uint8Array([0xff, 0x00, 0x0a]).subarray(0, 2));
    for (const bad of [42, {}, null, [104]]) {
      try { process.stdout.write(bad); results.push('wrote'); } catch (e) { results.push(e.code); }
    }
    process.stdout.write('cb\\n', () => console.log('callback ran'));
    console.log(JSON.stringify(results));`);
  assert.equal(r.code, 0, r.stderr.toString());
  const results = JSON.stringify([true, true, ...Array(4).fill('ERR_INVALID_ARG_TYPE')]);
  assert.equal(r.stdout.toString(), `hi\nhé\ncb\n${results}\ncallback ran\n`);
  assert.deepEqual(r.stderr, Buffer.from([0xff, 0x00]));
});

// Each case is source evaluated both here (in Node 20) and in corojs; stacks are fixed strings so they match.
const setup = `
  const { proxy: revoked, revoke } = Proxy.revocable({ a: 1 }, {}); revoke();
  const trap = () => { throw new Error('trap'); };
  const trapped = new Proxy({ a: 1 }, { get: trap, ownKeys: trap, getPrototypeOf: trap });
  const withStack = (error, stack) => { error.stack = stack; return error; };
  const inner = withStack(new Error('inner'), 'Error: inner\\n    at g (/x.js:2:2)');
  const outer = withStack(new Error('outer', { cause: inner }), 'Error: outer\\n    at f (/x.js:1:1)');
  const aggregate = withStack(new AggregateError([inner, 'two'], 'all failed'), 'AggregateError: all failed\\n    at h (/x.js:3:3)');
  const noStack = new TypeError('bare', { cause: 42 }); noStack.stack = undefined;
  const coded = withStack(new RangeError('coded'), 'RangeError: coded\\n    at j (/x.js:5:5)'); coded.code = 'ERR_X';
  class MyError extends Error {}
  const mine = withStack(new MyError('m'), 'Error: m\\n    at k (/x.js:6:6)');
  const circular = { name: 'c' }; circular.self = circular;
  const list = Array.from({ length: 30 }, (_, i) => i * 37);
`;
const consoleCases = [
  'revoked',
  '[revoked]',
  '{ p: revoked }',
  "'%s', revoked",
  "'%o', revoked",
  'trapped',
  'outer',
  '{ nested: outer }',
  'aggregate',
  'noStack',
  '[noStack]',
  'coded',
  'mine',
  "'%s|%s', inner, 5",
  'circular',
  "'%j', circular",
  "'%j %j', { a: [1, 'b'] }, undefined",
  "'%s %s %s %s %s %s', 10n, Symbol('s'), null, undefined, -0, { a: { b: 1 } }",
  "'%s', [1, [2, [3]]], 'tail'",
  "'%s|%s', { toString() { return 'custom'; } }, new Date(0)",
  "'%s', function foo() {}",
  "'%d %d %d %d %d', '42', 10n, Symbol(), {}, -0",
  "'%i %i %i %f %f', '42.9px', 10n, Symbol(), '1.5e3x', Symbol()",
  "'%O|%o|%c|%%|%x', { y: 2 }, { x: 1 }, 'color: red', 'extra'",
  "'100%', 5",
  "'100%%'",
  "'%s %s', 'only'",
  'list',
  'Array.from({ length: 120 }, (_, i) => i)',
  "['apple', 'banana', 'cherry', 'date', 'fig', 'grape', 'kiwi']",
  'async function af() {}, class A extends Map {}, Object.assign(function f() {}, { a: 1 })',
  "{ $x: 1, 'a-b': 2, [Symbol('s')]: 3 }",
  "['a\\x01b\\x7f', '\\ud800']",
  "['line\\n'.repeat(20)]",
  '{ a: { b: { c: {} } } }',
  'new Map([[{ a: 1 }, [1, 2]]]), new WeakMap(), /re/g',
  'new Uint8Array(10), new ArrayBuffer(3)',
  'Object.create(null), [, 1]',
  '{ get g() { return 1; }, set s(v) {} }',
  "Object(1n), Object('ab'), Object(Symbol('q'))",
];

test('console prints revoked Proxies, causes, aggregate errors and format specifiers as Node 20 does', async () => {
  const r = await runSource(`${setup}\n${consoleCases.map((c) => `console.log(${c});`).join('\n')}`);
  assert.equal(r.code, 0, r.stderr);
  // eslint-disable-next-line no-new-func
  const nodeFormat = new Function(
    'format',
    `${setup}\nreturn [${consoleCases.map((c) => `format(${c})`).join(',\n')}];`,
  );
  const expected = nodeFormat(format);
  const actual = r.stdout.split('\n');
  let line = 0;
  for (const [i, text] of expected.entries()) {
    const count = text.split('\n').length;
    assert.equal(actual.slice(line, line + count).join('\n'), text, `case ${consoleCases[i]}`);
    line += count;
  }
});

test("a Promise prints its state and value (Node 20 prints the same outside its test runner's async hooks)", async () => {
  const r = await runSource(`console.log(Promise.resolve(4), new Promise(() => {}), [Promise.resolve({ a: 1 })]);
    const rejected = Promise.reject(3); rejected.catch(() => {}); console.log(rejected);`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'Promise { 4 } Promise { <pending> } [ Promise { { a: 1 } } ]\nPromise { <rejected> 3 }\n');
});

test('an Error whose stack getter throws still prints, in console and when uncaught', async () => {
  const r = await runSource(`
    const e = new Error('x');
    Object.defineProperty(e, 'stack', { get() { throw new Error('no stack'); } });
    console.log(e);
    console.log({ e });
    throw e;`);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '[Error: x]\n{ e: [Error: x] }\n');
  assert.match(r.stderr, /Uncaught Error: x\n$/);
});

test('an uncaught Symbol prints its location and Uncaught Symbol(...), exit 1', async () => {
  const inFunction = await runSource(`setTimeout(() => {\n  throw Symbol('late');\n}, 1);`);
  assert.equal(inFunction.code, 1);
  assert.match(inFunction.stderr, /main\.mjs:2:3\n  throw Symbol\('late'\);\n  \^\n\nUncaught Symbol\(late\)\n$/);
  const inFiber = await runSource(`Fiber.run(() => {\n  throw Symbol();\n});`);
  assert.equal(inFiber.code, 1);
  assert.match(inFiber.stderr, /main\.mjs:2:3\n[^]*Uncaught Symbol\(\)\n$/);
  const topLevel = await runSource(`console.log('before');\nthrow Symbol('top');`);
  assert.equal(topLevel.code, 1);
  assert.equal(topLevel.stdout, 'before\n');
  assert.match(topLevel.stderr, /Uncaught Symbol\(top\)\n$/);
  const revoked = await runSource(`const { proxy, revoke } = Proxy.revocable({}, {}); revoke();
setTimeout(() => { throw proxy; }, 1);`);
  assert.equal(revoked.code, 1);
  assert.match(revoked.stderr, /main\.mjs:2:20[^]*Uncaught <Revoked Proxy>\n$/);
});
