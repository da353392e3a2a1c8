// `npm run dashboard [-- FILE...] [--out-dir DIR]`: renders lab result files (default: results/*.json) into
// one self-contained page, DIR/index.html (default results/dashboard/). The newest file is the run shown in
// detail; all of them make the trends across commits.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildModel } from '../../dashboard/src/model.js';
import { writeDashboard } from '../../dashboard/src/render.js';
import type { ResultFile } from './results/schema.js';
import { validateResultFile } from './results/validate.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../../..');

function main(argv: string[]): number {
  let outDir = path.join(root, 'results/dashboard');
  const named: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out-dir') outDir = path.resolve(argv[++i] ?? '');
    else if (argv[i] === '--help') { console.log('usage: npm run dashboard -- [result.json ...] [--out-dir DIR]'); return 0; }
    else named.push(path.resolve(argv[i]!));
  }
  // The results folder's files give the trends; files named on the command line are always included.
  const resultsDir = path.join(root, 'results');
  const found = existsSync(resultsDir) ? readdirSync(resultsDir).filter((f) => f.endsWith('.json')).map((f) => path.join(resultsDir, f)) : [];
  const files: ResultFile[] = [];
  const fromCommandLine = new Set<ResultFile>();
  for (const file of new Set([...found, ...named])) {
    let json: unknown;
    try { json = JSON.parse(readFileSync(file, 'utf8')); } catch (error) { console.error(`dashboard: skipping ${file}: ${(error as Error).message}`); continue; }
    const problems = validateResultFile(json);
    if (problems.length) { console.error(`dashboard: skipping ${file}: not a lab result file (${problems[0]})`); continue; }
    files.push(json as ResultFile);
    if (named.includes(file)) fromCommandLine.add(json as ResultFile);
  }
  if (!files.length) { console.error('dashboard: no result files (run `npm run lab` first, or name a file)'); return 2; }
  // The run shown in detail: the newest of the named files, else the newest found.
  const detailed = fromCommandLine.size ? [...fromCommandLine] : files;
  const newest = [...detailed].sort((a, b) => a.created_at.localeCompare(b.created_at)).pop()!;
  const history = files.filter((f) => f !== newest && f.created_at <= newest.created_at);
  const page = writeDashboard(buildModel([...history, newest]), outDir, path.join(root, 'dashboard/page'));
  console.log(`dashboard: ${page} (${history.length + 1} result file(s))`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
