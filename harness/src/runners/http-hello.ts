// http-hello: keep-alive "hello world" driven by wrk (C, one thread) and by autocannon (Node), closed loop.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabConfig } from '../lab-config.js';
import type { HttpLoadConfig, HttpLoadResult } from '../loadgen/autocannon-cli.js';
import { parseWrkOutput, WRK_CHECK_SCRIPT } from '../loadgen/wrk-output.js';
import { lastJsonLine, runCommand } from '../process/run-command.js';
import { startProcSampler } from '../recorders/proc-sampler.js';
import type { Measured, ServerWorkloadSpec } from './server-grid.js';

const autocannonCli = path.join(path.dirname(fileURLToPath(import.meta.url)), '../loadgen/autocannon-cli.js');
const SATURATED_PCT = 90;

function verdict(result: HttpLoadResult, generator: string): Measured {
  const measured: Measured = { throughputPerS: result.throughputPerS, latencyUs: result.latencyUs };
  if (result.errors || result.mismatches) measured.invalidReason = result.firstError ?? 'errors';
  else if (result.completed === 0) measured.invalidReason = 'no response';
  else if (result.cpuPct > SATURATED_PCT) measured.invalidReason = `${generator} saturated (${result.cpuPct}% CPU)`;
  return measured;
}

async function measureAutocannon(load: HttpLoadConfig, config: LabConfig): Promise<Measured> {
  const run = await runCommand([process.execPath, autocannonCli, JSON.stringify(load)], { cpus: config.loadCpus, timeoutMs: (load.warmupS + load.durationS) * 1000 + 30000 });
  const result = lastJsonLine<HttpLoadResult>(run.stdout);
  if (!result) throw new Error(`autocannon failed: ${run.stderr.trim().slice(-300)}`);
  return verdict(result, 'autocannon');
}

async function measureWrk(load: HttpLoadConfig, config: LabConfig): Promise<Measured> {
  mkdirSync(config.workDir, { recursive: true });
  const script = path.join(config.workDir, 'wrk-check.lua');
  writeFileSync(script, WRK_CHECK_SCRIPT);
  const wrk = (seconds: number, onSpawn?: (pid: number) => void) =>
    runCommand(['wrk', '-t1', `-c${load.connections}`, `-d${Math.max(1, Math.round(seconds))}s`, '--latency', '-s', script, load.url], { cpus: config.loadCpus, timeoutMs: (seconds + 30) * 1000, ...(onSpawn ? { onSpawn } : {}) });
  if (load.warmupS > 0) await wrk(load.warmupS);
  let sampler: ReturnType<typeof startProcSampler> | null = null;
  const run = await wrk(load.durationS, (pid) => (sampler = startProcSampler(pid, 100)));
  // Sampling stops when wrk has exited; its CPU over the run comes from the last sample taken while it lived.
  const cpuPct = (sampler as ReturnType<typeof startProcSampler> | null)?.stop().cpuPct ?? 0;
  if (run.code !== 0) throw new Error(`wrk failed (${run.code}): ${run.stderr.trim().slice(-300)}`);
  const parsed = parseWrkOutput(run.stdout);
  const result: HttpLoadResult = {
    completed: parsed.requests,
    errors: parsed.errors,
    mismatches: parsed.badResponses,
    elapsedS: parsed.seconds,
    throughputPerS: parsed.requests / parsed.seconds,
    latencyUs: parsed.latencyUs,
    cpuPct,
  };
  if (parsed.errors || parsed.badResponses) result.firstError = `wrk: ${parsed.errors} socket errors, ${parsed.badResponses} wrong responses`;
  return verdict(result, 'wrk');
}

export function httpHelloSpec(config: LabConfig): ServerWorkloadSpec {
  const connections = 100;
  const durationS = Math.max(1, Math.round(config.durationS));
  const load = (port: number): HttpLoadConfig => ({ url: `http://127.0.0.1:${port}/`, connections, warmupS: config.warmupS, durationS });
  return {
    name: 'http-hello',
    serverArgs: [],
    variants: [
      { variant: 'wrk', connections, modes: ['closed'], measure: (port) => measureWrk(load(port), config) },
      { variant: 'autocannon', connections, modes: ['closed'], measure: (port) => measureAutocannon(load(port), config) },
    ],
  };
}
