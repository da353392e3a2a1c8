// Checks a parsed result file against the declaration in schema.ts (the same one its types come from); returns
// every problem found (empty = valid). Only the current version: read.ts converts older files before this.
import { resultFileDeclaration } from './schema.js';

export function validateResultFile(file: unknown): string[] {
  const problems: string[] = [];
  resultFileDeclaration.check(file, 'result', problems);
  return problems;
}
