// The Node echo load generator for tcp-echo and tls-echo (the cross-check of the native one, LAB_JS_LOADGEN=1):
// closed loop (max throughput) or open loop (constant arrival rate, latency from the intended send), every
// reply checked byte for byte.
import net from 'node:net';
import tls from 'node:tls';
import { createLatencyHistogram, encodeHistogram, recordNs } from '../recorders/histogram.js';
import { EchoReassembler, echoMatches, makeEchoPayload, stampSequence } from './echo-check.js';
import { readProcSnapshot } from '../recorders/proc-sampler.js';
import { serverCpuFigures, type LoadConfig, type LoadResult } from './loadgen-protocol.js';
import { intendedSendNs, latencies, type RatePlan } from './rate-schedule.js';

const nowNs = (): number => Number(process.hrtime.bigint());

interface RunState {
  measureFromNs: number;
  endNs: number;
  completed: number;
  errors: number;
  mismatches: number;
  firstError?: string;
  corrected: ReturnType<typeof createLatencyHistogram>;
  uncorrected: ReturnType<typeof createLatencyHistogram>;
  lag: ReturnType<typeof createLatencyHistogram>;
}

function fail(state: RunState, message: string): void {
  state.errors++;
  state.firstError ??= message;
}

function connect(config: LoadConfig, connection: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    if (config.transport === 'tcp') {
      const socket = net.connect(config.port, config.host, () => resolve(socket));
      socket.setNoDelay(true);
      socket.once('error', reject);
      return;
    }
    const names = config.tls?.servernames ?? ['localhost'];
    const servername = names[connection % names.length]!;
    const socket = tls.connect(
      { port: config.port, host: config.host, servername, ca: config.tls?.ca, rejectUnauthorized: true },
      () => {
        // The SNI answer check: the certificate presented must be the one for the name asked.
        const cn = socket.getPeerCertificate().subject?.CN;
        if (cn !== servername) reject(new Error(`SNI: asked ${servername}, got certificate for ${String(cn)}`));
        else resolve(socket);
      },
    );
    socket.setNoDelay(true);
    socket.once('error', reject);
  });
}

// One connection's request/reply channel: handlers attached once, one message outstanding at a time.
class EchoChannel {
  #pending: { resolve: (reply: Buffer) => void; reject: (error: Error) => void } | null = null;
  #failure: Error | null = null;
  constructor(
    readonly socket: net.Socket,
    readonly reassembler: EchoReassembler,
  ) {
    socket.on('data', (chunk: Buffer) => {
      const message = this.reassembler.push(chunk);
      if (message && this.#pending) {
        const { resolve } = this.#pending;
        this.#pending = null;
        resolve(message);
      }
    });
    const stop = (error: Error): void => {
      this.#failure ??= error;
      const pending = this.#pending;
      this.#pending = null;
      pending?.reject(this.#failure);
    };
    socket.on('error', stop);
    socket.on('close', () => stop(new Error('connection closed before the echo arrived')));
  }

  exchange(payload: Buffer): Promise<Buffer> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.socket.write(payload);
    });
  }
}

// Resolves at (or just after) `targetNs`: a timer for the bulk of the wait, then setImmediate for precision.
function waitUntil(targetNs: number): Promise<void> {
  return new Promise((resolve) => {
    const tick = (): void => {
      const remainingMs = (targetNs - nowNs()) / 1e6;
      if (remainingMs <= 0) resolve();
      else if (remainingMs > 2) setTimeout(tick, remainingMs - 1.5);
      else setImmediate(tick);
    };
    tick();
  });
}

async function steadyConnection(
  config: LoadConfig,
  state: RunState,
  connection: number,
  plan: RatePlan | null,
): Promise<void> {
  let socket: net.Socket;
  try {
    socket = await connect(config, connection);
  } catch (error) {
    fail(state, `connect: ${(error as Error).message}`);
    return;
  }
  const payload = makeEchoPayload(config.messageSize, connection);
  const channel = new EchoChannel(socket, new EchoReassembler(config.messageSize));
  let freeAt = nowNs();
  try {
    for (let index = 0; ; index++) {
      let intended = 0;
      if (plan) {
        intended = intendedSendNs(plan, connection, index);
        if (intended >= state.endNs) break;
        await waitUntil(intended);
      }
      const sentAt = nowNs();
      if (sentAt >= state.endNs) break;
      stampSequence(payload, index);
      const reply = await channel.exchange(payload);
      const repliedAt = nowNs();
      freeAt = repliedAt;
      if (!echoMatches(payload, reply)) {
        state.mismatches++;
        state.firstError ??= `connection ${connection}: echo mismatch at message ${index}`;
        break;
      }
      if (sentAt < state.measureFromNs || repliedAt > state.endNs) continue;
      state.completed++;
      if (plan) {
        const l = latencies(intended, sentAt, repliedAt, freeAt);
        recordNs(state.corrected, l.correctedNs);
        recordNs(state.uncorrected, l.uncorrectedNs);
        recordNs(state.lag, l.lagNs);
      } else {
        recordNs(state.corrected, repliedAt - sentAt);
      }
    }
  } catch (error) {
    fail(state, `connection ${connection}: ${(error as Error).message}`);
  } finally {
    socket.destroy();
  }
}

