// The global Fiber (spec 4): run, plus the extensions yield, sleep, stats and id; and timers built on fibers.
const prim = primordials.fiber;

const Fiber = Object.freeze({
  // Runs fn in a new fiber at once; returns when the new fiber first blocks or ends.
  run(fn) {
    if (typeof fn !== 'function') throw internal.typeError('Fiber.run expects a function');
    prim.run(fn);
  },
  // Lets every other runnable fiber run, then returns.
  yield() { prim.yield(); },
  // Blocks only the calling fiber for `ms` milliseconds.
  sleep(ms) {
    if (typeof ms !== 'number' || !(ms >= 0)) throw internal.typeError('Fiber.sleep expects a non-negative number of ms');
    prim.sleep(Math.ceil(ms));
  },
  // { live, created, switches, pooled, stack_size, stack_reserved_bytes, stack_resident_bytes }
  stats() { return prim.stats(); },
  // The calling fiber's id (0n for the main fiber).
  id() { return prim.id(); },
});
globalThis.Fiber = Fiber;

// setTimeout/setInterval as Node users expect them, each timer a fiber that sleeps. A cleared timer still
// sleeps out its current wait (the process may linger that long) but never runs its callback.
let nextTimerId = 1;
const liveTimers = new Map();
function startTimer(fn, ms, repeat, args) {
  if (typeof fn !== 'function') throw internal.typeError('The "callback" argument must be a function');
  const id = nextTimerId++;
  const delay = Math.max(0, Number(ms) || 0);
  liveTimers.set(id, true);
  Fiber.run(() => {
    do {
      prim.sleep(Math.ceil(delay));
      if (!liveTimers.has(id)) return;
      if (!repeat) liveTimers.delete(id);
      fn(...args);
    } while (repeat && liveTimers.has(id));
  });
  return id;
}
globalThis.setTimeout = (fn, ms, ...args) => startTimer(fn, ms, false, args);
globalThis.setInterval = (fn, ms, ...args) => startTimer(fn, ms, true, args);
globalThis.clearTimeout = globalThis.clearInterval = (id) => { liveTimers.delete(id); };
globalThis.queueMicrotask ??= (fn) => Promise.resolve().then(fn);
