// `npm run compare -- BASE.json NEW.json` or `npm run compare -- --ab FILE`: exits 1 when a headline metric
// regressed significantly or cannot be tested in NEW (fail closed), 0 otherwise, 2 on a usage or file error.
// With --ab the base is the --ab build measured inside FILE (old) and the new side this build (new).
import { compareMetrics, formatTable, smallestReachableP, type Row } from './compare/compare.js';
import { invalidInBoth, missingHeadlines, recordedErrors } from './compare/fail-closed.js';
import { abMetricsOf, metricsOf, type Metric } from './compare/metrics.js';
import { readResultFile } from './results/read.js';
import type { ResultFile } from './results/schema.js';

const USAGE = `usage: npm run compare -- BASE.json NEW.json [--strict] [--min-effect 0.05] [--alpha 0.05]
       npm run compare -- --ab FILE [--strict] [--min-effect 0.05] [--alpha 0.05]

Compares two lab result files metric by metric (one-sided Mann-Whitney U on the repetitions, in the direction
of a regression, plus a change of at least max(min effect, 5 standard errors from the base's noise alone)).
Exit status 1, listing each
reason, if a headline metric (corojs/node20, corojs/node18 throughput ratios; corojs fiber switch over the raw
switch) regressed, is valid in BASE but missing or invalid in NEW, or NEW recorded an error; with --strict
(CI) also when a headline metric cannot be tested (too few repetitions, or too much noise to detect even a
2x slowdown). Metrics harness/gate.json names are shown but not gated. 0 if none; 2 on bad usage, an unreadable or invalid file, or an --alpha below the smallest
p-value the repetitions can reach.

--ab FILE: FILE comes from \`npm run lab -- --ab REV\`; compares this build (new) with REV's build (old) as
measured in that one run, interleaved: CoroJS closed-loop throughput per workload, variant and fiber backend,
and the fiber switch time per backend, all headline metrics, with the same statistics.`;

// A result file of any schema version (read.ts converts v1), or why it cannot be compared.
function readResult(file: string): ResultFile | string {
  const read = readResultFile(file);
  return read.ok
    ? read.file
    : `${file} is not a readable lab result file:\n  ${read.problems.slice(0, 10).join('\n  ')}`;
}