// Each operation: a fresh connection (and TLS handshake), one checked message, close.
async function handshakeLoop(config: LoadConfig, state: RunState, worker: number): Promise<void> {
  const payload = makeEchoPayload(config.messageSize, worker);
  for (let index = 0; nowNs() < state.endNs; index++) {
    const startedAt = nowNs();
    let socket: net.Socket | null = null;
    try {
      socket = await connect(config, worker + index);
      stampSequence(payload, index);
      const reply = await new EchoChannel(socket, new EchoReassembler(config.messageSize)).exchange(payload);
      if (!echoMatches(payload, reply)) {
        state.mismatches++;
        state.firstError ??= `handshake ${index}: echo mismatch`;
        continue;
      }
      const doneAt = nowNs();
      if (startedAt >= state.measureFromNs && doneAt <= state.endNs) {
        state.completed++;
        recordNs(state.corrected, doneAt - startedAt);
      }
    } catch (error) {
      fail(state, `handshake ${index}: ${(error as Error).message}`);
      if (state.errors > 100) return;
    } finally {
      socket?.destroy();
    }
  }
}

export async function runEchoLoad(config: LoadConfig): Promise<LoadResult> {
  const startNs = nowNs();
  const measureFromNs = startNs + config.warmupS * 1e9;
  const state: RunState = {
    measureFromNs,
    endNs: measureFromNs + config.durationS * 1e9,
    completed: 0,
    errors: 0,
    mismatches: 0,
    corrected: createLatencyHistogram(),
    uncorrected: createLatencyHistogram(),
    lag: createLatencyHistogram(),
  };
  const plan: RatePlan | null =
    config.mode === 'open'
      ? { startNs: startNs + 50e6, ratePerS: config.ratePerS ?? 1000, connections: config.connections }
      : null;
  // The generator's and the server's CPU are read at the window's edges (timers), like the native generator.
  const serverCpuS = (): number =>
    config.serverPid ? (readProcSnapshot(config.serverPid)?.cpuTicks ?? NaN) / 100 : NaN;
  let cpuAtMeasure = process.cpuUsage();
  let serverAtMeasure = NaN;
  let window = { cpuS: NaN, serverCpuS: NaN, elapsedS: config.durationS };
  let openedAt = nowNs();
  const measureTimer = setTimeout(() => {
    cpuAtMeasure = process.cpuUsage();
    serverAtMeasure = serverCpuS();
    openedAt = nowNs();
  }, config.warmupS * 1000);
  const endTimer = setTimeout(
    () => {
      const cpu = process.cpuUsage(cpuAtMeasure);
      window = {
        cpuS: (cpu.user + cpu.system) / 1e6,
        serverCpuS: serverCpuS() - serverAtMeasure,
        elapsedS: (nowNs() - openedAt) / 1e9,
      };
    },
    (config.warmupS + config.durationS) * 1000,
  );
  const workers = Array.from({ length: config.connections }, (_, k) =>
    config.pattern === 'handshake' ? handshakeLoop(config, state, k) : steadyConnection(config, state, k, plan),
  );
  await Promise.all(workers);
  clearTimeout(measureTimer);
  clearTimeout(endTimer);
  if (Number.isNaN(window.cpuS)) {
    const cpu = process.cpuUsage(cpuAtMeasure);
    window = {
      cpuS: (cpu.user + cpu.system) / 1e6,
      serverCpuS: serverCpuS() - serverAtMeasure,
      elapsedS: (nowNs() - openedAt) / 1e9,
    };
  }
  const elapsedS = config.durationS;
  const result: LoadResult = {
    generator: 'node',
    completed: state.completed,
    errors: state.errors,
    mismatches: state.mismatches,
    elapsedS,
    throughputPerS: state.completed / elapsedS,
    histogram: encodeHistogram(state.corrected),
    cpuPct: Math.round((window.cpuS / window.elapsedS) * 1000) / 10,
    ...serverCpuFigures(window.serverCpuS, window.elapsedS, state.completed),
  };
  if (state.firstError) result.firstError = state.firstError;
  if (plan) {
    result.histogramUncorrected = encodeHistogram(state.uncorrected);
    result.lagP99Us = Math.round(state.lag.getValueAtPercentile(99) / 100) / 10;
  }
  return result;
}
