// dns: dns.resolve against a real dnsmasq started on a free loopback port with known records.
import test from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { startDnsmasq as startLabDnsmasq } from '../../../build/ts/harness/src/process/dnsmasq.js';
import { runSource } from './run-corojs.mjs';

// The lab's dnsmasq starter: a port below the ephemeral range (free for UDP and TCP), retried if taken.
const startDnsmasq = () =>
  startLabDnsmasq([
    '--local=/lab.test/',
    '--host-record=web.lab.test,10.0.0.7,fd00::7',
    '--cname=www.lab.test,web.lab.test',
    '--mx-host=lab.test,mail.lab.test,10',
    '--mx-host=lab.test,backup.lab.test,20',
    '--txt-record=lab.test,v=spf1 -all,second chunk',
    '--srv-host=_http._tcp.lab.test,web.lab.test,8080,1,5',
    '--ptr-record=7.0.0.10.in-addr.arpa,web.lab.test',
    '--caa-record=lab.test,0,issue,ca.lab.test',
  ]);

test('dns.resolve returns every record type in the spec shape from a real DNS server', async () => {
  const server = await startDnsmasq();
  try {
    const r = await runSource(`
      dns.setServers(['127.0.0.1:${server.port}']);
      const show = (name, type) => { try { return JSON.stringify(dns.resolve(name, type)); } catch (e) { return e.code + ' ' + e.hostname; } };
      for (const [name, type] of [['web.lab.test'], ['web.lab.test', 'AAAA'], ['lab.test', 'MX'], ['lab.test', 'TXT'],
          ['_http._tcp.lab.test', 'SRV'], ['www.lab.test', 'CNAME'], ['www.lab.test', 'A'], ['10.0.0.7', 'PTR'],
          ['lab.test', 'CAA'], ['lab.test', 'soa'], ['missing.lab.test', 'A'], ['web.lab.test', 'MX']]) {
        console.log(show(name, type));
      }
      console.log(JSON.stringify(dns.getServers()));`);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.deepEqual(JSON.parse(lines[0]), { A: ['10.0.0.7'] });
    assert.deepEqual(JSON.parse(lines[1]), { AAAA: ['fd00::7'] });
    assert.deepEqual(
      JSON.parse(lines[2]).MX.sort((a, b) => a.priority - b.priority),
      [
        { exchange: 'mail.lab.test', priority: 10 },
        { exchange: 'backup.lab.test', priority: 20 },
      ],
    );
    assert.deepEqual(JSON.parse(lines[3]), { TXT: [['v=spf1 -all', 'second chunk']] });
    assert.deepEqual(JSON.parse(lines[4]), { SRV: [{ name: 'web.lab.test', port: 8080, priority: 1, weight: 5 }] });
    assert.deepEqual(JSON.parse(lines[5]), { CNAME: ['web.lab.test'] });
    assert.deepEqual(JSON.parse(lines[6]), { A: ['10.0.0.7'] });
    assert.deepEqual(JSON.parse(lines[7]), { PTR: ['web.lab.test'] });
    assert.deepEqual(JSON.parse(lines[8]), { CAA: [{ critical: 0, issue: 'ca.lab.test' }] });
    assert.match(lines[9], /^(\{"SOA":\{"nsname".*\}\}|ENODATA lab\.test)$/);
    assert.equal(lines[10], 'ENOTFOUND missing.lab.test');
    assert.equal(lines[11], 'ENODATA web.lab.test');
    assert.deepEqual(JSON.parse(lines[12]), [`127.0.0.1:${server.port}`]);
  } finally {
    server.stop();
  }
});

test('queries from many fibers at once, each blocking only itself', async () => {
  const server = await startDnsmasq();
  try {
    const r = await runSource(`
      dns.setServers(['127.0.0.1:${server.port}']);
      let ok = 0, ticks = 0;
      Fiber.run(() => { for (let i = 0; i < 5; i++) { Fiber.sleep(1); ticks++; } });
      for (let i = 0; i < 50; i++) Fiber.run(() => { if (dns.resolve(i % 2 ? 'web.lab.test' : 'www.lab.test').A[0] === '10.0.0.7') ok++; });
      while (Fiber.stats().live > 1) Fiber.sleep(5);
      console.log(ok, ticks);`);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), '50 5');
  } finally {
    server.stop();
  }
});

test('failures carry code and hostname: ETIMEOUT, ECONNREFUSED, and bad arguments', async () => {
  const silent = dgram.createSocket('udp4'); // swallows queries: a timeout
  silent.bind(0, '127.0.0.1');
  await once(silent, 'listening');
  try {
    const r = await runSource(`
      dns.configure({ timeout: 200, tries: 1 });
      const show = (fn) => { try { fn(); return 'no error'; } catch (e) { return [e.code, e.hostname, e.syscall].join(' '); } };
      dns.setServers(['127.0.0.1:${silent.address().port}']);
      console.log(show(() => dns.resolve('slow.test')));
      dns.setServers(['127.0.0.1:1']);
      console.log(show(() => dns.resolve('refused.test', 'MX')));
      console.log(show(() => dns.resolve('x.test', 'BOGUS')), show(() => dns.resolve(42)), show(() => dns.setServers('nope')));`);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), [
      'ETIMEOUT slow.test queryA',
      'ECONNREFUSED refused.test queryMX',
      'ERR_INVALID_ARG_VALUE   ERR_INVALID_ARG_TYPE   ERR_INVALID_ARG_TYPE',
    ]);
  } finally {
    silent.close();
  }
});
