// The switch profile's result file (results/switch-profile.json, written by switch-profile-cli.ts) and the
// table docs/ARCHITECTURE.md shows from it (written by `npm run report`, checked by a test).
import { readFileSync } from 'node:fs';
import { betweenMarkers } from '../report/markers.js';

export interface SwitchProfile {
  kind: 'switch-profile';
  version: 1;
  created: string;
  git_commit: string;
  machine: { cpu: string; cores: number };
  command: string;
  fiber_backend: string;
  sample_period_ns: number;
  switches: { short: number; long: number };
  repeats: number;
  measured_ns_per_switch: number; // without sampling: CPU time of the long run minus the short one, over the extra switches
  profiled_ns_per_switch: number; // the sum of the parts, under perf
  parts: { part: string; what: string; ns_per_switch: number }[];
}

export function readSwitchProfile(file: string): SwitchProfile {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as SwitchProfile;
  if (profile.kind !== 'switch-profile' || profile.version !== 1 || !Array.isArray(profile.parts))
    throw new Error(`${file} is not a switch profile`);
  return profile;
}

export const PROFILE_BEGIN =
  '<!-- switch-profile: written by `npm run report` from results/switch-profile.json; do not edit -->';
export const PROFILE_END = '<!-- /switch-profile -->';

const ns = (x: number): string => (Math.round(x * 10) / 10).toFixed(1);

export function switchProfileTable(profile: SwitchProfile): string {
  const rows = [...profile.parts].sort((a, b) => b.ns_per_switch - a.ns_per_switch);
  const pct = (x: number): string => `${Math.round((x / profile.profiled_ns_per_switch) * 100)} %`;
  return [
    `One-way switch on the ${profile.fiber_backend} backend, ${profile.machine.cores} cores (${profile.machine.cpu}), commit ${profile.git_commit.slice(0, 10)}: ` +
      `\`${profile.command}\` (perf cpu-clock samples every ${profile.sample_period_ns / 1000} us of CPU, median of ${profile.repeats} pairs of runs).`,
    '',
    '| part | ns per switch | share | what it is |',
    '| --- | ---: | ---: | --- |',
    ...rows.map((p) => `| ${p.part} | ${ns(p.ns_per_switch)} | ${pct(p.ns_per_switch)} | ${p.what} |`),
    `| **sum of the parts (under perf)** | **${ns(profile.profiled_ns_per_switch)}** | 100 % | |`,
    `| measured without sampling (process CPU time, \`perf stat -e task-clock\`) | ${ns(profile.measured_ns_per_switch)} | | |`,
  ].join('\n');
}

// `text` with the table between its markers replaced; throws when the markers are missing.
export function withSwitchProfileTable(text: string, profile: SwitchProfile): string {
  return betweenMarkers(
    text,
    PROFILE_BEGIN,
    PROFILE_END,
    switchProfileTable(profile),
    'docs/ARCHITECTURE.md has no switch-profile',
  );
}
