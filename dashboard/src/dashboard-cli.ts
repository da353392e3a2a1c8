// `npm run dashboard [-- FILE...] [--out-dir DIR]`: renders lab result files (default: results/*.json) into
// one self-contained page, DIR/index.html (default results/dashboard/). The newest file is the run shown in
// detail; all of them make the trends across commits.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readResultFile } from '../../harness/src/results/read.js';
import type { ResultFile } from '../../harness/src/results/schema.js';
import { buildModel } from './model.js';
import { writeDashboard } from './render.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../../..');

function main(argv: string[]): number {
  let outDir = path.join(root, 'results/dashboard');
  const named: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out-dir') outDir = path.resolve(argv[++i] ?? '');
    else if (argv[i] === '--help') {
      console.log('usage: npm run dashboard -- [result.json ...] [--out-dir DIR]');
      return 0;
    } else named.push(path.resolve(argv[i]!));
  }
  // The results folder's files give the trends; files named on the command line are always included.
  const resultsDir = path.join(root, 'results');
  const found = existsSync(resultsDir)
    ? readdirSync(resultsDir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => path.join(resultsDir, f))
    : [];
  const files: ResultFile[] = [];
  const fromCommandLine = new Set<ResultFile>();
  for (const file of new Set([...found, ...named])) {
    // Any schema version the reader knows (v1 files are converted), else skipped with the first problem.
    const read = readResultFile(file);
    if (!read.ok) {
      console.error(`dashboard: skipping ${file}: not a readable lab result file (${read.problems[0]})`);
      continue;
    }
    files.push(read.file);
    if (named.includes(file)) fromCommandLine.add(read.file);
  }
  if (!files.length) {
    console.error('dashboard: no result files (run `npm run lab` first, or name a file)');
    return 2;
  }
  // The run shown in detail: the newest of the named files, else the newest found.
  const detailed = fromCommandLine.size ? [...fromCommandLine] : files;
  const newest = [...detailed].sort((a, b) => a.created_at.localeCompare(b.created_at)).pop()!;
  const history = files.filter((f) => f !== newest && f.created_at <= newest.created_at);
  const page = writeDashboard(buildModel([...history, newest]), outDir, path.join(root, 'dashboard/page'));
  console.log(`dashboard: ${page} (${history.length + 1} result file(s))`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
