// The LabConfig the program tests run real workload programs with: the quick suite, 3 repetitions of 1 s, server
// and load both on CPU 0, in `workDir` (the caller makes and removes it).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function quickTestConfig(workDir, targets) {
  return {
    root: ROOT,
    quick: true,
    only: null,
    out: '',
    repetitions: 3,
    warmupS: 0,
    durationS: 1,
    serverCpus: '0',
    loadCpus: '0',
    workDir,
    targets,
  };
}
