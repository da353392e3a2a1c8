// What the harness asks of a load generator child process and what it answers (JSON on the last stdout line).

export interface LoadConfig {
  // 'echo': fixed-size messages echoed byte for byte; 'http': HTTP/1.1 keep-alive GETs of "hello world"
  kind: 'echo' | 'http';
  host: string;
  port: number;
  transport: 'tcp' | 'tls';
  // tls only: CA (the self-signed certificates, PEM) and the SNI names to alternate between
  tls?: { ca: string; servernames: string[] };
  mode: 'closed' | 'open';
  // 'steady': long-lived connections exchanging messages; 'handshake': each operation is a fresh connection
  // (connect, handshake, one message, close)
  pattern: 'steady' | 'handshake';
  connections: number;
  messageSize: number; // echo
  warmupS: number;
  durationS: number;
  ratePerS?: number; // open mode only
  drainS?: number; // after the window, how long outstanding replies may take (default 2 s)
  serverPid?: number; // the server's CPU over the measured window is read from /proc/<pid>/stat
}

export interface LoadResult {
  generator: 'native' | 'node';
  completed: number; // checked replies inside the measured window
  errors: number;
  mismatches: number; // wrong answers
  firstError?: string;
  elapsedS: number;
  throughputPerS: number;
  histogram: string; // encoded HdrHistogram, ns; open mode: corrected (from the intended send)
  histogramUncorrected?: string; // from the actual send
  lagP99Us?: number; // open mode: the generator's own send lag (behind its schedule, not behind the server)
  unsent?: number; // open mode: arrivals that never found a free connection (the server fell behind)
  cpuPct: number; // the generator's own CPU over the window (100 = one core)
  serverCpuPct?: number; // the server's CPU over the same window, when serverPid was given
  serverCpuUsPerOp?: number; // the server's CPU per answered operation over the window, µs
}

// Server CPU figures over a window from CPU seconds and answered operations.
export function serverCpuFigures(
  serverCpuS: number,
  elapsedS: number,
  completed: number,
): Pick<LoadResult, 'serverCpuPct' | 'serverCpuUsPerOp'> {
  if (!(serverCpuS >= 0) || !(elapsedS > 0)) return {};
  const out: Pick<LoadResult, 'serverCpuPct' | 'serverCpuUsPerOp'> = {
    serverCpuPct: Math.round((serverCpuS / elapsedS) * 1000) / 10,
  };
  if (completed > 0) out.serverCpuUsPerOp = Math.round((serverCpuS * 1e6 * 100) / completed) / 100;
  return out;
}
