// `npm run compare -- BASE.json NEW.json [--min-effect 0.05] [--alpha 0.05]`: exits 1 when a headline metric
// regressed significantly or cannot be tested in NEW (fail closed), 0 otherwise, 2 on a usage or file error.
import { readFileSync } from 'node:fs';
import { compareFiles, formatTable } from './compare/compare.js';
import { missingHeadlines, recordedErrors } from './compare/fail-closed.js';
import { metricsOf } from './compare/metrics.js';
import type { ResultFile } from './results/schema.js';
import { validateResultFile } from './results/validate.js';

const USAGE = `usage: npm run compare -- BASE.json NEW.json [--min-effect 0.05] [--alpha 0.05]

Compares two lab result files metric by metric (one-sided Mann-Whitney U on the repetitions, in the direction
of a regression, plus a minimum change of the median). Exit status 1, listing each reason, if a headline
metric (corojs/node20, corojs/node18 throughput ratios; corojs fiber switch over the raw switch) regressed,
is valid in BASE but missing or invalid in NEW, or NEW recorded an error; 0 if none; 2 on bad usage or an
unreadable or invalid file.`;

function main(argv: string[]): number {
  const files: string[] = [];
  const options = { minEffect: 0.05, alpha: 0.05 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') { console.log(USAGE); return 0; }
    if (arg === '--min-effect' || arg === '--alpha') {
      const value = Number(argv[++i]);
      if (!(value > 0 && value < 1)) { console.error(`compare: ${arg} needs a number between 0 and 1\n\n${USAGE}`); return 2; }
      if (arg === '--min-effect') options.minEffect = value; else options.alpha = value;
    } else if (arg.startsWith('--')) { console.error(`compare: unknown option ${arg}\n\n${USAGE}`); return 2; }
    else files.push(arg);
  }
  if (files.length !== 2) { console.error(`compare: needs exactly two result files\n\n${USAGE}`); return 2; }
  const parsed: ResultFile[] = [];
  for (const file of files) {
    let json: unknown;
    try { json = JSON.parse(readFileSync(file, 'utf8')); } catch (error) { console.error(`compare: cannot read ${file}: ${(error as Error).message}`); return 2; }
    const problems = validateResultFile(json);
    if (problems.length) { console.error(`compare: ${file} is not a lab result file:\n  ${problems.slice(0, 10).join('\n  ')}`); return 2; }
    parsed.push(json as ResultFile);
  }
  const rows = compareFiles(parsed[0]!, parsed[1]!, options);
  console.log(`base: ${files[0]} (${parsed[0]!.git_commit.slice(0, 10)}, ${parsed[0]!.created_at})`);
  console.log(`new:  ${files[1]} (${parsed[1]!.git_commit.slice(0, 10)}, ${parsed[1]!.created_at})`);
  console.log(`min effect ${(options.minEffect * 100).toFixed(1)}%, alpha ${options.alpha}\n`);
  console.log(formatTable(rows));
  const regressed = rows.filter((r) => r.headline && r.verdict === 'regressed');
  const failures = [
    ...regressed.map((r) => `regressed: ${r.metric}`),
    ...missingHeadlines(metricsOf(parsed[0]!), metricsOf(parsed[1]!), parsed[1]!),
    ...recordedErrors(parsed[1]!).map((e) => `the new run recorded an error: ${e}`),
  ];
  console.log(failures.length ? `\nFAIL (${failures.length} reason(s)):\n  ${failures.join('\n  ')}` : '\nPASS: no headline metric regressed, none missing, no recorded error');
  return failures.length ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
