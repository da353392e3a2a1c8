// Node-like value formatting for console.log: internal.inspect(value) and internal.format(args) (%s %d %i %f
// %j %o %O %c %%). Nested values are shown to depth 2, cycles as [Circular *N], long lists broken over lines.

const kMaxLine = 72;
const kMaxItems = 100;
const identifier = /^[A-Za-z_$][\w$]*$/;

function quote(s) {
  const q = s.includes("'") ? (s.includes('"') ? (s.includes('`') ? "'" : '`') : '"') : "'";
  const escaped = s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r')
    .replace(new RegExp(q, 'g'), '\\' + q);
  return q + escaped + q;
}

function formatKey(key) {
  if (typeof key === 'symbol') return `[${key.toString()}]`;
  return identifier.test(key) ? key : quote(key);
}

function constructorName(obj) {
  let proto = Object.getPrototypeOf(obj);
  if (proto === null) return null;
  const ctor = proto.constructor;
  return typeof ctor === 'function' && ctor.name ? ctor.name : '';
}

function errorToString(err, ctx) {
  let text = typeof err.stack === 'string' && err.stack ? err.stack : Error.prototype.toString.call(err);
  const extra = Object.keys(err).filter((k) => k !== 'stack' && k !== 'message');
  if (extra.length) {
    const entries = extra.map((k) => `${formatKey(k)}: ${formatValue(err[k], ctx, 1)}`);
    text += ` {\n  ${entries.join(',\n  ')}\n}`;
  }
  return ctx.indent ? text.split('\n').join('\n' + ctx.indent) : text;
}

// Joins entries on one line if short enough, else one per line (Node groups numbers; one per line is enough).
function wrap(prefix, open, entries, close, ctx) {
  if (entries.length === 0) return `${prefix}${open}${close}`;
  const oneLine = `${prefix}${open} ${entries.join(', ')} ${close}`;
  if (oneLine.length + ctx.indent.length <= kMaxLine && !oneLine.includes('\n')) return oneLine;
  const pad = ctx.indent + '  ';
  return `${prefix}${open}\n${pad}${entries.join(`,\n${pad}`)}\n${ctx.indent}${close}`;
}

function formatPrimitive(value, nested) {
  switch (typeof value) {
    case 'string': return nested ? quote(value) : value;
    case 'number': return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint': return `${value}n`;
    case 'symbol': return value.toString();
    case 'undefined': return 'undefined';
    case 'boolean': return String(value);
    default: return value === null ? 'null' : null;
  }
}

