// fs: every primordial and public function of spec sections 3 and 4, flags, and error codes.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSource } from './run-corojs.mjs';

const scratch = () => mkdtempSync(join(tmpdir(), 'corojs-fs-'));

test('open/write/read/fstat/fsync/fdatasync/close through FileHandle', async () => {
  const dir = scratch();
  const r = await runSource(`
    const path = ${JSON.stringify(join(dir, 'f.txt'))};
    const f = fs.open(path, 'w+');
    const n1 = f.write('héllo ');
    const n2 = f.write(new Uint8Array([119, 111, 114, 108, 100]));
    f.fsync(); f.fdatasync();
    const st = f.fstat();
    const all = f.read(100, 0);
    const tail = f.read(3, 7);
    const eof = f.read(10, 1000);
    f.close();
    console.log(typeof n1, n1, n2, st.size, st.isFile(), all instanceof Uint8Array, new TextDecoder().decode(all),
      new TextDecoder().decode(tail), eof);`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'bigint 7n 5n 12 true true héllo world wor null');
  assert.equal(readFileSync(join(dir, 'f.txt'), 'utf8'), 'héllo world');
});

test("flags 'r', 'r+', 'w', 'w+', 'a', 'a+', 'wx'", async () => {
  const dir = scratch();
  const file = join(dir, 'flags.txt');
  writeFileSync(file, 'base');
  const r = await runSource(`
    const p = ${JSON.stringify(file)};
    const dec = (b) => b === null ? 'null' : new TextDecoder().decode(b);
    let f = fs.open(p, 'a'); f.write('+a'); f.close();
    f = fs.open(p, 'a+'); f.write('+A'); console.log('a+', dec(f.read(100, 0))); f.close();
    f = fs.open(p, 'r+'); f.write('B', 0); f.close();
    f = fs.open(p); console.log('r', dec(f.read(100)));
    try { f.write('x'); } catch (e) { console.log('r write', e.code); } f.close();
    f = fs.open(p, 'w'); f.write('new'); f.close();
    console.log('w', fs.readFile(p));
    f = fs.open(p, 'w+'); f.write('wplus'); console.log('w+', dec(f.read(100, 0))); f.close();
    try { fs.open(p, 'wx'); } catch (e) { console.log('wx', e.code, e.syscall, e.path === p); }
    f = fs.open(p + '.new', 'wx'); f.close(); console.log('wx new ok');
    try { fs.open(p, 'rw'); } catch (e) { console.log(e.name, e.code); }`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    [
      'a+ base+a+A',
      'r Base+a+A',
      'r write EBADF',
      'w new',
      'w+ wplus',
      'wx EEXIST open true',
      'wx new ok',
      'TypeError ERR_INVALID_ARG_VALUE',
      '',
    ].join('\n'),
  );
});

test('readFile, readdir, mkdir, rmdir, unlink', async () => {
  const dir = scratch();
  const r = await runSource(`
    const d = ${JSON.stringify(dir)};
    fs.mkdir(d + '/sub');
    fs.writeFile(d + '/sub/b.txt', 'bee');
    fs.writeFile(d + '/sub/a.txt', 'ünïcode');
    console.log(fs.readdir(d + '/sub').sort().join(','), fs.readFile(d + '/sub/a.txt'));
    fs.unlink(d + '/sub/a.txt'); fs.unlink(d + '/sub/b.txt');
    fs.rmdir(d + '/sub');
    console.log(fs.readdir(d).length);`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'a.txt,b.txt ünïcode\n0\n');
  assert.equal(existsSync(join(dir, 'sub')), false);
});

test('errors carry code, syscall and path: ENOENT, EEXIST, ENOTEMPTY, EISDIR, ENOTDIR', async () => {
  const dir = scratch();
  writeFileSync(join(dir, 'file'), 'x');
  const r = await runSource(`
    const d = ${JSON.stringify(dir)};
    const attempt = (fn) => { try { fn(); console.log('no error'); } catch (e) { console.log(e.code, e.syscall, e.path === undefined ? '-' : e.path.replace(d, 'D')); } };
    attempt(() => fs.open(d + '/missing'));
    attempt(() => fs.readFile(d + '/missing'));
    attempt(() => fs.mkdir(d + '/file'));
    fs.mkdir(d + '/full'); fs.writeFile(d + '/full/x', '1');
    attempt(() => fs.rmdir(d + '/full'));
    attempt(() => fs.open(d, 'w'));
    attempt(() => fs.readdir(d + '/file'));
    attempt(() => fs.unlink(d + '/missing'));`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    [
      'ENOENT open D/missing',
      'ENOENT open D/missing',
      'EEXIST mkdir D/file',
      'ENOTEMPTY rmdir D/full',
      'EISDIR open D',
      'ENOTDIR scandir D/file',
      'ENOENT unlink D/missing',
      '',
    ].join('\n'),
  );
});

test(
  'EACCES for a file the (unprivileged) user may not read',
  { skip: process.getuid() !== 0 && 'needs root to switch user' },
  async (t) => {
    const dir = scratch();
    const file = join(dir, 'secret');
    writeFileSync(file, 'x');
    chmodSync(file, 0o600);
    chmodSync(dir, 0o755);
    const { spawnSync } = await import('node:child_process');
    const { BACKEND_ARGS, COROJS, writeScript } = await import('./run-corojs.mjs');
    const script = writeScript(
      `try { fs.open(${JSON.stringify(file)}); } catch (e) { console.log(e.code, e.syscall); }`,
    );
    chmodSync(join(script, '..'), 0o755);
    chmodSync(script, 0o644);
    const r = spawnSync(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', COROJS, ...BACKEND_ARGS, script],
      { encoding: 'utf8' },
    );
    if (r.error || /Permission denied.*corojs|error while loading/.test(r.stderr)) {
      t.skip(`the runtime cannot run as nobody here: ${r.error?.message ?? r.stderr.trim()}`);
      return;
    }
    assert.equal(r.stdout.trim(), 'EACCES open', r.stderr);
  },
);

test('reads in many fibers at once each get their own bytes', async () => {
  const dir = scratch();
  for (let i = 0; i < 20; i++) writeFileSync(join(dir, `f${i}`), `content-${i}-`.repeat(1000));
  const r = await runSource(`
    const d = ${JSON.stringify(dir)};
    let ok = 0;
    for (let i = 0; i < 20; i++) Fiber.run(() => { if (fs.readFile(d + '/f' + i) === ('content-' + i + '-').repeat(1000)) ok++; });
    while (Fiber.stats().live > 1) Fiber.sleep(5);
    console.log(ok);`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), '20');
});
