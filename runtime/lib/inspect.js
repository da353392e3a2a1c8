// Node-like value formatting for console.log: inspect(value, options) and format(args),
// following Node 20's util.inspect/util.format (its defaults: depth 2, breakLength 80, compact 3). Cycles
// print as [Circular *N], Errors with their stack, `[cause]` and `[errors]`, a Proxy through its target
// without running a trap (`<Revoked Proxy>` once revoked), long arrays grouped in columns.
import primordials from './primordials.js';

const { proxyTarget, promiseState } = primordials.console;

const kBreakLength = 80;
const kCompact = 3;
const kMaxItems = 100;
const kMinLineWidth = 16;
const plainKey = /^[a-zA-Z_][a-zA-Z_0-9]*$/;
// Constructors whose toString is the language's own: `%s` inspects their instances instead of calling it.
const builtInObjects = new Set(Object.getOwnPropertyNames(globalThis).filter((n) => /^[A-Z][a-zA-Z0-9]+$/.test(n)));
const has = (obj, key) => Object.prototype.hasOwnProperty.call(obj, key);

function attempt(fn, fallback) {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

// ---- primitives ----

const escapes = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r', '\\': '\\\\' };
const needsEscape = /[\x00-\x1f\x5c\x7f-\x9f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function quote(s) {
  const q = !s.includes("'") ? "'" : !s.includes('"') ? '"' : !s.includes('`') && !s.includes('${') ? '`' : "'";
  const escaped = s.replace(needsEscape, (c) => {
    if (escapes[c]) return escapes[c];
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
  return q + (q === "'" ? escaped.replace(/'/g, "\\'") : escaped) + q;
}

function formatString(s, ctx) {
  // A long string with line breaks is printed one line per row, as Node does.
  if (s.length > kMinLineWidth && s.length > kBreakLength - ctx.indentLvl - 4 && /\n./.test(s)) {
    const lines = s.match(/[^\n]*\n|[^\n]+$/g);
    return lines.map(quote).join(` +\n${' '.repeat(ctx.indentLvl + 2)}`);
  }
  return quote(s);
}

const formatNumber = (n) => (Object.is(n, -0) ? '-0' : `${n}`);

function formatPrimitive(value, ctx) {
  switch (typeof value) {
    case 'string':
      return formatString(value, ctx);
    case 'number':
      return formatNumber(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    case 'undefined':
      return 'undefined';
    case 'boolean':
      return `${value}`;
    default:
      return value === null ? 'null' : null;
  }
}

// ---- names and keys ----

// The name of the nearest constructor on the prototype chain (null for a null-prototype object).
function constructorName(obj) {
  for (let proto = obj; proto !== null; proto = Object.getPrototypeOf(proto)) {
    const desc = Object.getOwnPropertyDescriptor(proto, 'constructor');
    if (
      desc &&
      typeof desc.value === 'function' &&
      desc.value.name !== '' &&
      attempt(() => obj instanceof desc.value, false)
    ) {
      return desc.value.name;
    }
  }
  return Object.getPrototypeOf(obj) === null ? null : 'Object';
}

// Symbol.toStringTag, when it is not already shown as an own property and differs from the constructor.
function tagOf(value, name, showHidden) {
  const tag = attempt(() => value[Symbol.toStringTag], undefined);
  if (typeof tag !== 'string' || tag === '' || tag === name) return '';
  const own = showHidden
    ? has(value, Symbol.toStringTag)
    : Object.prototype.propertyIsEnumerable.call(value, Symbol.toStringTag);
  return own ? '' : tag;
}

function prefixOf(name, tag, fallback, size = '') {
  if (name === null) return `[${fallback}${size}: null prototype] ${tag ? `[${tag}] ` : ''}`;
  return `${name}${size} ${tag ? `[${tag}] ` : ''}`;
}

function keysOf(value, showHidden, skipIndices) {
  let keys = showHidden ? Object.getOwnPropertyNames(value) : Object.keys(value);
  if (skipIndices) keys = keys.filter((k) => !/^(0|[1-9]\d*)$/.test(k) || Number(k) >= 2 ** 32 - 1);
  const symbols = Object.getOwnPropertySymbols(value).filter(
    (s) => showHidden || Object.prototype.propertyIsEnumerable.call(value, s),
  );
  return [...keys, ...symbols];
}

function formatProperty(value, key, ctx, depth, inArray = false) {
  const desc = Object.getOwnPropertyDescriptor(value, key) ?? { value: value[key], enumerable: true };
  let shown;
  if (desc.value !== undefined) {
    ctx.indentLvl += 2;
    shown = formatValue(desc.value, ctx, depth);
    ctx.indentLvl -= 2;
  } else if (desc.get !== undefined) {
    shown = desc.set !== undefined ? '[Getter/Setter]' : '[Getter]';
  } else {
    shown = desc.set !== undefined ? '[Setter]' : 'undefined';
  }
  if (inArray) return shown;
  let name;
  if (typeof key === 'symbol') name = `[${key.toString()}]`;
  else if (key === '__proto__') name = "['__proto__']";
  else if (desc.enumerable === false) name = `[${key}]`;
  else name = plainKey.test(key) ? key : quote(key);
  return `${name}: ${shown}`;
}

// ---- objects of particular kinds ----

function functionBase(fn, name, tag) {
  const source = attempt(() => Function.prototype.toString.call(fn), '');
  if (/^class\b/.test(source)) {
    let base = `class ${(has(fn, 'name') && fn.name) || '(anonymous)'}`;
    if (name !== 'Function' && name !== null) base += ` [${name}]`;
    if (tag) base += ` [${tag}]`;
    const superName = name === null ? null : Object.getPrototypeOf(fn).name;
    if (name === null) base += ' extends [null prototype]';
    else if (superName) base += ` extends ${superName}`;
    return `[${base}]`;
  }
  const ownTag = Object.prototype.toString.call(fn).slice(8, -1);
  const kind = ['AsyncFunction', 'GeneratorFunction', 'AsyncGeneratorFunction'].includes(ownTag) ? ownTag : 'Function';
  let base = `[${kind}${name === null ? ' (null prototype)' : ''}${fn.name === '' ? ' (anonymous)' : `: ${fn.name}`}]`;
  if (name !== kind && name !== null && name !== 'Function') base += ` ${name}`;
  if (tag && tag !== kind && tag !== name) base += ` [${tag}]`;
  return base;
}

// An Error as Node prints it: its stack (in brackets when it has no frames), then `cause`, `errors` and
// its other own properties. A `stack` getter that throws does not stop it from printing.
function errorBase(err, name, tag, ctx, keys) {
  const errName = attempt(() => (err.name != null ? String(err.name) : 'Error'), 'Error');
  const message = attempt(() => err.message, undefined);
  let stack =
    attempt(() => (err.stack ? String(err.stack) : Error.prototype.toString.call(err)), null) ??
    attempt(() => Error.prototype.toString.call(err), `${name ?? 'Error'}`);
  if (!ctx.showHidden) {
    for (const key of ['name', 'message', 'stack']) {
      const at = keys.indexOf(key);
      if (at !== -1 && stack.includes(attempt(() => err[key], null))) keys.splice(at, 1);
    }
  }
  if (attempt(() => 'cause' in err, false) && !keys.includes('cause')) keys.push('cause');
  if (Array.isArray(attempt(() => err.errors, null)) && !keys.includes('errors')) keys.push('errors');
  stack = improveStack(stack, name, errName, tag);
  let pos = (message && stack.indexOf(message)) || -1;
  if (pos !== -1) pos += String(message).length;
  if (stack.indexOf('\n    at', pos) === -1) stack = `[${stack}]`;
  return ctx.indentLvl ? stack.replace(/\n/g, `\n${' '.repeat(ctx.indentLvl)}`) : stack;
}

// Names the constructor when the stack's first word does not (class MyError extends Error {}).
function improveStack(stack, name, errName, tag) {
  let len = errName.length;
  const regular =
    errName.endsWith('Error') &&
    stack.startsWith(errName) &&
    (stack.length === len || stack[len] === ':' || stack[len] === '\n');
  if (name !== null && !regular) return stack;
  let fallback = 'Error';
  if (name === null) {
    const start = /^([A-Z][a-z_ A-Z0-9[\]()-]+)(?::|\n\s+at)/.exec(stack) || /^([a-z_A-Z0-9-]*Error)$/.exec(stack);
    fallback = (start && start[1]) || '';
    len = fallback.length;
    fallback = fallback || 'Error';
  }
  const prefix = prefixOf(name, tag, fallback).slice(0, -1);
  if (errName === prefix) return stack;
  if (prefix.includes(errName)) return len === 0 ? `${prefix}: ${stack}` : `${prefix}${stack.slice(len)}`;
  return `${prefix} [${errName}]${stack.slice(len)}`;
}

function arrayEntries(value, ctx, depth) {
  const output = [];
  const length = value.length;
  let holes = 0;
  const flushHoles = () => {
    if (holes) output.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`);
    holes = 0;
  };
  for (let i = 0; i < Math.min(length, kMaxItems); i++) {
    if (!has(value, i)) {
      holes++;
      continue;
    }
    flushHoles();
    output.push(formatProperty(value, i, ctx, depth, true));
  }
  flushHoles();
  if (length > kMaxItems) output.push(moreItems(length - kMaxItems));
  return output;
}

function iterableEntries(iterable, size, ctx, format) {
  const output = [];
  ctx.indentLvl += 2;
  for (const entry of iterable) {
    if (output.length >= kMaxItems) {
      output.push(moreItems(size - kMaxItems));
      break;
    }
    output.push(format(entry));
  }
  ctx.indentLvl -= 2;
  return output;
}

const moreItems = (n) => `... ${n} more item${n > 1 ? 's' : ''}`;

// ---- layout ----

// Node's column layout for arrays of more than six short entries.
function groupArrayElements(output, value, ctx) {
  const count = output.length > kMaxItems ? output.length - 1 : output.length;
  const lengths = output.slice(0, count).map((s) => s.length);
  const total = lengths.reduce((sum, len) => sum + len + 2, 0);
  const maxLength = Math.max(...lengths);
  const actualMax = maxLength + 2;
  if (actualMax * 3 + ctx.indentLvl >= kBreakLength || !(total / actualMax > 5 || maxLength <= 6)) return output;
  const averageBias = Math.sqrt(actualMax - total / output.length);
  const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
  const columns = Math.min(
    Math.round(Math.sqrt(2.5 * biasedMax * count) / biasedMax),
    Math.floor((kBreakLength - ctx.indentLvl) / actualMax),
    kCompact * 4,
    15,
  );
  if (columns <= 1) return output;
  const widths = [];
  for (let c = 0; c < columns; c++) {
    let width = 0;
    for (let j = c; j < output.length; j += columns) width = Math.max(width, lengths[j] ?? 0);
    widths.push(width + 2);
  }
  const numeric =
    value === undefined || output.every((_, i) => typeof value[i] === 'number' || typeof value[i] === 'bigint');
  const rows = [];
  for (let i = 0; i < count; i += columns) {
    const last = Math.min(i + columns, count) - 1;
    let row = '';
    for (let j = i; j < last; j++) {
      row += numeric ? `${output[j]}, `.padStart(widths[j - i]) : `${output[j]}, `.padEnd(widths[j - i]);
    }
    row += numeric ? output[last].padStart(widths[last - i] - 2) : output[last];
    rows.push(row);
  }
  if (count < output.length) rows.push(output[count]);
  return rows;
}

function reduceToSingleString(output, base, braces, isArray, depth, value, ctx) {
  const entries = output.length;
  if (isArray && entries > 6) output = groupArrayElements(output, value, ctx);
  if (ctx.currentDepth - depth < kCompact && entries === output.length) {
    const start = output.length + ctx.indentLvl + braces[0].length + base.length + 10;
    const total = output.reduce((sum, s) => sum + s.length, output.length + start);
    if (total <= kBreakLength && !base.includes('\n')) {
      const joined = output.join(', ');
      if (!joined.includes('\n')) return `${base ? `${base} ` : ''}${braces[0]} ${joined} ${braces[1]}`;
    }
  }
  const indentation = `\n${' '.repeat(ctx.indentLvl)}`;
  const body = output.join(`,${indentation}  `);
  return `${base ? `${base} ` : ''}${braces[0]}${indentation}  ${body}${indentation}${braces[1]}`;
}

// ---- the dispatcher ----

function formatValue(value, ctx, depth) {
  const primitive = formatPrimitive(value, ctx);
  if (primitive !== null) return primitive;
  // Look through a Proxy at its target without running a trap, as Node does.
  for (let target; (target = proxyTarget(value)) !== undefined;) {
    if (target === null) return '<Revoked Proxy>';
    value = target;
  }
  if (ctx.seen.includes(value)) {
    if (!ctx.circular.has(value)) ctx.circular.set(value, ctx.circular.size + 1);
    return `[Circular *${ctx.circular.get(value)}]`;
  }
  return formatObject(value, ctx, depth);
}

function formatObject(value, ctx, depth) {
  const name = constructorName(value);
  const tag = tagOf(value, name, ctx.showHidden);
  const isArray = Array.isArray(value);
  const isTyped = ArrayBuffer.isView(value) && !(value instanceof DataView);
  let keys = keysOf(value, ctx.showHidden, isArray || isTyped);
  let base = '';
  let braces = ['{', '}'];
  let entries = () => [];
  const empty = () => keys.length === 0;

  if (isArray || isTyped) {
    const prefix =
      isArray && name === 'Array' && !tag
        ? ''
        : prefixOf(name, tag, isArray ? 'Array' : 'TypedArray', `(${value.length})`);
    braces = [`${prefix}[`, ']'];
    if (value.length === 0 && empty()) return `${braces[0]}]`;
    entries = () => arrayEntries(value, ctx, depth + 1);
  } else if (value instanceof Map || value instanceof Set) {
    const isMap = value instanceof Map;
    const prefix = prefixOf(name, tag, isMap ? 'Map' : 'Set', `(${value.size})`);
    if (value.size === 0 && empty()) return `${prefix}{}`;
    braces = [`${prefix}{`, '}'];
    const show = (v) => formatValue(v, ctx, depth + 1);
    entries = () => iterableEntries(value, value.size, ctx, isMap ? ([k, v]) => `${show(k)} => ${show(v)}` : show);
  } else if (typeof value === 'function') {
    base = functionBase(value, name, tag);
    if (empty()) return base;
  } else if (value instanceof Error) {
    base = errorBase(value, name, tag, ctx, keys);
    if (empty()) return base;
  } else if (value instanceof RegExp) {
    base = RegExp.prototype.toString.call(value);
    if (empty()) return base;
  } else if (value instanceof Date) {
    base = isNaN(value) ? 'Invalid Date' : Date.prototype.toISOString.call(value);
    if (empty()) return base;
  } else if (
    value instanceof Number ||
    value instanceof String ||
    value instanceof Boolean ||
    value instanceof BigInt ||
    value instanceof Symbol
  ) {
    const primitive = value.valueOf();
    if (typeof primitive === 'string') keys = keys.filter((k) => !/^\d+$/.test(k) && k !== 'length');
    base = `[${name ?? 'Object'}: ${formatPrimitive(primitive, ctx)}]`;
    if (empty()) return base;
  } else if (value instanceof Promise) {
    braces = [`${prefixOf(name, tag, 'Promise')}{`, '}'];
    entries = () => {
      const [state, result] = promiseState(value);
      if (state === 'pending') return ['<pending>'];
      ctx.indentLvl += 2;
      const shown = formatValue(result, ctx, depth + 1);
      ctx.indentLvl -= 2;
      return [state === 'rejected' ? `<rejected> ${shown}` : shown];
    };
  } else if (value instanceof WeakMap || value instanceof WeakSet) {
    return `${prefixOf(name, tag, 'Object')}{ <items unknown> }`;
  } else if (value instanceof ArrayBuffer) {
    braces = [`${prefixOf(name, tag, 'ArrayBuffer')}{`, '}'];
    entries = () => {
      const shown = Math.min(value.byteLength, kMaxItems);
      const bytes = Array.from(new Uint8Array(value, 0, shown), (b) => b.toString(16).padStart(2, '0'));
      const rest = value.byteLength - shown;
      return [
        `[Uint8Contents]: <${bytes.join(' ')}${rest > 0 ? ` ... ${rest} more byte${rest > 1 ? 's' : ''}` : ''}>`,
        `byteLength: ${value.byteLength}`,
      ];
    };
  } else {
    const prefix = name === 'Object' && !tag ? '' : prefixOf(name, tag, 'Object');
    if (empty()) return `${prefix}{}`;
    braces = [`${prefix}{`, '}'];
  }

  if (depth > ctx.depth) {
    const shortName = prefixOf(name, tag, 'Object').slice(0, -1);
    return name === null ? shortName : `[${shortName}]`;
  }
  ctx.seen.push(value);
  ctx.currentDepth = depth + 1;
  const output = entries();
  for (const key of keys) output.push(formatProperty(value, key, ctx, depth + 1));
  ctx.seen.pop();
  if (ctx.circular.has(value)) {
    const reference = `<ref *${ctx.circular.get(value)}>`;
    base = base === '' ? reference : `${reference} ${base}`;
  }
  return reduceToSingleString(output, base, braces, isArray || isTyped, depth + 1, value, ctx);
}

export function inspect(value, options = {}) {
  const depth = typeof options?.depth === 'number' ? options.depth : options?.depth === null ? Infinity : 2;
  const showHidden = Boolean(options?.showHidden);
  const ctx = { seen: [], circular: new Map(), indentLvl: 0, currentDepth: 0, depth, showHidden };
  return formatValue(value, ctx, 0);
}

// ---- util.format ----

// True when `value`'s toString is a built-in one (so `%s` should inspect it rather than call it).
function hasBuiltInToString(value) {
  for (let target; (target = proxyTarget(value)) !== undefined;) {
    if (target === null) return true;
    value = target;
  }
  if (typeof value.toString !== 'function') return true;
  if (has(value, 'toString')) return false;
  let owner = value;
  do {
    owner = Object.getPrototypeOf(owner);
  } while (!has(owner, 'toString'));
  const desc = Object.getOwnPropertyDescriptor(owner, 'constructor');
  return desc !== undefined && typeof desc.value === 'function' && builtInObjects.has(desc.value.name);
}

// JSON.stringify for %j: a cycle prints '[Circular]', any other error propagates (as in Node).
function stringify(value) {
  try {
    return `${JSON.stringify(value)}`;
  } catch (error) {
    if (error instanceof TypeError && /circular structure/i.test(error.message)) return '[Circular]';
    throw error;
  }
}

const specifiers = {
  s: (arg) =>
    typeof arg === 'number'
      ? formatNumber(arg)
      : typeof arg === 'bigint'
        ? `${arg}n`
        : typeof arg !== 'object' || arg === null || !hasBuiltInToString(arg)
          ? String(arg)
          : inspect(arg, { depth: 0 }),
  d: (arg) => (typeof arg === 'bigint' ? `${arg}n` : typeof arg === 'symbol' ? 'NaN' : formatNumber(Number(arg))),
  i: (arg) => (typeof arg === 'bigint' ? `${arg}n` : typeof arg === 'symbol' ? 'NaN' : formatNumber(parseInt(arg, 10))),
  f: (arg) => (typeof arg === 'symbol' ? 'NaN' : formatNumber(parseFloat(arg))),
  j: stringify,
  o: (arg) => inspect(arg, { showHidden: true, depth: 4 }),
  O: (arg) => inspect(arg),
  c: () => '',
};

export function format(args) {
  if (args.length === 0) return '';
  const first = args[0];
  let next = 0;
  let out = '';
  if (typeof first === 'string') {
    next = 1;
    out =
      args.length === 1
        ? first
        : first.replace(/%([sdifjoOc%])/g, (match, spec) => {
            if (spec === '%') return '%';
            if (next >= args.length) return match;
            return specifiers[spec](args[next++]);
          });
  }
  for (let i = next; i < args.length; i++) {
    const arg = args[i];
    out += (i > 0 ? ' ' : '') + (typeof arg === 'string' ? arg : inspect(arg));
  }
  return out;
}
