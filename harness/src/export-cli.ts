// `npm run export -- --format bencher|github-action-benchmark FILE [--out DIR]`: writes the headline metrics of
// a lab result file for an existing tracker. Exit 0, or 2 on bad usage or an unreadable or invalid file.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { toActionBenchmark, toBencher } from './compare/export.js';
import { readResultFile } from './results/read.js';

const USAGE = `usage: npm run export -- --format bencher|github-action-benchmark FILE [--out DIR]

Writes one entry per headline metric (the within-run ratios npm run compare gates on), with its unit:
  bencher                  DIR/bencher.json: Bencher Metric Format (bencher run --adapter json --file ...)
  github-action-benchmark  DIR/customBiggerIsBetter.json and DIR/customSmallerIsBetter.json, one per
                           github-action-benchmark tool of that name
DIR defaults to results/export.`;

function main(argv: string[]): number {
  let format: string | null = null;
  let out = 'results/export';
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      return 0;
    }
    if (arg === '--format' || arg === '--out') {
      const value = argv[++i];
      if (value === undefined) {
        console.error(`export: ${arg} needs a value\n\n${USAGE}`);
        return 2;
      }
      if (arg === '--format') format = value;
      else out = value;
    } else if (arg.startsWith('--')) {
      console.error(`export: unknown option ${arg}\n\n${USAGE}`);
      return 2;
    } else files.push(arg);
  }
  if (format !== 'bencher' && format !== 'github-action-benchmark') {
    console.error(`export: --format must be bencher or github-action-benchmark\n\n${USAGE}`);
    return 2;
  }
  if (files.length !== 1) {
    console.error(`export: needs exactly one result file\n\n${USAGE}`);
    return 2;
  }
  const read = readResultFile(files[0]!);
  if (!read.ok) {
    console.error(
      `export: ${files[0]} is not a readable lab result file:\n  ${read.problems.slice(0, 10).join('\n  ')}`,
    );
    return 2;
  }
  const file = read.file;
  mkdirSync(out, { recursive: true });
  const outputs: Array<[string, unknown]> =
    format === 'bencher'
      ? [['bencher.json', toBencher(file)]]
      : Object.entries(toActionBenchmark(file)).map(([tool, list]) => [`${tool}.json`, list]);
  for (const [name, data] of outputs) {
    const target = path.join(out, name);
    writeFileSync(target, `${JSON.stringify(data, null, 1)}\n`);
    console.log(
      `${target}: ${Array.isArray(data) ? data.length : Object.keys(data as object).length} headline metric(s)`,
    );
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
