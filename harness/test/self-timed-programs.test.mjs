// The self-timed twins (workloads/*.mjs on CoroJS, baselines/*.ts on Node 20): dns compares every answer exactly
// with the records configured in the harness's dnsmasq (a wrong expectation fails every lookup, on both sides)
// and reports dnsmasq's CPU over its window; file-io verifies what it read on both sides.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DNS_EXPECTED, DNS_QUERIES, DNSMASQ_RECORDS } from '../../build/ts/harness/src/runners/dns.js';
import { startDnsmasq } from '../../build/ts/harness/src/process/dnsmasq.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const COROJS = join(ROOT, 'build/corojs');
const twins = (name) => [
  ['corojs', [COROJS, join(ROOT, 'workloads', `${name}.mjs`)]],
  ['node20', [process.execPath, join(ROOT, 'build/ts/baselines', `${name}.js`)]],
];
const skip = existsSync(COROJS)
  ? existsSync('/usr/sbin/dnsmasq')
    ? false
    : 'dnsmasq not installed'
  : 'build/corojs not built';

function results(argv, args) {
  const out = execFileSync(argv[0], [...argv.slice(1), ...args], { encoding: 'utf8', timeout: 60000 });
  return out
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('RESULT '))
    .map((l) => JSON.parse(l.slice(7)));
}

test(
  'dns: every answer equals the configured records on both sides; a wrong record is caught; dnsmasq CPU read',
  { skip, timeout: 120000 },
  async () => {
    const server = await startDnsmasq(DNSMASQ_RECORDS, '0');
    try {
      for (const [label, argv] of twins('dns')) {
        const good = results(argv, [
          `127.0.0.1:${server.port}`,
          DNS_QUERIES.join(','),
          '0.2',
          '4',
          JSON.stringify(DNS_EXPECTED),
          String(server.pid),
        ]);
        assert.deepEqual(
          good.map((r) => r.variant),
          DNS_QUERIES.map((q) => q.split(':')[0]),
          label,
        );
        for (const r of good) {
          assert.equal(r.errors, 0, `${label} ${r.variant}: ${r.first_error}`);
          assert.ok(
            r.ops > 0 && typeof r.peer_cpu_pct === 'number',
            `${label} ${r.variant}: ${r.ops} ops, dnsmasq ${r.peer_cpu_pct}%`,
          );
        }
        // Clock ticks are 10 ms: over five windows dnsmasq's CPU shows.
        assert.ok(
          good.some((r) => r.peer_cpu_pct > 0),
          `${label}: dnsmasq CPU ${good.map((r) => r.peer_cpu_pct)}`,
        );
        const wrong = { ...DNS_EXPECTED, SRV: [{ name: 'web.lab.test', port: 8081, priority: 1, weight: 5 }] };
        const [bad] = results(argv, [
          `127.0.0.1:${server.port}`,
          'SRV:_http._tcp.lab.test',
          '0.2',
          '4',
          JSON.stringify(wrong),
          String(server.pid),
        ]);
        assert.equal(bad.ops, 0, label);
        assert.match(
          bad.first_error,
          /wrong SRV answer for _http\._tcp\.lab\.test: .*"port":8080.*expected .*"port":8081/,
          label,
        );
      }
    } finally {
      server.stop();
    }
  },
);

test(
  'file-io: reads are verified on both sides (no error on good data)',
  { skip: existsSync(COROJS) ? false : 'build/corojs not built', timeout: 120000 },
  () => {
    for (const [label, argv] of twins('file-io')) {
      const dir = mkdtempSync(join(tmpdir(), `corojs-fileio-${label}-`));
      const out = results(argv, [dir, 'read-4KiB,read-1MiB', '0.2', '2']);
      assert.deepEqual(
        out.map((r) => r.variant),
        ['read-4KiB', 'read-1MiB'],
        label,
      );
      for (const r of out)
        assert.ok(
          r.errors === 0 && r.ops > 0,
          `${label} ${r.variant}: ${r.ops} ops, ${r.errors} errors (${r.first_error})`,
        );
    }
  },
);
