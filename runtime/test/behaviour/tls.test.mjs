// tls: SNI certificate choice checked with `openssl s_client -servername`, Node's tls as client and server,
// hostile handshakes (garbage, disconnects, a throwing resolver, bad PEM) with no leaked handle.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import tls from 'node:tls';
import { once } from 'node:events';
import { selfSignedCert } from '../../../build/ts/harness/src/process/self-signed-cert.js';
import { startServer, ask } from './corojs-server.mjs';
import { runSource } from './run-corojs.mjs';

// Self-signed certificates for two names, made with the openssl CLI at test time (the lab's one recipe).
const dir = mkdtempSync(join(tmpdir(), 'corojs-tls-'));
for (const name of ['alpha.test', 'beta.test']) selfSignedCert(dir, name);
const pem = (name, kind) => readFileSync(join(dir, `${name}.${kind}`), 'utf8');

const serverSource = `
  const dir = ${JSON.stringify(dir)};
  const resolved = [];
  const server = tls.createServer({
    certificateResolver(servername) {
      resolved.push(servername);
      if (servername === 'throws.test') throw new Error('resolver refuses ' + servername);
      if (servername === 'badpem.test') return { key: 'not a key', cert: 'not a cert' };
      const name = servername === 'beta.test' ? 'beta.test' : 'alpha.test';
      return { key: fs.readFile(dir + '/' + name + '.key'), cert: fs.readFile(dir + '/' + name + '.crt') };
    },
  }, (socket) => {
    for (let data; (data = socket.read()) !== null;) {
      if (data === '?state\\n') { socket.write(JSON.stringify({ handles: __primordials.handles.count(), resolved }) + '\\n'); continue; }
      socket.write(data);
    }
  });
  Fiber.run(() => server.listen(0, '127.0.0.1'));
  console.log(JSON.stringify(server.address()));`;

function tlsExchange(port, servername, message, ca = pem(servername, 'crt')) {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ port, host: '127.0.0.1', servername, ca }, () => socket.write(message));
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (d) => {
      data += d;
      if (data.length >= message.length) socket.end();
    });
    socket.on('end', () => resolve({ data, protocol: socket.getProtocol() }));
    socket.on('error', reject);
  });
}

async function state(port) {
  const { data } = await tlsExchange(port, 'alpha.test', '?state\n');
  return JSON.parse(data);
}

