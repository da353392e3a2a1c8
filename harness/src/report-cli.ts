// `npm run report [-- RESULT.json]`: writes the README's results table from a result file (default
// results/reference.json), between its markers. Exit 2 on an unreadable file or a README without markers.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withTable } from './report/readme-table.js';
import type { ResultFile } from './results/schema.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const resultPath = path.resolve(process.argv[2] ?? path.join(root, 'results/reference.json'));
const readmePath = path.join(root, 'README.md');
try {
  const file = JSON.parse(readFileSync(resultPath, 'utf8')) as ResultFile;
  writeFileSync(readmePath, withTable(readFileSync(readmePath, 'utf8'), file));
  console.log(`report: README.md's results table written from ${path.relative(root, resultPath)}`);
} catch (error) {
  console.error(`report: ${(error as Error).message}`);
  process.exit(2);
}
