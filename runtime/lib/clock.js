// Milliseconds since the stdlib started (performance.now()), for process.js, console.time and the timers.
import primordials from './primordials.js';

const { hrtime } = primordials.process;
export const timeOrigin = hrtime();
export const now = () => Number(hrtime() - timeOrigin) / 1e6;
