// Runs the load generator as its own process pinned to the load CPUs and returns its LoadResult.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lastJsonLine, runCommand } from '../process/run-command.js';
import type { LoadConfig, LoadResult } from './loadgen-protocol.js';

const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), 'loadgen-cli.js');

export async function runLoadgen(config: LoadConfig, cpus: string, env?: NodeJS.ProcessEnv): Promise<LoadResult> {
  const timeoutMs = (config.warmupS + config.durationS + (config.drainS ?? 2)) * 1000 + 30000;
  const run = await runCommand([process.execPath, cli, JSON.stringify(config)], {
    cpus,
    timeoutMs,
    ...(env ? { env } : {}),
  });
  const result = lastJsonLine<LoadResult>(run.stdout);
  if (!result)
    throw new Error(
      `load generator failed (${run.timedOut ? 'timeout' : `exit ${run.code}`}): ${run.stderr.trim().slice(-400)}`,
    );
  return result;
}
