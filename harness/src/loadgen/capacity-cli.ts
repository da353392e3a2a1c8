// Load generator capacity: `node build/ts/harness/src/loadgen/capacity-cli.js [seconds]`. For each generator
// (native TCP echo, TLS echo steady and per-handshake, HTTP; the Node echo client; wrk), against the fastest
// target of its workload (highest closed-loop throughput under the native generator): the closed-loop rate
// and both sides' CPU, then the highest open-loop rate at which the generator keeps its schedule (rates rising
// by 1.25x from 30 % of the closed-loop rate until the send lag p99 passes the limit, an error, or the server
// falls behind). Pinned like the lab: servers on CPU 0, generators on CPU 1.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from '../cli-args.js';
import { startServer, type RunningServer } from '../process/server-process.js';
import { runCommand } from '../process/run-command.js';
import { fiberTargets, targetArgv } from '../targets.js';
import { ensureTlsEchoCerts, TLS_NAMES } from '../runners/tls-echo.js';
import type { LoadConfig } from './loadgen-protocol.js';
import { runLoadgen } from './run-loadgen.js';
import { MAX_SEND_LAG_P99_US } from './validity.js';
import { parseWrkOutput, wrkCheckScript } from './wrk-output.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');
const seconds = Number(process.argv[2] ?? 1);
const parsed = parseArgs(['--quick'], root);
if (!('config' in parsed)) throw new Error('config');
const config = parsed.config;
const certDir = ensureTlsEchoCerts(config);
const tls = {
  ca: TLS_NAMES.map((n) => readFileSync(path.join(certDir, `${n}.crt`), 'utf8')).join(''),
  servernames: TLS_NAMES,
};

interface Case {
  label: string;
  workload: string;
  serverArgs: string[];
  load: Omit<LoadConfig, 'port' | 'mode'>;
  js?: boolean;
}
const base = {
  host: '127.0.0.1',
  warmupS: 0.3,
  durationS: seconds,
  connections: 100,
  messageSize: 64,
  pattern: 'steady' as const,
  drainS: 1,
};
const cases: Case[] = [
  {
    label: 'native tcp-echo 64B',
    workload: 'tcp-echo',
    serverArgs: [],
    load: { ...base, kind: 'echo', transport: 'tcp' },
  },
  {
    label: 'node tcp-echo 64B',
    workload: 'tcp-echo',
    serverArgs: [],
    load: { ...base, kind: 'echo', transport: 'tcp' },
    js: true,
  },
  {
    label: 'native tls-echo steady-64B',
    workload: 'tls-echo',
    serverArgs: [certDir, TLS_NAMES.join(',')],
    load: { ...base, kind: 'echo', transport: 'tls', tls },
  },
  {
    label: 'node tls-echo steady-64B',
    workload: 'tls-echo',
    serverArgs: [certDir, TLS_NAMES.join(',')],
    load: { ...base, kind: 'echo', transport: 'tls', tls },
    js: true,
  },
  {
    label: 'native tls-echo handshake',
    workload: 'tls-echo',
    serverArgs: [certDir, TLS_NAMES.join(',')],
    load: { ...base, kind: 'echo', transport: 'tls', tls, pattern: 'handshake', connections: 16 },
  },
  {
    label: 'node tls-echo handshake',
    workload: 'tls-echo',
    serverArgs: [certDir, TLS_NAMES.join(',')],
    load: { ...base, kind: 'echo', transport: 'tls', tls, pattern: 'handshake', connections: 16 },
    js: true,
  },
  {
    label: 'native http-hello',
    workload: 'http-hello',
    serverArgs: [],
    load: { ...base, kind: 'http', transport: 'tcp', messageSize: 0 },
  },
];

const jsEnv = { ...process.env, LAB_JS_LOADGEN: '1' };
const round = (x: number | undefined): string => (x === undefined ? '-' : String(Math.round(x)));
const { targets } = await fiberTargets(config);
const fastest = new Map<string, { server: RunningServer; label: string }>();
try {
  for (const c of cases) {
    let pick = fastest.get(c.workload + c.load.pattern);
    if (!pick) {
      let best = -1;
      for (const target of targets) {
        const server = await startServer(
          targetArgv(config, target, c.workload, ['0', '127.0.0.1', ...c.serverArgs]),
          config.serverCpus,
        );
        const r = await runLoadgen(
          { ...c.load, port: server.port, serverPid: server.pid, mode: 'closed' },
          config.loadCpus,
        );
        if (r.throughputPerS > best && !r.errors && !r.mismatches) {
          if (pick) await pick.server.stop();
          best = r.throughputPerS;
          pick = { server, label: target.label };
        } else await server.stop();
      }
      if (!pick) throw new Error(`${c.workload}: no target answered`);
      fastest.set(c.workload + c.load.pattern, pick);
    }
    const { server, label } = pick;
    const closed = await runLoadgen(
      { ...c.load, port: server.port, serverPid: server.pid, mode: 'closed' },
      config.loadCpus,
      c.js ? jsEnv : undefined,
    );
    let rate = Math.max(10, Math.round(closed.throughputPerS * 0.3));
    let kept: { rate: number; lag?: number; cpu: number } | null = null;
    for (let step = 0; step < 12; step++, rate = Math.round(rate * 1.25)) {
      const r = await runLoadgen(
        { ...c.load, port: server.port, serverPid: server.pid, mode: 'open', ratePerS: rate },
        config.loadCpus,
        c.js ? jsEnv : undefined,
      );
      if (r.errors || r.mismatches || (r.lagP99Us ?? 0) > MAX_SEND_LAG_P99_US || r.throughputPerS < rate * 0.97) break;
      kept = { rate, cpu: r.cpuPct, ...(r.lagP99Us !== undefined ? { lag: r.lagP99Us } : {}) };
    }
    console.log(
      `${c.label.padEnd(28)} vs ${label.padEnd(16)} closed ${round(closed.throughputPerS).padStart(7)}/s (generator ${closed.cpuPct}%, server ${closed.serverCpuPct}%)` +
        `  open: keeps ${kept ? `${kept.rate}/s (lag p99 ${kept.lag} us, generator ${kept.cpu}%)` : 'no rate'}`,
    );
  }
  const http = fastest.get('http-hellosteady');
  if (http) {
    const dir = path.join(config.workDir, 'wrk');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'check.lua'), wrkCheckScript(http.server.pid));
    const run = await runCommand(
      [
        'wrk',
        '-t1',
        '-c100',
        `-d${Math.max(1, Math.round(seconds))}s`,
        '-s',
        path.join(dir, 'check.lua'),
        `http://127.0.0.1:${http.server.port}/`,
      ],
      { cpus: config.loadCpus, timeoutMs: 60000 },
    );
    const w = parseWrkOutput(run.stdout);
    console.log(
      `${'wrk http-hello'.padEnd(28)} vs ${http.label.padEnd(16)} closed ${round(w.requests / w.seconds).padStart(7)}/s (wrk ${w.cpu?.wrkPct}%, server ${w.cpu?.serverPct}%)  (wrk has no open loop)`,
    );
  }
} finally {
  await Promise.all([...fastest.values()].map((p) => p.server.stop()));
  rmSync(config.workDir, { recursive: true, force: true });
}
process.exit(0);
