// stack-sweep (CoroJS only): what one --fiber-stack-size allows. Prints one "PART {json}" line per finding, so a
// later crash (e.g. the TLS part) still leaves the earlier ones, then "DONE".
// Usage: stack-sweep.mjs <cert_dir> <idle_fibers> <spawn_batch> <spawn_samples>
//   recursion  deepest synchronous recursion inside a fiber before the catchable RangeError (code warmed on the
//              main stack first, so the depth measures the stack, not lazy compilation)
//   cold       whether a fiber can run code V8 has never compiled (V8 wants ~40 KiB of headroom to compile)
//   spawn      fibers/s for spawn+join: a batch of fibers each yielding once, until all have ended
//   idle       RSS per idle (sleeping) fiber: VmRSS delta / n, and resident stack bytes per fiber (Fiber.stats)
//   tls        a TLS handshake + echo with server handler and client both in fibers, cold as in a real server
// Every function a fiber starts with is warmed on the main stack first; only the parts named cold run cold code.
import { programArgs } from './program-args.mjs';

const args = programArgs('stack-sweep', { run: ['cert_dir', 'idle_fibers', 'spawn_batch', 'spawn_samples'] });
const certDir = args.cert_dir;
const idleFibers = Number(args.idle_fibers);
const spawnBatch = Number(args.spawn_batch);
const spawnSamples = Number(args.spawn_samples);

const now = () => process.hrtime.bigint();
const part = (name, data) => console.log(`PART ${JSON.stringify({ part: name, ...data })}`);
const vmRss = () => Number(/^VmRSS:\s+(\d+) kB/m.exec(fs.readFile('/proc/self/status'))[1]) * 1024;

// Runs fn in a new fiber through a warm wrapper, so an exception (even a RangeError while compiling fn) is kept.
const outcomes = {};
function guarded(key, fn) {
  try {
    outcomes[key] = { ok: true, value: fn() };
  } catch (error) {
    outcomes[key] = { ok: false, error: `${error.name}: ${error.message}`, code: error.code };
  }
}
guarded('warm', () => 0);
function inFiber(key, fn) {
  Fiber.run(guarded.bind(null, key, fn));
  while (!(key in outcomes)) Fiber.yield();
  return outcomes[key];
}

function recursionDepth() {
  let depth = 0;
  const down = () => {
    depth++;
    down();
  };
  try {
    down();
  } catch (error) {
    return { depth, range_error: error instanceof RangeError };
  }
  return { depth, range_error: false };
}
const mainDepth = recursionDepth().depth; // also warms recursionDepth and down
inFiber('warm-probe', () => 0);
const recursion = inFiber('recursion', recursionDepth);
part('recursion', {
  ok: recursion.ok,
  max_recursion_depth: recursion.ok ? recursion.value.depth : 0,
  range_error: recursion.ok && recursion.value.range_error,
  main_depth: mainDepth,
  error: recursion.error,
});

// A function literal V8 has parsed but never compiled (lazy compilation), unlike new Function's eager one.
const makeCold = () =>
  function coldOne() {
    let sum = 0;
    for (let i = 0; i < 100; i++) sum += i;
    return sum;
  };
const cold = inFiber('cold', makeCold());
part('cold', { cold_fiber_ok: cold.ok, error: cold.error });

// spawn+join: `spawnBatch` fibers each yield once and end; the main fiber waits until every one has ended.
let ended = 0;
function child() {
  Fiber.yield();
  ended++;
}
child(); // warm, on the main fiber
const spawnSamplesPerS = [];
for (let s = 0; s < spawnSamples; s++) {
  ended = 0;
  const t0 = now();
  for (let i = 0; i < spawnBatch; i++) Fiber.run(child);
  while (ended < spawnBatch) Fiber.yield();
  spawnSamplesPerS.push(spawnBatch / (Number(now() - t0) / 1e9));
}
part('spawn', { spawn_samples_per_s: spawnSamplesPerS, batch: spawnBatch });

// Idle fibers: each sleeps until the process exits (DONE is followed by process.exit).
function sleeper(ms = 3600 * 1000) {
  Fiber.sleep(ms);
}
sleeper(0); // warm, on the main fiber
const before = { rss: vmRss(), stats: Fiber.stats() };
for (let i = 0; i < idleFibers; i++) Fiber.run(sleeper);
Fiber.yield();
const after = { rss: vmRss(), stats: Fiber.stats() };
const idleCount = after.stats.live - before.stats.live;
part('idle', {
  fibers: idleCount,
  rss_before_bytes: before.rss,
  rss_after_bytes: after.rss,
  stack_resident_before_bytes: before.stats.stack_resident_bytes,
  stack_resident_after_bytes: after.stats.stack_resident_bytes,
  stack_reserved_after_bytes: after.stats.stack_reserved_bytes,
  stack_size: after.stats.stack_size,
  backend: after.stats.backend,
});

// TLS inside fibers: handshake + one echo, the handler and the client each in a fiber of this stack size.
const key = fs.readFile(`${certDir}/fiber.lab.test.key`);
const cert = fs.readFile(`${certDir}/fiber.lab.test.crt`);
const server = tls.createServer({ certificateResolver: () => ({ key, cert }) }, (socket) => {
  let chunk;
  while ((chunk = socket.readBytes()) !== null) socket.write(chunk);
});
const listenFn = () => server.listen(0, '127.0.0.1');
Fiber.run(guarded.bind(null, 'listen', listenFn)); // returns once the accept loop waits (or listen failed)
if (outcomes.listen) {
  part('tls', { tls_handshake_ok: false, error: `listen: ${outcomes.listen.error}` });
  console.log('DONE');
  process.exit(0);
}
const port = server.address().port;
const residentBeforeTls = Fiber.stats().stack_resident_bytes;
const handshake = inFiber('tls', () => {
  const client = tls.connect(port, '127.0.0.1', { servername: 'fiber.lab.test', ca: cert, rejectUnauthorized: true });
  client.write('ping over tls');
  let echoed = '';
  while (echoed.length < 'ping over tls'.length) {
    const chunk = client.read();
    if (chunk === null) break;
    echoed += chunk;
  }
  client.close();
  return echoed;
});
part('tls', {
  tls_handshake_ok: handshake.ok && handshake.value === 'ping over tls',
  error: handshake.error,
  stack_resident_delta_bytes: Fiber.stats().stack_resident_bytes - residentBeforeTls,
});
server.close();
console.log('DONE');
process.exit(0);
