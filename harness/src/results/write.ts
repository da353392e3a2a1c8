// Writes a result file atomically (temp file + rename) after validating it against the schema.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ResultFile } from './schema.js';
import { validateResultFile } from './validate.js';

export function writeResultFile(file: ResultFile, out: string): string[] {
  const problems = validateResultFile(JSON.parse(JSON.stringify(file)) as unknown);
  mkdirSync(path.dirname(out), { recursive: true });
  const temp = `${out}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(file, null, 1)}\n`);
  renameSync(temp, out);
  return problems;
}
