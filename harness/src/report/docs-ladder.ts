// docs/ARCHITECTURE.md's switch-ladder table, written by `npm run report` from results/reference.json (between
// the markers below; a test checks it), so the fiber decision's figures are the lab's, not typed by hand.
import type { ResultFile } from '../results/schema.js';
import { betweenMarkers } from './markers.js';

export const LADDER_BEGIN =
  '<!-- switch-ladder: written by `npm run report` from results/reference.json; do not edit -->';
export const LADDER_END = '<!-- /switch-ladder -->';

const WHAT: Record<string, string> = {
  'raw-fcontext': 'Boost.Context `jump_fcontext`, no V8 (addon)',
  'raw-ucontext': '`swapcontext`, no V8 (addon, the V8-free core)',
  'thread-handoff': 'semaphore handoff between two threads pinned to one core, no V8 (addon)',
  'corojs-fiber': 'CoroJS `Fiber.yield` between two fibers (V8 Unlocker/Locker, identity swap, scheduler)',
};

function whatOf(rung: string): string {
  if (WHAT[rung]) return WHAT[rung]!;
  if (rung.endsWith('-await')) return `\`await\` of a resolved promise in ${rung.slice(0, -'-await'.length)}`;
  if (rung === 'go-goroutine') return 'Go: two goroutines handing off over an unbuffered channel';
  return rung;
}

export function ladderTable(file: ResultFile): string {
  const rows = [...file.switch_ladder]
    .filter((r) => !r.from_ab_build)
    .sort((a, b) => a.ns_per_switch - b.ns_per_switch);
  return [
    `One-way switch, medians, \`npm run lab -- --quick\` on ${file.env.cores} cores (${file.env.cpu_model}), results/reference.json of commit ${file.git_commit.slice(0, 10)}:`,
    '',
    '| rung | ns per switch | what |',
    '| --- | ---: | --- |',
    ...rows.map(
      (r) =>
        `| ${r.rung}${r.fiber_backend ? ` (${r.fiber_backend})` : ''} | ${Math.round(r.ns_per_switch).toLocaleString('en-US')} | ${whatOf(r.rung)} |`,
    ),
  ].join('\n');
}

export function withLadderTable(text: string, file: ResultFile): string {
  return betweenMarkers(text, LADDER_BEGIN, LADDER_END, ladderTable(file), 'docs/ARCHITECTURE.md has no switch-ladder');
}
