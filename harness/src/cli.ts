// `npm run lab`: runs the suite, writes the result file, prints the summary table, then renders the dashboard.
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAtRev, type AbBuild } from './ab-build.js';
import { parseArgs, USAGE } from './cli-args.js';
import { environment, gitCommit } from './env-fingerprint.js';
import { runCommand } from './process/run-command.js';
import { Progress } from './report/progress.js';
import { summaryTable } from './report/summary-table.js';
import { SCHEMA_VERSION, type ResultFile } from './results/schema.js';
import { writeResultFile } from './results/write.js';
import { runSuite } from './suite.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../../..');

async function main(): Promise<number> {
  const parsed = parseArgs(process.argv.slice(2), root);
  if (parsed.help) {
    console.log(USAGE);
    return 0;
  }
  if ('error' in parsed) {
    console.error(`lab: ${parsed.error}\n\n${USAGE}`);
    return 2;
  }
  const config = parsed.config;
  const progress = new Progress(0);
  let ab: AbBuild | null = null;
  if (config.abRev) {
    try {
      ab = buildAtRev(root, config.abRev, (line) => progress.note(line));
    } catch (error) {
      console.error(`lab: ${(error as Error).message}`);
      return 1;
    }
    config.abCorojs = ab.corojs;
  }
  progress.note(
    `${config.quick ? 'quick' : 'default'} suite, ${config.only ? config.only.join(',') : 'all workloads'}; servers on CPU ${config.serverCpus}, load on CPU ${config.loadCpus}; ${config.repetitions} x ${config.durationS}s per point`,
  );
  const env = environment(config, process.argv.slice(2));
  const createdAt = new Date().toISOString();
  let section;
  try {
    section = await runSuite(config, progress);
  } finally {
    rmSync(config.workDir, { recursive: true, force: true });
  }
  const file: ResultFile = {
    schema_version: SCHEMA_VERSION,
    created_at: createdAt,
    git_commit: gitCommit(root),
    env,
    workloads: section.workloads,
    switch_ladder: section.switch_ladder,
    stack: section.stack,
    memory: section.memory,
  };
  if (section.instructions?.length) file.instructions = section.instructions;
  if (Object.keys(section.conclusions).length) file.conclusions = section.conclusions;
  if (section.errors.length) file.errors = section.errors;
  if (section.not_run.length) file.not_run = section.not_run;
  if (ab && section.ab) file.ab = { rev: ab.rev, commit: ab.commit, corojs: ab.corojs, ...section.ab };
  const problems = writeResultFile(file, config.out);
  console.log(`\n${summaryTable(file)}\n\nresults: ${config.out}`);
  if (problems.length) console.error(`lab: the result file breaks the schema:\n  ${problems.join('\n  ')}`);
  const dashboard = path.join(here, '../../dashboard/src/dashboard-cli.js'); // the dashboard owns its CLI
  if (existsSync(dashboard)) {
    progress.note('rendering the dashboard');
    const run = await runCommand([process.execPath, dashboard, config.out], { timeoutMs: 120000 });
    process.stdout.write(run.stdout);
    if (run.code !== 0) console.error(`lab: dashboard renderer failed (${run.code}): ${run.stderr.trim().slice(-500)}`);
  }
  if (section.not_run.length) {
    console.log(
      `lab: not run on a peer (information, not a failure):\n  ${section.not_run.map((n) => `${n.target} ${n.workload}: ${n.reason.slice(0, 200)}`).join('\n  ')}`,
    );
  }
  if (section.errors.length) {
    console.error(
      `lab: ${section.errors.length} failure(s) while running (recorded in ${config.out} as errors):\n  ${section.errors.map((e) => `${e.workload}: ${e.message}`).join('\n  ')}`,
    );
  }
  return problems.length || section.errors.length ? 1 : 0;
}

process.exitCode = await main();