function main(argv: string[]): number {
  const files: string[] = [];
  const options = { minEffect: 0.05, alpha: 0.05 };
  let strict = false;
  let ab = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      return 0;
    }
    if (arg === '--strict') strict = true;
    else if (arg === '--ab') ab = true;
    else if (arg === '--min-effect' || arg === '--alpha') {
      const value = Number(argv[++i]);
      if (!(value > 0 && value < 1)) {
        console.error(`compare: ${arg} needs a number between 0 and 1\n\n${USAGE}`);
        return 2;
      }
      if (arg === '--min-effect') options.minEffect = value;
      else options.alpha = value;
    } else if (arg.startsWith('--')) {
      console.error(`compare: unknown option ${arg}\n\n${USAGE}`);
      return 2;
    } else files.push(arg);
  }
  if (files.length !== (ab ? 1 : 2)) {
    console.error(`compare: needs ${ab ? 'one result file with --ab' : 'exactly two result files'}\n\n${USAGE}`);
    return 2;
  }
  const parsed: ResultFile[] = [];
  for (const file of files) {
    const result = readResult(file);
    if (typeof result === 'string') {
      console.error(`compare: ${result}`);
      return 2;
    }
    parsed.push(result);
  }
  const next = parsed[parsed.length - 1]!;
  if (ab && !next.ab) {
    console.error(`compare: ${files[0]} has no ab section: make it with npm run lab -- --ab REV`);
    return 2;
  }
  const base = parsed[0]!;
  const before: Metric[] = ab ? abMetricsOf(next.ab!) : metricsOf(base);
  const after: Metric[] = ab ? abMetricsOf(next) : metricsOf(next);
  const reachable = smallestReachableP(before, after);
  if (reachable && options.alpha < reachable.p) {
    console.error(
      `compare: --alpha ${options.alpha} is below the smallest p-value ${reachable.p.toPrecision(3)} that ${reachable.metric} can reach: no regression could ever be flagged. Use more repetitions or a larger alpha.`,
    );
    return 2;
  }
  const rows = compareMetrics(before, after, options);
  if (ab) {
    console.log(`old:  --ab ${next.ab!.rev} (${next.ab!.commit.slice(0, 10)}), measured in ${files[0]}`);
    console.log(`new:  the working tree at ${next.git_commit.slice(0, 10)}, interleaved with it (${next.created_at})`);
  } else {
    console.log(`base: ${files[0]} (${base.git_commit.slice(0, 10)}, ${base.created_at})`);
    console.log(`new:  ${files[1]} (${next.git_commit.slice(0, 10)}, ${next.created_at})`);
  }
  console.log(
    `min effect ${(options.minEffect * 100).toFixed(1)}%, alpha ${options.alpha}${strict ? ', strict' : ''}\n`,
  );
  console.log(formatTable(rows));
  const headline = rows.filter((r) => r.headline);
  // A fiber backend the --ab build predates has no old side at all: listed, nothing to gate. Any other point
  // only this build measured validly has nothing to be tested against (untestable).
  const oldBackends = new Set<string | undefined>(
    ab
      ? [...next.ab!.workloads, ...next.ab!.switch_ladder, ...(next.ab!.instructions ?? [])].map((x) => x.fiber_backend)
      : [],
  );
  const backendOf = (name: string): string | undefined =>
    after.find((m) => m.name === name)?.sources.find((s) => s.backend)?.backend;
  const newBackend = (r: Row): boolean => ab && r.verdict === 'only in new' && !oldBackends.has(backendOf(r.metric));
  const noOldSide = headline.filter(newBackend);
  if (noOldSide.length)
    console.log(
      `\nno old side (the --ab build predates these fiber backends): ${[...new Set(noOldSide.map((r) => backendOf(r.metric)))].join(', ')}, ${noOldSide.length} metric(s) shown, not gated`,
    );
  const untestable = headline.filter((r) => r.untestable || (ab && r.verdict === 'only in new' && !newBackend(r)));
  for (const r of untestable) r.untestable ??= 'the --ab build has no valid measurement of it';
  const cannotTest = [
    ...untestable.map((r) => ({ metric: r.metric, why: r.untestable! })),
    ...(ab ? invalidInBoth(next) : []),
  ];
  const shaped = headline.filter((r) => r.shape);
  const excluded = new Map<string, number>();
  for (const r of rows) if (r.notGated) excluded.set(r.notGated, (excluded.get(r.notGated) ?? 0) + 1);
  if (excluded.size)
    console.log(
      `\nnot gated (harness/gate.json):\n  ${[...excluded].map(([why, n]) => `${n} metric(s): ${why}`).join('\n  ')}`,
    );
  if (shaped.length)
    console.log(
      `\nbimodal or drifting samples (reported, not averaged away):\n  ${shaped.map((r) => `${r.metric}: ${r.shape}`).join('\n  ')}`,
    );
  if (cannotTest.length)
    console.log(
      `\ncannot be tested (${cannotTest.length}${strict ? ', each a failure with --strict' : ''}):\n  ${cannotTest.map((c) => `${c.metric}: ${c.why}`).join('\n  ')}`,
    );
  const failures = [
    ...headline
      .filter((r) => r.verdict === 'regressed')
      .map(
        (r) =>
          `regressed: ${r.metric} ${r.change! >= 0 ? '+' : ''}${(r.change! * 100).toFixed(1)}% (p ${r.p!.toFixed(3)}, needs ${(r.threshold! * 100).toFixed(1)}%)`,
      ),
    ...missingHeadlines(before, after, next),
    ...recordedErrors(next).map((e) => `the new run recorded an error: ${e}`),
    ...(strict ? cannotTest.map((c) => `cannot be tested: ${c.metric} (${c.why})`) : []),
  ];
  console.log(
    failures.length
      ? `\nFAIL (${failures.length} reason(s)):\n  ${failures.join('\n  ')}`
      : '\nPASS: no headline metric regressed, none missing, no recorded error',
  );
  return failures.length ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
