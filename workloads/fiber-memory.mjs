// fiber-memory (CoroJS): memory per idle fiber and each workload's stack high-water mark; one "RESULT {json}"
// line per measurement (twin for idle: baselines/fiber-memory.ts).
// Usage: fiber-memory.mjs idle <count>                    count fibers sleeping: VmRSS delta / n, resident stack / fiber
//        fiber-memory.mjs hwm <count> <workload> <cert_dir>   stack high-water per fiber after real work, count fibers
//        (one workload per process, so no pooled stack of an earlier one is reused):
//          tcp-echo   n connections to an in-process echo server, each echoed once; handler fibers stay blocked
//                     in read (their used stack pages stay resident until the fiber ends)
//          tls-echo   the same over TLS (handshake in the handler fiber), when certDir has fiber.lab.test.{key,crt}
//          recursion  n fibers that each recursed 1000 deep, then sleep
// The clients run on the main fiber (not fibers), so the counted fibers are the servers' handlers only.
import { programArgs } from './program-args.mjs';

const args = programArgs('fiber-memory', { idle: ['=idle', 'count'], hwm: ['=hwm', 'count', 'workload', 'cert_dir'] });
const [mode] = process.argv.slice(2);
const { workload, cert_dir: certDir } = args;
const n = Number(args.count);

const vmRss = () => Number(/^VmRSS:\s+(\d+) kB/m.exec(fs.readFile('/proc/self/status'))[1]) * 1024;
const snapshot = () => ({ rss: vmRss(), stats: Fiber.stats() });

function report(kind, workload, before, after, extra = {}) {
  const fibers = after.stats.live - before.stats.live;
  console.log(
    `RESULT ${JSON.stringify({
      kind,
      workload,
      n,
      fibers,
      rss_before_bytes: before.rss,
      rss_after_bytes: after.rss,
      stack_resident_before_bytes: before.stats.stack_resident_bytes,
      stack_resident_after_bytes: after.stats.stack_resident_bytes,
      handle_blocks_before_bytes: before.stats.handle_blocks_resident_bytes,
      handle_blocks_after_bytes: after.stats.handle_blocks_resident_bytes,
      malloc_before_bytes: before.stats.malloc_in_use_bytes,
      malloc_after_bytes: after.stats.malloc_in_use_bytes,
      v8_heap_before_bytes: before.stats.v8_heap_used_bytes,
      v8_heap_after_bytes: after.stats.v8_heap_used_bytes,
      stack_size: after.stats.stack_size,
      backend: after.stats.backend,
      ...extra,
    })}`,
  );
}

function sleeper(ms = 3600 * 1000) {
  Fiber.sleep(ms);
}

function idle() {
  sleeper(0);
  Fiber.run(() => sleeper(0));
  Fiber.sleep(20);
  const before = snapshot();
  for (let i = 0; i < n; i++) Fiber.run(sleeper);
  Fiber.sleep(50);
  report('idle-fibers', 'sleep', before, snapshot());
}

function echoServer(server) {
  Fiber.run(() => server.listen(0, '127.0.0.1'));
  return server.address().port;
}

function handler(socket) {
  let chunk;
  while ((chunk = socket.readBytes()) !== null) socket.write(chunk);
}

// n clients on the main fiber, each sending one message and reading its echo; they stay open while measured.
function connectAll(connect, label) {
  const before = snapshot();
  const clients = [];
  for (let i = 0; i < n; i++) {
    const client = connect();
    const message = `${label} ${i}`;
    client.write(message);
    let echoed = '';
    while (echoed.length < message.length) {
      const chunk = client.read();
      if (chunk === null) throw new Error(`${label}: connection ${i} closed early`);
      echoed += chunk;
    }
    if (echoed !== message) throw new Error(`${label}: connection ${i} echoed ${JSON.stringify(echoed)}`);
    clients.push(client);
  }
  Fiber.sleep(50);
  return { before, after: snapshot(), clients };
}

function hwm() {
  if (workload === 'tcp-echo') {
    const server = net.createServer(handler);
    const port = echoServer(server);
    const warm = net.connect(port, '127.0.0.1');
    warm.write('w');
    warm.read();
    warm.close();
    Fiber.sleep(20);
    const { before, after, clients } = connectAll(() => net.connect(port, '127.0.0.1'), 'tcp');
    report('stack-high-water', 'tcp-echo', before, after);
    for (const client of clients) client.close();
    server.close();
  } else if (workload === 'tls-echo') {
    const key = fs.readFile(`${certDir}/fiber.lab.test.key`);
    const cert = fs.readFile(`${certDir}/fiber.lab.test.crt`);
    const server = tls.createServer({ certificateResolver: () => ({ key, cert }) }, handler);
    const port = echoServer(server);
    const connect = () =>
      tls.connect(port, '127.0.0.1', { servername: 'fiber.lab.test', ca: cert, rejectUnauthorized: true });
    const warm = connect();
    warm.write('w');
    warm.read();
    warm.close();
    Fiber.sleep(20);
    const { before, after, clients } = connectAll(connect, 'tls');
    report('stack-high-water', 'tls-echo', before, after);
    for (const client of clients) client.close();
    server.close();
  } else if (workload === 'recursion-1000') {
    const down = (k) => (k === 0 ? 0 : down(k - 1) + 1);
    const deep = () => {
      down(1000);
      sleeper();
    };
    down(1000);
    Fiber.sleep(20);
    const before = snapshot();
    for (let i = 0; i < n; i++) Fiber.run(deep);
    Fiber.sleep(50);
    report('stack-high-water', 'recursion-1000', before, snapshot());
  } else {
    throw new Error(`unknown workload ${workload}`);
  }
}

if (mode === 'idle') idle();
else if (mode === 'hwm') hwm();
else throw new Error(`unknown mode ${mode}`);
process.exit(0);
