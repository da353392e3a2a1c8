// `npm run profile:switch [-- --backend B --switches N --repeats R --out FILE]`: the nanoseconds each part of a
// one-way fiber switch costs (issue 12), written to results/switch-profile.json; `npm run report` puts the
// table into docs/ARCHITECTURE.md from that file.
//
// Method: the switch micro-benchmark (workloads/fiber-micro.mjs switch N, two fibers ping-ponging) runs under
// `perf record -e cpu-clock -c P -g` (a software event: these VMs have no hardware counters), each sample is
// P ns of CPU, and switch-parts.ts gives each sample's call chain to one part. Start-up and exit cost the same
// in a run of N and of 2N yields per fiber, so a part's ns per switch is its sample difference between the
// two runs times P, over the switches that differ. Each pair is repeated; medians are kept. The same pairs run
// without perf give the switch's cost undisturbed by sampling, beside the sum of the parts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gitCommit } from '../env-fingerprint.js';
import { runCommand } from '../process/run-command.js';
import { median } from '../results/aggregate.js';
import { countParts, OTHER_PART, samplesOf, SWITCH_PARTS } from './switch-parts.js';
import type { SwitchProfile } from './switch-profile.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1]! : fallback;
}

interface Run {
  switches: number;
  cpuNs: number;
  parts: Map<string, number>;
}

async function runOnce(backend: string, yields: number, periodNs: number | null, dir: string): Promise<Run> {
  const program = [
    path.join(root, 'build/corojs'),
    `--fiber-backend=${backend}`,
    path.join(root, 'workloads/fiber-micro.mjs'),
    'switch',
    String(yields),
  ];
  const data = path.join(dir, 'perf.data');
  // Unsampled runs count the process's CPU time (task-clock), so other load on the machine does not inflate it.
  const argv = periodNs
    ? ['perf', 'record', '-q', '-e', 'cpu-clock', '-c', String(periodNs), '-g', '-o', data, '--', ...program]
    : ['perf', 'stat', '-x', ',', '-e', 'task-clock', '-o', data, '--', ...program];
  const ran = await runCommand(argv, { timeoutMs: 300_000 });
  const line = ran.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (ran.code !== 0 || !line)
    throw new Error(`${argv.join(' ')} failed (${ran.code ?? ran.signal}): ${ran.stderr.trim().slice(-400)}`);
  const result = JSON.parse(line.slice('RESULT '.length)) as { switches: number; elapsed_ns: number; backend: string };
  if (result.backend !== backend) throw new Error(`asked for the ${backend} backend, ran on ${result.backend}`);
  let parts = new Map<string, number>();
  let cpuNs = NaN;
  if (!periodNs) {
    const line = readFileSync(data, 'utf8')
      .split('\n')
      .find((l) => l.includes('task-clock'));
    cpuNs = Number(line?.split(',')[0]) * 1e6; // msec
    if (!(cpuNs > 0)) throw new Error(`perf stat gave no task-clock: ${line ?? 'nothing'}`);
  } else {
    const script = await runCommand(['perf', 'script', '-i', data, '-F', 'ip,sym'], { timeoutMs: 300_000 });
    if (script.code !== 0) throw new Error(`perf script failed: ${script.stderr.trim().slice(-400)}`);
    parts = countParts(samplesOf(script.stdout));
  }
  return { switches: result.switches, cpuNs, parts };
}

async function main(): Promise<void> {
  const backend = option('backend', 'fcontext');
  const yields = Number(option('switches', '2000000'));
  const repeats = Number(option('repeats', '3'));
  const periodNs = Number(option('period-ns', '500000'));
  const out = path.resolve(option('out', path.join(root, 'results/switch-profile.json')));
  if (!(yields > 0) || !(repeats >= 1) || !(periodNs > 0))
    throw new Error('--switches, --repeats and --period-ns must be positive numbers');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'corojs-switch-profile-'));
  try {
    const perPart = new Map<string, number[]>();
    const measured: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const plainShort = await runOnce(backend, yields, null, dir);
      const plainLong = await runOnce(backend, 2 * yields, null, dir);
      measured.push((plainLong.cpuNs - plainShort.cpuNs) / (plainLong.switches - plainShort.switches));
      const short = await runOnce(backend, yields, periodNs, dir);
      const long = await runOnce(backend, 2 * yields, periodNs, dir);
      const extra = long.switches - short.switches;
      for (const part of [...SWITCH_PARTS.map((p) => p.part), OTHER_PART]) {
        const ns = (((long.parts.get(part) ?? 0) - (short.parts.get(part) ?? 0)) * periodNs) / extra;
        perPart.set(part, [...(perPart.get(part) ?? []), ns]);
      }
      console.error(`switch-profile: repeat ${r + 1}/${repeats} done`);
    }
    const whatOf = (part: string): string =>
      SWITCH_PARTS.find((p) => p.part === part)?.what ?? 'samples no rule names (V8 internals outside the parts above)';
    const parts = [...perPart].map(([part, values]) => ({
      part,
      what: whatOf(part),
      ns_per_switch: Math.round(median(values) * 10) / 10,
    }));
    const profile: SwitchProfile = {
      kind: 'switch-profile',
      version: 1,
      created: new Date().toISOString(),
      git_commit: gitCommit(root),
      machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length },
      command: `npm run profile:switch -- --backend ${backend} --switches ${yields} --repeats ${repeats} --period-ns ${periodNs}`,
      fiber_backend: backend,
      sample_period_ns: periodNs,
      switches: { short: 2 * yields, long: 4 * yields },
      repeats,
      measured_ns_per_switch: Math.round(median(measured) * 10) / 10,
      profiled_ns_per_switch: Math.round(parts.reduce((sum, p) => sum + p.ns_per_switch, 0) * 10) / 10,
      parts,
    };
    writeFileSync(out, `${JSON.stringify(profile, null, 2)}\n`);
    console.log(
      `switch-profile: ${path.relative(root, out)}: ${profile.measured_ns_per_switch} ns per one-way switch measured, ${profile.profiled_ns_per_switch} ns in the parts`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((error: Error) => {
    console.error(`switch-profile: ${error.message}`);
    process.exit(2);
  });
}
