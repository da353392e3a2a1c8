// Faults from the machine: file size limit (EFBIG), a full disk (ENOSPC on a small tmpfs, where mounting is
// allowed), permission denied (EACCES, as an unprivileged user), file descriptors exhausted (EMFILE for
// files, sockets and a server's accept loop). Each is a JS error with its code, and the runtime recovers
// when the condition clears.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKEND_ARGS, COROJS, runSource, writeScript } from '../behaviour/run-corojs.mjs';
import { startServer } from '../behaviour/corojs-server.mjs';

test('RLIMIT_FSIZE: a write past the limit is EFBIG, and writing works again once the file is smaller', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'corojs-fsize-'));
  const r = await runSource(
    `
    const path = ${JSON.stringify(join(dir, 'big.bin'))};
    const chunk = new Uint8Array(16384).fill(7);
    let written = 0, code = null;
    const f = fs.open(path, 'w');
    try { for (;;) { f.write(chunk); written += chunk.length; } } catch (e) { code = e.code; }
    f.close();
    fs.writeFile(path, 'small again');
    console.log(JSON.stringify({ code, written, after: fs.readFile(path) }));`,
    { shell: 'ulimit -f 256' },
  ); // 256 KiB
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.code, 'EFBIG');
  assert.equal(out.written, 256 * 1024);
  assert.equal(out.after, 'small again');
});

test('disk full: ENOSPC on a 256 KiB tmpfs, and writes succeed again after a file is removed', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'corojs-enospc-'));
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', dir]).status !== 0) {
    t.skip('cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN); RLIMIT_FSIZE above covers EFBIG');
    return;
  }
  try {
    const r = await runSource(`
      const dir = ${JSON.stringify(dir)};
      const chunk = new Uint8Array(32768).fill(1);
      let code = null, files = 0;
      try {
        for (;; files++) { const f = fs.open(dir + '/f' + files, 'w'); try { f.write(chunk); f.fsync(); } finally { f.close(); } }
      } catch (e) { code = e.code; }
      for (let i = 0; i <= files; i++) { try { fs.unlink(dir + '/f' + i); } catch {} }
      fs.writeFile(dir + '/again', 'room again');
      console.log(JSON.stringify({ code, files, again: fs.readFile(dir + '/again') }));`);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.code, 'ENOSPC');
    assert.ok(out.files >= 4 && out.files <= 8, `files before full: ${out.files}`);
    assert.equal(out.again, 'room again');
  } finally {
    spawnSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('permission denied: EACCES as an unprivileged user, then the open succeeds once the mode allows it', async (t) => {
  if (process.getuid() !== 0 || spawnSync('setpriv', ['--version']).status !== 0) {
    t.skip('needs root and setpriv to run the runtime as nobody');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'corojs-eacces-'));
  chmodSync(dir, 0o755);
  const file = join(dir, 'secret.txt');
  writeFileSync(file, 'open sesame');
  chmodSync(file, 0o600);
  const script = writeScript(`
    const path = ${JSON.stringify(file)};
    let first = null;
    for (let i = 0; i < 500; i++) {
      try { console.log('opened', fs.readFile(path)); break; }
      catch (e) { if (!first) { first = e.code; console.log('denied', e.code, e.syscall); } Fiber.sleep(10); }
    }`);
  chmodSync(join(script, '..'), 0o755);
  chmodSync(script, 0o644);
  const child = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', COROJS, ...BACKEND_ARGS, script]);
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise((resolve) => child.on('close', resolve));
  await new Promise((resolve) =>
    child.stdout
      .setEncoding('utf8')
      .on('data', (d) => {
        stdout += d;
        if (stdout.includes('denied')) resolve();
      })
      .on('end', resolve),
  );
  if (/error while loading|Permission denied.*corojs/.test(stderr)) {
    t.skip('the binary is not reachable as nobody');
    return;
  }
  chmodSync(file, 0o644);
  assert.equal(await exited, 0, stderr);
  assert.deepEqual(stdout.trim().split('\n'), ['denied EACCES open', 'opened open sesame']);
});

test('descriptors exhausted: files and sockets fail with EMFILE, and work again after closing', async () => {
  const r = await runSource(
    `
    const held = [];
    const codes = {};
    try { for (;;) held.push(fs.open(${JSON.stringify(COROJS)}, 'r')); } catch (e) { codes.file = e.code; }
    const server = net.createServer((s) => s.close());
    for (const h of held.splice(-4)) h.close();  // room for the listener
    Fiber.run(() => server.listen(0, '127.0.0.1'));
    try { for (;;) held.push(net.connect(server.address().port)); } catch (e) { codes.socket = e.code; }
    for (const h of held) h.close();
    const s = net.connect(server.address().port);
    const f = fs.open(${JSON.stringify(COROJS)}, 'r');
    codes.held = held.length > 10;
    f.close(); s.close(); server.close();
    console.log(JSON.stringify(codes));`,
    { shell: 'ulimit -n 64' },
  );
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { file: 'EMFILE', socket: 'EMFILE', held: true });
});

test(
  'a server out of descriptors sheds connections, then serves again when they close',
  { timeout: 60000 },
  async () => {
    const server = await startServer(
      `
    const server = net.createServer((s) => { for (let d; (d = s.read()) !== null;) s.write(d); });
    Fiber.run(() => server.listen(0, '127.0.0.1'));
    console.log(JSON.stringify(server.address()));`,
      { shell: 'ulimit -n 48' },
    );
    const { port } = server.info;
    try {
      // 100 clients against a 48-descriptor server: some are held, the rest shed (closed or never answered).
      const flood = await Promise.all(
        Array.from(
          { length: 100 },
          () =>
            new Promise((resolve) => {
              const s = net.connect(port, '127.0.0.1');
              s.on('error', () => resolve(s));
              s.on('connect', () => resolve(s));
            }),
        ),
      );
      await new Promise((r) => setTimeout(r, 500));
      for (const s of flood) s.destroy();
      await new Promise((r) => setTimeout(r, 500));
      for (let i = 0; i < 5; i++) {
        const reply = await new Promise((resolve, reject) => {
          const s = net.connect(port, '127.0.0.1', () => s.write(`ping ${i}`));
          s.setTimeout(5000, () => reject(new Error('no echo after the flood')));
          s.on('data', (d) => {
            resolve(String(d));
            s.destroy();
          });
          s.on('error', reject);
        });
        assert.equal(reply, `ping ${i}`);
      }
      assert.equal(server.proc.exitCode, null, server.output().stderr);
    } finally {
      await server.stop();
    }
  },
);