test('openssl s_client -servername sees the certificate the resolver chose for that name', async () => {
  const server = await startServer(serverSource);
  try {
    for (const name of ['alpha.test', 'beta.test']) {
      const r = spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${server.info.port}`, '-servername', name], {
        input: '',
        encoding: 'utf8',
        timeout: 15000,
      });
      assert.match(r.stdout, new RegExp(`subject=CN ?= ?${name.replace('.', '\\.')}`), r.stdout + r.stderr);
    }
  } finally {
    await server.stop();
  }
});

test('Node tls clients over TLS 1.2 and 1.3, SNI contexts cached per servername, close_notify at the end', async () => {
  const server = await startServer(serverSource);
  try {
    const { port } = server.info;
    for (const name of ['alpha.test', 'beta.test', 'beta.test']) {
      const { data, protocol } = await tlsExchange(port, name, `héllo ${name} 😀`);
      assert.equal(data, `héllo ${name} 😀`);
      assert.equal(protocol, 'TLSv1.3');
    }
    const tls12 = await new Promise((resolve, reject) => {
      const s = tls.connect(
        { port, host: '127.0.0.1', servername: 'beta.test', ca: pem('beta.test', 'crt'), maxVersion: 'TLSv1.2' },
        () => {
          s.write('v12');
        },
      );
      s.on('data', (d) => {
        resolve({ data: d.toString(), protocol: s.getProtocol() });
        s.end();
      });
      s.on('error', reject);
    });
    assert.deepEqual(tls12, { data: 'v12', protocol: 'TLSv1.2' });
    const { resolved } = await state(port);
    assert.deepEqual([...new Set(resolved)].sort(), ['alpha.test', 'beta.test']);
    assert.equal(resolved.filter((n) => n === 'beta.test').length, 1, 'the beta.test context was not cached');
  } finally {
    await server.stop();
  }
});

test('a CoroJS tls client verifies the peer against ca, checks the name, and sees EOF on close_notify', async () => {
  const node = tls.createServer({ key: pem('beta.test', 'key'), cert: pem('beta.test', 'crt') }, (s) => {
    s.once('data', (d) => s.end(`echo:${d}`));
  });
  node.listen(0, '127.0.0.1');
  await once(node, 'listening');
  try {
    const r = await runSource(`
      const ca = ${JSON.stringify(pem('beta.test', 'crt'))};
      const port = ${node.address().port};
      const c = tls.connect(port, '127.0.0.1', { servername: 'beta.test', ca });
      c.write('ping');
      console.log(c.read(), c.read());
      c.close();
      const attempt = (options) => { try { tls.connect(port, '127.0.0.1', options).close(); return 'ok'; } catch (e) { return e.code; } };
      console.log(attempt({ servername: 'alpha.test', ca }));
      console.log(attempt({ servername: 'beta.test', ca: ${JSON.stringify(pem('alpha.test', 'crt'))} }));
      console.log(attempt({ servername: 'beta.test' }));
      console.log(attempt({ servername: 'beta.test', rejectUnauthorized: false }));`);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), [
      'echo:ping null',
      'ERR_TLS_CERT_ALTNAME_INVALID',
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'ok',
    ]);
  } finally {
    node.close();
  }
});

test('hostile handshakes fail alone: garbage, disconnects, a throwing resolver, bad PEM; nothing leaks', async () => {
  const server = await startServer(serverSource);
  try {
    const { port } = server.info;
    const raw = async (bytes, { thenClose = true } = {}) => {
      const s = net.connect(port, '127.0.0.1');
      s.on('error', () => {});
      await once(s, 'connect');
      s.write(bytes);
      if (thenClose) {
        await new Promise((r) => setTimeout(r, 20));
        s.destroy();
      } else await once(s, 'close');
    };
    await raw('GET / HTTP/1.1\r\nHost: x\r\n\r\n', { thenClose: false }); // garbage instead of a ClientHello
    await raw(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00])); // a truncated ClientHello
    await raw(Buffer.alloc(0)); // connect and vanish
    for (const name of ['throws.test', 'badpem.test']) {
      await assert.rejects(tlsExchange(port, name, 'x', pem('alpha.test', 'crt')));
    }
    await new Promise((r) => setTimeout(r, 100));
    const { data } = await tlsExchange(port, 'beta.test', 'still serving');
    assert.equal(data, 'still serving');
    const { handles } = await state(port);
    assert.equal(handles.total, 3, JSON.stringify(handles)); // server socket, context, the ?state connection
    const { stderr } = server.output();
    assert.match(stderr, /resolver refuses throws\.test/);
    assert.match(stderr, /ERR_TLS_CERT_RESOLVER/);
  } finally {
    await server.stop();
  }
});

test('tls primordials reject bad arguments and wrong handle kinds', async () => {
  const r = await runSource(`
    const p = __primordials.tls;
    const show = (fn) => { try { fn(); return 'returned'; } catch (e) { return e.name + ' ' + e.code; } };
    const file = __primordials.fs.open('/dev/null');
    console.log([show(() => p.createContext('nope')), show(() => p.accept(file, file)), show(() => p.read(99999n)),
      show(() => tls.createServer({}, () => {})), show(() => p.write(file, 'x'))].join('|'));`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout.trim(),
    'TypeError ERR_INVALID_ARG_TYPE|TypeError ERR_INVALID_HANDLE_TYPE|Error EBADF|TypeError ERR_INVALID_ARG_TYPE|TypeError ERR_INVALID_HANDLE_TYPE',
  );
});
