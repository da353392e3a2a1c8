// A realistic, schema-valid (v2) lab result file for tests (comparator, dashboard), drawn from a seeded generator:
// every section, all three runtimes and both fiber backends, closed and open loop, encoded histograms, an
// invalid point. `scale` multiplies CoroJS throughput (0.8 = a 20 % regression); `noise` is the relative
// standard deviation of each repetition.
import * as hdr from 'hdr-histogram-js';

export function seededRandom(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}
function gaussian(random) {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export function sampleResult({
  seed = 1,
  scale = 1,
  noise = 0.03,
  repetitions = 5,
  commit = 'abc1234def',
  createdAt = '2026-11-25T03:00:00.000Z',
} = {}) {
  const random = seededRandom(seed);
  const draw = (mean, spread = noise) =>
    Array.from({ length: repetitions }, () => Math.max(1e-3, mean * (1 + spread * gaussian(random))));
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const histogram = (p50us) => {
    const h = hdr.build({
      lowestDiscernibleValue: 1,
      highestTrackableValue: 60e9,
      numberOfSignificantValueDigits: 3,
      autoResize: true,
    });
    for (let i = 0; i < 2000; i++) h.recordValue(Math.round(p50us * 1000 * Math.exp(0.6 * gaussian(random))));
    return hdr.encodeIntoCompressedBase64(h);
  };
  const workloads = [];
  const point = (name, variant, runtime, mode, mean, extra = {}) => {
    const samples = draw(mean);
    const p50 = (100000 / mean) * 100;
    const latency = (f) => ({
      p50: p50 * f,
      p90: p50 * 1.8 * f,
      p99: p50 * 3 * f,
      p999: p50 * 5 * f,
      max: p50 * 9 * f,
    });
    // Server CPU per operation (µs) at a fixed offered rate: CoroJS's cost is 1/scale of its base, and it is
    // steadier than throughput (no queueing in it), so it spreads by 70 % of the throughput noise.
    const cpuPerOp = extra.cpuPerOp;
    delete extra.cpuPerOp;
    const perOp = cpuPerOp ? draw(cpuPerOp, noise * 0.7) : null;
    const repetitions = samples.map((t, i) => ({
      throughput_per_s: t,
      server_cpu_pct: mode === 'closed' ? 95 : 40,
      generator_cpu_pct: 30,
      latency_us: latency(1 + noise * gaussian(random)),
      ...(perOp ? { server_cpu_us_per_op: perOp[i] } : {}),
    }));
    workloads.push({
      name,
      variant,
      runtime,
      mode,
      connections: 100,
      throughput_per_s: median(samples),
      latency_us: latency(1),
      server_cpu_pct: 95,
      server_rss_bytes: 40e6,
      valid: true,
      samples,
      histogram: histogram(p50),
      generator: 'native',
      generator_cpu_pct: 30,
      repetitions,
      ...(perOp ? { server_cpu_us_per_op: median(perOp) } : {}),
      ...extra,
    });
  };
  for (const [name, variant, base] of [
    ['tcp-echo', '64B', 120000],
    ['tcp-echo', '4KiB', 90000],
    ['http-hello', 'native', 60000],
    ['tls-echo', 'steady-64B', 50000],
    ['file-io', 'read-1MiB', 3000],
    ['dns', 'A', 20000],
    ['fiber-micro', 'pingpong', 1e6],
  ]) {
    point(name, variant, 'corojs', 'closed', base * 0.8 * scale, { fiber_backend: 'thread' });
    point(name, variant, 'corojs', 'closed', base * 0.9 * scale, { fiber_backend: 'ucontext' });
    point(name, variant, 'node18', 'closed', base);
    point(name, variant, 'node20', 'closed', base * 1.05);
    if (name === 'tcp-echo' || name === 'tls-echo' || name === 'http-hello') {
      const targets = [
        ['corojs', 'thread', 0.9 / scale],
        ['corojs', 'ucontext', 0.8 / scale],
        ['node18', undefined, 1],
        ['node20', undefined, 1],
      ];
      for (const [runtime, backend, cost] of targets) {
        for (const fraction of [0.25, 0.5]) {
          const rate = Math.round(base * fraction);
          point(name, variant, runtime, 'open', rate, {
            offered_rate_per_s: rate,
            load_fraction: fraction,
            cpuPerOp: (1e6 / base) * cost,
            ...(backend ? { fiber_backend: backend } : {}),
          });
        }
      }
    }
  }
  workloads.push({
    ...workloads[0],
    mode: 'open',
    valid: false,
    invalid_reason: 'load generator saturated (CPU 99%)',
    offered_rate_per_s: 200000,
  });
  // An invalid closed point that the scoreboard must explain rather than compare.
  const tlsNode18 = workloads.find((w) => w.name === 'tls-echo' && w.runtime === 'node18' && w.mode === 'closed');
  Object.assign(tlsNode18, {
    valid: false,
    invalid_reason:
      'not server-bound: server 71.2% of its core (needs >= 90%), native generator 97.0% of its own (needs < 85%)',
  });
  const rung = (name, ns, extra = {}) => {
    const samples = draw(ns).map((x) => (x * ns) / ns);
    return { rung: name, ns_per_switch: median(samples), samples, ...extra };
  };
  const switchLadder = [
    rung('raw-ucontext', 190),
    rung('thread-handoff', 1700),
    rung('corojs-fiber', 2400 / scale, { runtime: 'corojs', fiber_backend: 'thread' }),
    rung('corojs-fiber', 590 / scale, { runtime: 'corojs', fiber_backend: 'ucontext' }),
    rung('node18-await', 100, { runtime: 'node18' }),
    rung('node20-await', 90, { runtime: 'node20' }),
  ];
  const stack = [64, 128, 256, 512, 1024, 2048, 4096, 8192].map((kib) => ({
    runtime: 'corojs',
    fiber_backend: 'thread',
    stack_size_bytes: kib * 1024,
    max_recursion_depth: Math.round(kib * 13.3),
    tls_handshake_ok: kib > 64,
    rss_per_fiber_bytes: 7600,
    spawn_per_s: 19000,
  }));
  const memory = ['corojs', 'node18', 'node20'].flatMap((runtime) =>
    [1000, 10000].map((n) => {
      const bytes = runtime === 'corojs' ? 24000 : 7200;
      return {
        kind: 'idle-connections',
        runtime,
        ...(runtime === 'corojs' ? { fiber_backend: 'thread' } : {}),
        unit: 'idle connection',
        count: n,
        rss_per_unit_bytes: bytes,
        samples: [bytes, bytes, bytes],
        server: 'tcp-echo',
        valid: true,
      };
    }),
  );
  memory.push({
    kind: 'idle-fibers',
    runtime: 'corojs',
    fiber_backend: 'fcontext',
    unit: 'sleeping fiber',
    count: 1000,
    rss_per_unit_bytes: 10800,
    samples: [10800, 10700, 10900],
    valid: true,
    stack_resident_per_unit_bytes: 4096,
    handle_blocks_per_unit_bytes: 4096,
    malloc_per_unit_bytes: 2400,
    v8_heap_per_unit_bytes: 600,
  });
  return {
    schema_version: 2,
    created_at: createdAt,
    git_commit: commit,
    env: {
      cpu_model: 'Sample CPU @ 2.0GHz',
      cores: 2,
      kernel: '6.1.0',
      versions: {
        v8: '10.2.154.26-node.26',
        libuv: '1.44.2',
        openssl: '3.0.11',
        node18: '18.19.0',
        node20: '20.20.2',
        corojs: '0.1.0',
      },
      flags: ['--quick'],
      cpu_placement: { server: '0', load_generator: '1' },
    },
    workloads,
    switch_ladder: switchLadder,
    stack,
    memory,
    conclusions: { stack_1mib: 'supported: sample conclusion' },
  };
}

// The same file as a schema v1 writer (before fiber backends were recorded) wrote it: the thread backend's
// CoroJS entries carry no fiber_backend, rungs and sweep points no runtime, memory entries the old field names.
export function asV1(file) {
  const v1 = structuredClone(file);
  v1.schema_version = 1;
  const dropThread = (e) => {
    if (e.fiber_backend === 'thread') delete e.fiber_backend;
    return e;
  };
  v1.workloads.forEach(dropThread);
  v1.switch_ladder.forEach((r) => {
    delete r.runtime;
    dropThread(r);
  });
  v1.stack.forEach((s) => {
    delete s.runtime;
    dropThread(s);
  });
  v1.memory = v1.memory.map(({ count, rss_per_unit_bytes, valid, ...m }) => {
    const out = { ...dropThread(m), idle_connections: count, rss_per_connection_bytes: rss_per_unit_bytes };
    if (out.kind === 'idle-connections') delete out.unit;
    for (const part of ['stack_resident', 'handle_blocks', 'malloc', 'v8_heap']) {
      if (out[`${part}_per_unit_bytes`] !== undefined) out[`${part}_per_fiber_bytes`] = out[`${part}_per_unit_bytes`];
      delete out[`${part}_per_unit_bytes`];
    }
    if (!valid) out.valid = false;
    return out;
  });
  return v1;
}
