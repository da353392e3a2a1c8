// Array.prototype.join and toLocaleString with cycle detection per fiber (issue 16, isolate-wide state).
//
// V8 detects cycles in join (`a = [1]; a.push(a); a.join()` is '1,') with one stack per context. A join
// whose element's toString blocks leaves its array on that stack while other fibers run: another fiber
// joining the same array then gets '' (V8 takes it for a cycle), and when joins of five or more fibers end
// out of order V8 reaches an `unreachable` and aborts the process. The stack is not reachable through V8's
// API, so join is done here: the ECMAScript algorithm, with V8's cycle rule applied per fiber.
// (Array.prototype.toString calls `this.join`, so it follows. TypedArray join converts only numbers.)
import primordials from './primordials.js';

const fiberId = primordials.fiber.id;
const joining = new Map(); // fiber id -> Set of receivers that fiber is joining now

function cycleProtected(receiver, build) {
  const id = fiberId();
  let active = joining.get(id);
  if (!active) joining.set(id, (active = new Set()));
  if (active.has(receiver)) return '';
  active.add(receiver);
  try {
    return build();
  } finally {
    active.delete(receiver);
    if (active.size === 0) joining.delete(id);
  }
}

function toObject(value, method) {
  if (value === null || value === undefined) throw new TypeError(`${method} called on null or undefined`);
  return Object(value);
}

function lengthOf(object) {
  const length = Math.trunc(Number(object.length)) || 0;
  return Math.min(Math.max(length, 0), Number.MAX_SAFE_INTEGER);
}

const methods = {
  join(separator) {
    const object = toObject(this, 'Array.prototype.join');
    const length = lengthOf(object);
    const sep = separator === undefined ? ',' : `${separator}`;
    if (length === 0) return '';
    return cycleProtected(object, () => {
      let result = '';
      for (let k = 0; k < length; k++) {
        if (k > 0) result += sep;
        const element = object[k];
        if (element !== undefined && element !== null) result += `${element}`;
      }
      return result;
    });
  },
  toLocaleString(locales, options) {
    const object = toObject(this, 'Array.prototype.toLocaleString');
    const length = lengthOf(object);
    if (length === 0) return '';
    return cycleProtected(object, () => {
      let result = '';
      for (let k = 0; k < length; k++) {
        if (k > 0) result += ',';
        const element = object[k];
        if (element !== undefined && element !== null) result += `${element.toLocaleString(locales, options)}`;
      }
      return result;
    });
  },
};
for (const name of ['join', 'toLocaleString']) {
  Object.defineProperty(Array.prototype, name, {
    value: methods[name],
    writable: true,
    enumerable: false,
    configurable: true,
  });
}
