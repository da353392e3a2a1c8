// A lab program's arguments by name (twin: baselines/program-args.ts). The harness passes every one: their names,
// order and values are declared once, with the workload (harness/src/runners/<workload>.ts), so the programs
// keep no defaults, and a missing or extra argument is a usage error: the usage on stderr, exit status 2.
// `forms` maps a form to its argument names; a name written `=word` is that literal word (e.g. `=switch`).
export function programArgs(program, forms) {
  const argv = process.argv.slice(2);
  const literal = (names) => (names[0]?.startsWith('=') ? names[0].slice(1) : null);
  const all = Object.values(forms);
  const names = all.find((n) => literal(n) !== null && literal(n) === argv[0]) ?? all.find((n) => literal(n) === null);
  if (names && argv.length === names.length) {
    return Object.fromEntries(names.filter((n) => !n.startsWith('=')).map((n) => [n, argv[names.indexOf(n)]]));
  }
  const usage = all
    .map((n) => [program, ...n.map((a) => (a.startsWith('=') ? a.slice(1) : `<${a}>`))].join(' '))
    .join('\n       ');
  const problem = !names
    ? `unknown form ${JSON.stringify(argv[0] ?? '')}`
    : argv.length < names.length
      ? `missing <${names.slice(argv.length).join('> <')}>`
      : `${argv.length - names.length} argument(s) too many`;
  console.error(
    `${program}: ${problem}\nusage: ${usage}\n(the harness passes these: harness/src/runners/ declares each workload's arguments)`,
  );
  process.exit(2);
}
