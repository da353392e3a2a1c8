// What the harness asks of a load generator child process and what it answers (JSON on the last stdout line).

export interface EchoLoadConfig {
  kind: 'echo';
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
  messageSize: number;
  warmupS: number;
  durationS: number;
  ratePerS?: number; // open mode only
}

export interface LoadResult {
  completed: number; // checked replies inside the measured window
  errors: number;
  mismatches: number;
  firstError?: string;
  elapsedS: number;
  throughputPerS: number;
  histogram: string; // encoded HdrHistogram, ns; open mode: corrected (from the intended send)
  histogramUncorrected?: string; // open mode: from the actual send
  lagP99Us?: number; // open mode: the generator's own send lag
  cpuPct: number; // the generator's own CPU over the window (100 = one core)
}
