// The global console: Node-like formatting (format, from inspect.js) written unbuffered.
import primordials from './primordials.js';
import { format, inspect } from './inspect.js';
import { now } from './clock.js';

const write = primordials.console.write;
const counts = new Map();
const timers = new Map();
let groupIndent = '';

function emit(fd, args) {
  let text = format(args);
  if (groupIndent) text = groupIndent + text.split('\n').join('\n' + groupIndent);
  write(fd, text + '\n');
}

export const console = {
  log: (...args) => emit(1, args),
  info: (...args) => emit(1, args),
  debug: (...args) => emit(1, args),
  error: (...args) => emit(2, args),
  warn: (...args) => emit(2, args),
  trace: (...args) => {
    const stack = new Error().stack.split('\n').slice(2).join('\n');
    emit(2, [`Trace${args.length ? ': ' + format(args) : ''}\n${stack}`]);
  },
  dir: (value, options) => write(1, inspect(value, options) + '\n'),
  assert: (condition, ...args) => {
    if (!condition) emit(2, ['Assertion failed' + (args.length ? ':' : ''), ...args]);
  },
  count: (label = 'default') => {
    counts.set(label, (counts.get(label) ?? 0) + 1);
    emit(1, [`${label}: ${counts.get(label)}`]);
  },
  countReset: (label = 'default') => {
    counts.delete(label);
  },
  time: (label = 'default') => {
    timers.set(label, now());
  },
  timeEnd: (label = 'default') => {
    if (!timers.has(label)) return;
    emit(1, [`${label}: ${(now() - timers.get(label)).toFixed(3)}ms`]);
    timers.delete(label);
  },
  group: (...args) => {
    if (args.length) emit(1, args);
    groupIndent += '  ';
  },
  groupEnd: () => {
    groupIndent = groupIndent.slice(2);
  },
  table: (data) => emit(1, [data]),
};
globalThis.console = console;
