// net and tls share their server and port checks (runtime/lib/stream-server.js): the same bad input must be
// refused by both with the same error `code`, whichever module it is given to.
import test from 'node:test';
import assert from 'node:assert/strict';
import { runSource } from './run-corojs.mjs';

test('net and tls reject the same bad inputs with the same code', async () => {
  const r = await runSource(`
    const codeOf = (fn) => { try { fn(); return 'no error'; } catch (e) { return e?.code ?? 'no code: ' + e; } };
    const resolver = { certificateResolver: () => { throw new Error('no handshake expected'); } };
    const make = {
      net: (handler) => net.createServer(handler),
      tls: (handler) => tls.createServer(resolver, handler),
    };
    // A port that was free a moment ago and one that is taken while the cases run.
    const probe = net.createServer(() => {});
    Fiber.run(() => probe.listen(0, '127.0.0.1'));
    const closedPort = probe.address().port;
    probe.close();
    const holder = net.createServer(() => {});
    Fiber.run(() => holder.listen(0, '127.0.0.1'));
    const takenPort = holder.address().port;

    const listenTwice = (api) => () => {
      const server = make[api](() => {});
      Fiber.run(() => server.listen(0, '127.0.0.1'));
      try { server.listen(0, '127.0.0.1'); } finally { server.close(); }
    };
    const listenAfterClose = (api) => () => {
      const server = make[api](() => {});
      server.close();
      server.listen(0, '127.0.0.1');
    };
    const cases = {};
    for (const port of [-1, 65536, 1.5, '80', NaN, null, undefined, 2 ** 53]) {
      cases['connect port ' + String(port)] = (api) => () => globalThis[api].connect(port);
      cases['listen port ' + String(port)] = (api) => () => make[api](() => {}).listen(port);
    }
    cases['handler 42'] = (api) => () => make[api](42);
    cases['handler missing'] = (api) => () => make[api]();
    cases['listen twice'] = listenTwice;
    cases['listen after close'] = listenAfterClose;
    cases['listen on a taken port'] = (api) => () => make[api](() => {}).listen(takenPort, '127.0.0.1');
    cases['connect to a closed port'] = (api) => () => globalThis[api].connect(closedPort, '127.0.0.1');
    const results = {};
    for (const [name, attempt] of Object.entries(cases)) {
      results[name] = { net: codeOf(attempt('net')), tls: codeOf(attempt('tls')) };
    }
    holder.close();
    console.log(JSON.stringify(results));`);
  assert.equal(r.code, 0, r.stderr);
  const results = JSON.parse(r.stdout);
  for (const [name, { net, tls }] of Object.entries(results)) {
    assert.match(net, /^E[A-Z_]+$/, `${name}: net gave ${net}`);
    assert.equal(tls, net, `${name}: tls gave ${tls}, net ${net}`);
  }
  assert.equal(results['connect port -1'].net, 'ERR_SOCKET_BAD_PORT');
  assert.equal(results['listen port 1.5'].net, 'ERR_SOCKET_BAD_PORT');
  assert.equal(results['handler 42'].net, 'ERR_INVALID_ARG_TYPE');
  assert.equal(results['listen twice'].net, 'ERR_SERVER_ALREADY_LISTEN');
  assert.equal(results['listen on a taken port'].net, 'EADDRINUSE');
  assert.equal(results['connect to a closed port'].net, 'ECONNREFUSED');
});
