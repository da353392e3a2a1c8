// `npm run report [-- RESULT.json]`: writes the README's results table from a result file (default
// results/reference.json), docs/ARCHITECTURE.md's switch-ladder table from the same file and its
// switch-profile table from results/switch-profile.json, each between its markers. Exit 2 on an unreadable file or a document without markers.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSwitchProfile, withSwitchProfileTable } from './profile/switch-profile.js';
import { withLadderTable } from './report/docs-ladder.js';
import { withTable } from './report/readme-table.js';
import { readResultFile } from './results/read.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const resultPath = path.resolve(process.argv[2] ?? path.join(root, 'results/reference.json'));
const readmePath = path.join(root, 'README.md');
try {
  const read = readResultFile(resultPath);
  if (!read.ok)
    throw new Error(`${resultPath} is not a readable lab result file:\n  ${read.problems.slice(0, 10).join('\n  ')}`);
  writeFileSync(readmePath, withTable(readFileSync(readmePath, 'utf8'), read.file));
  console.log(`report: README.md's results table written from ${path.relative(root, resultPath)}`);
  const docsPath = path.join(root, 'docs/ARCHITECTURE.md');
  const docs = withSwitchProfileTable(
    readFileSync(docsPath, 'utf8'),
    readSwitchProfile(path.join(root, 'results/switch-profile.json')),
  );
  writeFileSync(docsPath, withLadderTable(docs, read.file));
  console.log(
    `report: docs/ARCHITECTURE.md's switch-ladder table (from ${path.relative(root, resultPath)}) and switch-profile table (from results/switch-profile.json) written`,
  );
} catch (error) {
  console.error(`report: ${(error as Error).message}`);
  process.exit(2);
}