function formatValue(value, ctx, depth) {
  const primitive = formatPrimitive(value, depth > 0);
  if (primitive !== null) return primitive;
  if (typeof value === 'function') {
    const kind = /^class\s/.test(Function.prototype.toString.call(value)) ? 'class' : 'Function';
    const name = value.name ? `: ${value.name}` : ' (anonymous)';
    return kind === 'class' ? `[class ${value.name || '(anonymous)'}]` : `[Function${name}]`;
  }
  if (ctx.seen.includes(value)) {
    if (!ctx.circular.has(value)) ctx.circular.set(value, ctx.circular.size + 1);
    return `[Circular *${ctx.circular.get(value)}]`;
  }
  if (value instanceof Error) return errorToString(value, ctx);
  if (value instanceof Date) return isNaN(value) ? 'Invalid Date' : value.toISOString();
  if (value instanceof RegExp) return String(value);
  if (value instanceof Promise) return 'Promise { <unknown> }';
  if (value instanceof WeakMap || value instanceof WeakSet) return `${constructorName(value)} { <items unknown> }`;
  if (typeof value.valueOf === 'function' && (value instanceof Number || value instanceof String ||
      value instanceof Boolean)) {
    return `[${constructorName(value)}: ${formatPrimitive(value.valueOf(), true)}]`;
  }
  const name = constructorName(value);
  if (depth > ctx.depth) return Array.isArray(value) ? '[Array]' : `[${name || 'Object'}]`;

  ctx.seen.push(value);
  const saved = ctx.indent;
  ctx.indent += '  ';
  let entries = [];
  let prefix = '';
  let open = '{';
  let close = '}';
  const more = (n) => `... ${n} more item${n > 1 ? 's' : ''}`;
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    open = '[';
    close = ']';
    const length = value.length;
    if (!Array.isArray(value)) prefix = `${name}(${length}) `;
    else if (name !== 'Array') prefix = `${name}(${length}) `;
    let holes = 0;
    for (let i = 0; i < Math.min(length, kMaxItems); i++) {
      if (Array.isArray(value) && !(i in value)) { holes++; continue; }
      if (holes) { entries.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`); holes = 0; }
      entries.push(formatValue(value[i], ctx, depth + 1));
    }
    if (holes) entries.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`);
    if (length > kMaxItems) entries.push(more(length - kMaxItems));
    if (Array.isArray(value)) {
      for (const key of Object.keys(value)) {
        if (!/^\d+$/.test(key)) entries.push(`${formatKey(key)}: ${formatValue(value[key], ctx, depth + 1)}`);
      }
    }
  } else if (value instanceof Map) {
    prefix = `${name}(${value.size}) `;
    let i = 0;
    for (const [k, v] of value) {
      if (i++ >= kMaxItems) { entries.push(more(value.size - kMaxItems)); break; }
      entries.push(`${formatValue(k, ctx, depth + 1)} => ${formatValue(v, ctx, depth + 1)}`);
    }
  } else if (value instanceof Set) {
    prefix = `${name}(${value.size}) `;
    let i = 0;
    for (const v of value) {
      if (i++ >= kMaxItems) { entries.push(more(value.size - kMaxItems)); break; }
      entries.push(formatValue(v, ctx, depth + 1));
    }
  } else if (value instanceof ArrayBuffer) {
    prefix = `ArrayBuffer `;
    const bytes = Array.from(new Uint8Array(value, 0, Math.min(value.byteLength, 50)),
      (b) => b.toString(16).padStart(2, '0'));
    entries = [`[Uint8Contents]: <${bytes.join(' ')}${value.byteLength > 50 ? ' ...' : ''}>`,
      `byteLength: ${value.byteLength}`];
  } else {
    if (name === null) prefix = '[Object: null prototype] ';
    else if (name !== 'Object') prefix = `${name} `;
    const tag = value[Symbol.toStringTag];
    if (typeof tag === 'string' && tag !== name) prefix = `${prefix.trim() || 'Object'} [${tag}] `;
  }
  if (!Array.isArray(value) && !ArrayBuffer.isView(value) && !(value instanceof ArrayBuffer)) {
    const keys = [...Object.keys(value), ...Object.getOwnPropertySymbols(value)
      .filter((s) => Object.getOwnPropertyDescriptor(value, s).enumerable)];
    for (const key of keys) {
      const desc = Object.getOwnPropertyDescriptor(value, key);
      const shown = desc.get ? (desc.set ? '[Getter/Setter]' : '[Getter]') : desc.set ? '[Setter]'
        : formatValue(desc.value, ctx, depth + 1);
      entries.push(`${formatKey(key)}: ${shown}`);
    }
  }
  ctx.indent = saved;
  ctx.seen.pop();
  let text = wrap(prefix, open, entries, close, ctx);
  if (ctx.circular.has(value)) text = `<ref *${ctx.circular.get(value)}> ${text}`;
  return text;
}

internal.inspect = function inspect(value, options = {}) {
  const depth = options && typeof options.depth === 'number' ? options.depth : options?.depth === null ? Infinity : 2;
  return formatValue(value, { seen: [], circular: new Map(), indent: '', depth }, 0);
};

internal.format = function format(args) {
  if (args.length === 0) return '';
  const first = args[0];
  let rest = 0;
  let out = '';
  if (typeof first === 'string' && first.includes('%') && args.length > 1) {
    rest = 1;
    out = first.replace(/%([sdifjoOc%])/g, (match, spec) => {
      if (spec === '%') return '%';
      if (rest >= args.length) return match;
      const arg = args[rest++];
      switch (spec) {
        case 's':
          return typeof arg === 'string' ? arg : typeof arg === 'bigint' ? `${arg}n`
            : typeof arg === 'object' && arg !== null ? internal.inspect(arg, { depth: 1 }) : String(arg);
        case 'd': return typeof arg === 'bigint' ? `${arg}n` : typeof arg === 'symbol' ? 'NaN' : String(Number(arg));
        case 'i': return typeof arg === 'bigint' ? `${arg}n` : String(parseInt(arg, 10));
        case 'f': return String(parseFloat(arg));
        case 'j': try { return JSON.stringify(arg); } catch { return '[Circular]'; }
        case 'o': return internal.inspect(arg, { depth: 4 });
        case 'O': return internal.inspect(arg);
        case 'c': return '';
        default: return match;
      }
    });
  } else {
    out = typeof first === 'string' ? first : internal.inspect(first);
    rest = 1;
  }
  for (let i = rest; i < args.length; i++) {
    out += ' ' + (typeof args[i] === 'string' ? args[i] : internal.inspect(args[i]));
  }
  return out;
};
