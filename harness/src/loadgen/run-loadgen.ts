// Runs the load generator as its own process pinned to the load CPUs and returns its LoadResult.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lastJsonLine, runCommand } from '../process/run-command.js';
import type { EchoLoadConfig, LoadResult } from './loadgen-protocol.js';

const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), 'loadgen-cli.js');

export async function runLoadgen(config: EchoLoadConfig, cpus: string): Promise<LoadResult> {
  const timeoutMs = (config.warmupS + config.durationS) * 1000 + 30000;
  const run = await runCommand([process.execPath, cli, JSON.stringify(config)], { cpus, timeoutMs });
  const result = lastJsonLine<LoadResult>(run.stdout);
  if (!result) throw new Error(`load generator failed (${run.timedOut ? 'timeout' : `exit ${run.code}`}): ${run.stderr.trim().slice(-400)}`);
  return result;
}

// Why a repetition measured by this LoadResult cannot be trusted, or undefined.
export function loadInvalidReason(result: LoadResult, mode: 'closed' | 'open', saturationPct = 90, maxLagUs = 1000): string | undefined {
  if (result.errors > 0) return `${result.errors} error(s): ${result.firstError ?? ''}`;
  if (result.mismatches > 0) return `${result.mismatches} wrong answer(s): ${result.firstError ?? ''}`;
  if (result.completed === 0) return 'no reply completed';
  if (mode === 'closed' && result.cpuPct > saturationPct) return `load generator saturated (${result.cpuPct}% CPU)`;
  if (mode === 'open' && (result.lagP99Us ?? 0) > maxLagUs) return `load generator lagging (send lag p99 ${result.lagP99Us} us)`;
  return undefined;
}
