// setTimeout/setInterval/setImmediate and their clear* as Node users expect them (ordering, clamping, ref and
// unref, cleared timers that keep nothing alive). One heap of timers and one dispatcher fiber that waits on
// the runtime's alarm for the earliest; each due callback runs in a fiber of its own, so a callback that
// blocks (Fiber.sleep, a socket read) delays no other timer.
import primordials from './primordials.js';
import { typeError } from './errors.js';
import { now } from './clock.js';
import { Fiber } from './fiber.js';
import { process } from './process.js';

const alarm = primordials.timers;
const TIMEOUT_MAX = 2 ** 31 - 1;

let nextSeq = 1;
let nextId = 1;
const heap = []; // binary min-heap by (due, seq)
let keptAlive = 0; // timers in the heap that keep the process alive (not unref'd)
let dispatcherRunning = false;
let dispatcherDue = Infinity; // when the dispatcher's current wait ends
let dispatcherKeepsAlive = false;

function before(a, b) {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}
function swap(i, j) {
  const t = heap[i];
  heap[i] = heap[j];
  heap[j] = t;
  heap[i].index = i;
  heap[j].index = j;
}
function siftUp(i) {
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i], heap[parent])) return;
    swap(i, parent);
    i = parent;
  }
}
function siftDown(i) {
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < heap.length && before(heap[l], heap[m])) m = l;
    if (r < heap.length && before(heap[r], heap[m])) m = r;
    if (m === i) return;
    swap(i, m);
    i = m;
  }
}
function removeAt(i) {
  if (heap[i].keepsAlive) keptAlive--;
  heap[i].index = -1;
  const last = heap.pop();
  if (i < heap.length) {
    heap[i] = last;
    last.index = i;
    siftUp(i);
    siftDown(last.index);
  }
}

function insert(timer) {
  timer.seq = nextSeq++;
  timer.index = heap.length;
  heap.push(timer);
  if (timer.keepsAlive) keptAlive++;
  siftUp(timer.index);
  if (!dispatcherRunning) {
    dispatcherRunning = true;
    Fiber.run(dispatch);
  } else {
    replan();
  }
}

// Wakes the dispatcher if its current wait is now wrong: too late, or not keeping the process alive when a
// timer needs it to (or the other way round).
function replan() {
  if (heap.length === 0 || heap[0].due < dispatcherDue || keptAlive > 0 !== dispatcherKeepsAlive) alarm.interrupt();
}

function cancel(timer) {
  if (timer.index < 0) return;
  removeAt(timer.index);
  replan();
}

function dispatch() {
  // Started inside setTimeout()/setImmediate(): let the caller go on first, so no callback ever runs before
  // the call that scheduled it has returned (Node's rule).
  alarm.wait(0, true);
  while (heap.length > 0) {
    const time = now();
    const head = heap[0];
    if (head.due > time) {
      dispatcherDue = head.due;
      dispatcherKeepsAlive = keptAlive > 0;
      alarm.wait(Math.ceil(head.due - time), dispatcherKeepsAlive);
      dispatcherDue = Infinity;
      continue;
    }
    removeAt(0);
    if (head.repeat !== null) {
      head.due = now() + head.repeat;
      insert(head);
    }
    const { callback, args } = head;
    Fiber.run(() => callback(...args));
  }
  dispatcherRunning = false;
}

// Node's rule: a delay outside 1..2^31-1 ms (or not a number) becomes 1 ms, with a warning when too large.
function clampDelay(ms) {
  let delay = Number(ms);
  if (!(delay >= 1 && delay <= TIMEOUT_MAX)) {
    if (delay > TIMEOUT_MAX) {
      primordials.console.write(
        2,
        `(corojs:${process.pid}) TimeoutOverflowWarning: ${delay} does not fit into a 32-bit signed integer.\nTimeout duration was set to 1.\n`,
      );
    }
    delay = 1;
  }
  return Math.trunc(delay);
}

class Timeout {
  constructor(callback, delay, repeat, args) {
    this.callback = callback;
    this.args = args;
    this.delay = delay;
    this.repeat = repeat ? delay : null;
    this.keepsAlive = true;
    this.index = -1;
    this.id = nextId++;
    this.due = now() + delay;
    insert(this);
  }
  hasRef() {
    return this.keepsAlive;
  }
  ref() {
    return this.#setKeepsAlive(true);
  }
  unref() {
    return this.#setKeepsAlive(false);
  }
  #setKeepsAlive(keep) {
    const change = keep !== this.keepsAlive && this.index >= 0;
    this.keepsAlive = keep;
    if (change) {
      keptAlive += keep ? 1 : -1;
      replan();
    }
    return this;
  }
  refresh() {
    if (this.index >= 0) cancel(this);
    this.due = now() + this.delay;
    insert(this);
    return this;
  }
  close() {
    cancel(this);
    return this;
  }
  [Symbol.toPrimitive]() {
    return this.id;
  }
}

const byId = new Map(); // numeric ids (Timeout's primitive value) for clearTimeout(Number(t))

function checked(callback) {
  if (typeof callback !== 'function') {
    throw typeError(`The "callback" argument must be of type function. Received ${typeof callback}`);
  }
  return callback;
}

function start(callback, delay, repeat, args) {
  const timer = new Timeout(callback, delay, repeat, args);
  byId.set(timer.id, timer);
  if (!repeat) {
    const { callback: fn } = timer;
    timer.callback = (...a) => {
      byId.delete(timer.id);
      fn(...a);
    };
  }
  return timer;
}

function clear(timer) {
  if (timer === null || timer === undefined) return;
  const found = timer instanceof Timeout ? timer : byId.get(Number(timer));
  if (!found) return;
  byId.delete(found.id);
  cancel(found);
}

// The callback is checked before the delay is clamped (and perhaps warned about), as in Node.
globalThis.setTimeout = (callback, ms, ...args) => start(checked(callback), clampDelay(ms), false, args);
globalThis.setInterval = (callback, ms, ...args) => start(checked(callback), clampDelay(ms), true, args);
globalThis.setImmediate = (callback, ...args) => start(checked(callback), 0, false, args);
globalThis.clearTimeout = clear;
globalThis.clearInterval = clear;
globalThis.clearImmediate = clear;
globalThis.queueMicrotask ??= (fn) => Promise.resolve().then(fn);
