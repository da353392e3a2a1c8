// The global Fiber (spec 4): run, plus the extensions yield, sleep, wait, stats and id.
import primordials from './primordials.js';
import { typeError } from './errors.js';

const prim = primordials.fiber;

export const Fiber = Object.freeze({
  // Runs fn in a new fiber at once; returns when the new fiber first blocks or ends. If fn returns a promise
  // (an async function), the fiber lives until it settles, so what it opened stays open across its awaits;
  // a rejection is then an uncaught exception, as an unhandled rejection is in Node.
  run(fn) {
    if (typeof fn !== 'function') throw typeError('Fiber.run expects a function');
    prim.run(() => {
      const result = fn();
      if (result instanceof Promise) prim.wait(result);
    });
  },
  // Extension: blocks only this fiber until `promise` settles; returns its value or throws its reason
  // (inside a promise job, that job waits on a fiber of its own). Other values are returned as they are.
  wait(promise) {
    return prim.wait(promise instanceof Promise ? promise : Promise.resolve(promise)); // thenables adopted
  },
  // Lets every other runnable fiber run, then returns.
  yield() {
    prim.yield();
  },
  // Blocks only the calling fiber for `ms` milliseconds.
  sleep(ms) {
    if (typeof ms !== 'number' || !(ms >= 0)) throw typeError('Fiber.sleep expects a non-negative number of ms');
    prim.sleep(Math.ceil(ms));
  },
  // { backend, live, created, switches, pooled, stack_size, stack_reserved_bytes, stack_resident_bytes,
  //   handle_blocks_resident_bytes (V8's handle-scope blocks), malloc_in_use_bytes (the C heap), v8_heap_used_bytes }
  stats() {
    return prim.stats();
  },
  // The calling fiber's id (0n for the main fiber).
  id() {
    return prim.id();
  },
});
globalThis.Fiber = Fiber;
