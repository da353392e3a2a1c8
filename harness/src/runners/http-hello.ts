// http-hello: keep-alive "hello world". The native generator (HTTP/1.1 GETs, every response parsed and its body
// checked) runs closed loop and the open-loop ladder; wrk (C, one thread, Lua body check) and, in the default
// suite, autocannon (Node) run closed loop beside it as cross-checks.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabConfig } from '../lab-config.js';
import type { HttpLoadConfig, HttpLoadResult } from '../loadgen/autocannon-cli.js';
import { parseWrkOutput, wrkCheckScript } from '../loadgen/wrk-output.js';
import { generatorFigures, loadInvalidReason } from '../loadgen/validity.js';
import { lastJsonLine, runCommand } from '../process/run-command.js';
import { loadVariant } from './load-point.js';
import {
  serverWorkload,
  type Measured,
  type ServerHandle,
  type ServerWorkloadSpec,
  type VariantSpec,
} from './server-grid.js';
import { concurrencyOf, variantsOf, type WorkloadDeclaration } from './workload.js';

const autocannonCli = path.join(path.dirname(fileURLToPath(import.meta.url)), '../loadgen/autocannon-cli.js');

function verdict(result: HttpLoadResult, generator: string, serverCpuS?: number): Measured {
  const measured: Measured = {
    throughputPerS: result.throughputPerS,
    latencyUs: result.latencyUs,
    generator,
    generatorCpuPct: result.cpuPct,
  };
  if (result.serverCpuPct !== undefined) measured.serverCpuPct = result.serverCpuPct;
  if (serverCpuS !== undefined && result.completed > 0)
    measured.serverCpuUsPerOp = Math.round((serverCpuS * 1e8) / result.completed) / 100;
  const why = loadInvalidReason(generatorFigures(generator, result), 'closed');
  if (why) measured.invalidReason = why;
  return measured;
}

async function measureAutocannon(load: HttpLoadConfig, config: LabConfig): Promise<Measured> {
  const run = await runCommand([process.execPath, autocannonCli, JSON.stringify(load)], {
    cpus: config.loadCpus,
    timeoutMs: (load.warmupS + load.durationS) * 1000 + 30000,
  });
  const result = lastJsonLine<HttpLoadResult>(run.stdout);
  if (!result) throw new Error(`autocannon failed: ${run.stderr.trim().slice(-300)}`);
  return verdict(result, 'autocannon', result.serverCpuS);
}

async function measureWrk(load: HttpLoadConfig, serverPid: number, config: LabConfig): Promise<Measured> {
  mkdirSync(config.workDir, { recursive: true });
  const script = path.join(config.workDir, `wrk-check-${serverPid}.lua`);
  writeFileSync(script, wrkCheckScript(serverPid));
  const wrk = (seconds: number) =>
    runCommand(
      [
        'wrk',
        '-t1',
        `-c${load.connections}`,
        `-d${Math.max(1, Math.round(seconds))}s`,
        '--latency',
        '-s',
        script,
        load.url,
      ],
      { cpus: config.loadCpus, timeoutMs: (seconds + 30) * 1000 },
    );
  if (load.warmupS > 0) await wrk(load.warmupS);
  const run = await wrk(load.durationS);
  if (run.code !== 0) throw new Error(`wrk failed (${run.code}): ${run.stderr.trim().slice(-300)}`);
  const parsed = parseWrkOutput(run.stdout);
  const result: HttpLoadResult = {
    completed: parsed.requests,
    errors: parsed.errors,
    mismatches: parsed.badResponses,
    elapsedS: parsed.seconds,
    throughputPerS: parsed.requests / parsed.seconds,
    latencyUs: parsed.latencyUs,
    cpuPct: parsed.cpu?.wrkPct ?? 0,
  };
  if (parsed.cpu) result.serverCpuPct = parsed.cpu.serverPct;
  if (parsed.errors || parsed.badResponses)
    result.firstError = `wrk: ${parsed.errors} socket errors, ${parsed.badResponses} wrong responses`;
  return verdict(result, 'wrk', parsed.cpu?.serverCpuS);
}

export const HTTP_HELLO = {
  name: 'http-hello',
  about:
    'keep-alive "hello world" over 100 connections: the native generator (closed and open loop), wrk and autocannon',
  variants: ['native', 'wrk', 'autocannon'],
  // autocannon saturates its core long before any server here; the quick suite leaves it out for time.
  quick: ['native', 'wrk'],
  concurrency: 100,
  program: { name: 'http-hello', forms: { serve: ['port', 'host'] } },
} satisfies WorkloadDeclaration;

export function httpHelloSpec(config: LabConfig): ServerWorkloadSpec {
  const connections = concurrencyOf(HTTP_HELLO, 'native');
  const durationS = Math.max(1, Math.round(config.durationS));
  const load = (server: ServerHandle): HttpLoadConfig => ({
    url: `http://127.0.0.1:${server.port}/`,
    connections,
    warmupS: config.warmupS,
    durationS,
    serverPid: server.pid,
  });
  const all: VariantSpec[] = [
    loadVariant(config, 'native', connections, ['closed', 'open'], {
      kind: 'http',
      transport: 'tcp',
      pattern: 'steady',
      messageSize: 0,
    }),
    {
      variant: 'wrk',
      connections,
      modes: ['closed'],
      measure: (server) => measureWrk(load(server), server.pid, config),
    },
    {
      variant: 'autocannon',
      connections,
      modes: ['closed'],
      measure: (server) => measureAutocannon(load(server), config),
    },
  ];
  const wanted = variantsOf(HTTP_HELLO, config.quick);
  return { name: HTTP_HELLO.name, serverArgs: {}, variants: all.filter((v) => wanted.includes(v.variant)) };
}

export const httpHello = serverWorkload(HTTP_HELLO, httpHelloSpec);
