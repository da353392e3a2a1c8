// The registry: every workload the lab runs, in suite order, each declared beside its runner. The CLI's names
// (--only, --skip, --help), the suite and the README's workload table come from here.
import { dns } from './dns.js';
import { fiberMemory } from './fiber-memory.js';
import { fiberMicro } from './fiber-micro.js';
import { fileIo } from './file-io.js';
import { httpHello } from './http-hello.js';
import { instructions } from './instructions.js';
import { stackSweep } from './stack-sweep.js';
import { switchLadder } from './switch-ladder.js';
import { tcpEcho } from './tcp-echo.js';
import { tlsEcho } from './tls-echo.js';
import { usageOf, type Workload, type WorkloadDeclaration } from './workload.js';

export const REGISTRY: readonly Workload[] = [
  tcpEcho,
  httpHello,
  tlsEcho,
  fileIo,
  dns,
  fiberMicro,
  switchLadder,
  instructions,
  stackSweep,
  fiberMemory,
];

export const WORKLOAD_NAMES: readonly string[] = REGISTRY.map((w) => w.name);

const list = (values: readonly unknown[]): string => values.join(', ');

function concurrencyText(w: WorkloadDeclaration): string {
  if (w.concurrency === undefined) return '';
  if (typeof w.concurrency === 'number') return String(w.concurrency);
  return Object.entries(w.concurrency)
    .map(([variant, n]) => `${variant} ${n}`)
    .join(', ');
}

const valueText = (v: unknown): string =>
  Array.isArray(v)
    ? `[${list(v)}]`
    : v && typeof v === 'object'
      ? `{${Object.entries(v)
          .map(([k, x]) => `${k} ${valueText(x)}`)
          .join(', ')}}`
      : String(v);

const parametersText = (w: WorkloadDeclaration): string =>
  Object.entries(w.parameters ?? {})
    .map(([k, v]) => `${k} ${valueText(v)}`)
    .join('; ');

const usages = (w: WorkloadDeclaration): string[] =>
  w.program ? Object.keys(w.program.forms).map((f) => usageOf(w.program!, f)) : [];

// The README's workload table (between its `workloads-table` markers; a test keeps them equal).
export function workloadsTable(): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|') || '-';
  const rows = REGISTRY.map((w) => {
    const quick = w.quick ? ` (quick: ${list(w.quick)})` : '';
    return `| \`${w.name}\` | ${cell(w.about)} | ${cell(list(w.variants) + quick)} | ${cell(concurrencyText(w))} | ${cell(
      usages(w)
        .map((u) => `\`${u}\``)
        .join(', '),
    )} | ${cell(parametersText(w))} |`;
  });
  return [
    '| workload | measures | variants | connections / concurrency | program arguments | parameters |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

// The CLI help's workload list.
export function workloadsHelp(): string {
  return REGISTRY.map((w) => {
    const lines = [
      `  ${w.name}: ${w.about}`,
      `      variants: ${list(w.variants)}${w.quick ? ` (quick: ${list(w.quick)})` : ''}`,
    ];
    if (w.concurrency !== undefined) lines.push(`      concurrency: ${concurrencyText(w)}`);
    if (w.program) lines.push(`      program: ${usages(w).join(' | ')}`);
    if (w.parameters) lines.push(`      parameters: ${parametersText(w)}`);
    return lines.join('\n');
  }).join('\n');
}
