// tls-echo: TLS echo with SNI choosing between two certificates. Steady-state 64 B and 16 KiB messages over 100
// long-lived connections and full handshakes (connect, handshake, one echo, close; no resumption), each closed
// loop and on the open-loop ladder. The client alternates the two server names and verifies each certificate
// against the run's CA and the name asked, so a wrong SNI choice is a failed (invalid) run, never a silent one.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LabConfig } from '../lab-config.js';
import type { ServerWorkloadSpec, VariantSpec } from './server-grid.js';
import { measureLoad } from './load-point.js';

export const TLS_NAMES = ['a.lab.test', 'b.lab.test'];

// Two self-signed certificates made with the openssl CLI in the run's workDir; returns the directory.
export function ensureTlsEchoCerts(config: LabConfig): string {
  const dir = path.join(config.workDir, 'tls-echo-certs');
  mkdirSync(dir, { recursive: true });
  for (const name of TLS_NAMES) {
    if (existsSync(path.join(dir, `${name}.crt`))) continue;
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${name}`,
      '-addext', `subjectAltName=DNS:${name}`, '-keyout', path.join(dir, `${name}.key`), '-out', path.join(dir, `${name}.crt`)], { stdio: 'ignore' });
  }
  return dir;
}

export function tlsEchoSpec(config: LabConfig): ServerWorkloadSpec {
  const certDir = ensureTlsEchoCerts(config);
  const ca = TLS_NAMES.map((name) => readFileSync(path.join(certDir, `${name}.crt`), 'utf8')).join('');
  const tls = { ca, servernames: TLS_NAMES };
  const steady = (variant: string, connections: number, messageSize: number): VariantSpec => ({
    variant, connections, modes: ['closed', 'open'],
    measure: (server, mode, ratePerS) => measureLoad({ kind: 'echo', host: '127.0.0.1', transport: 'tls', tls, pattern: 'steady', connections,
      messageSize, warmupS: config.warmupS, durationS: config.durationS }, server, mode, config, ratePerS),
  });
  const handshakeConnections = 16;
  const variants: VariantSpec[] = [
    steady('steady-64B', 100, 64),
    steady('steady-16KiB', 100, 16384),
    {
      variant: 'handshake', connections: handshakeConnections, modes: ['closed', 'open'],
      measure: (server, mode, ratePerS) => measureLoad({ kind: 'echo', host: '127.0.0.1', transport: 'tls', tls, pattern: 'handshake', connections: handshakeConnections,
        messageSize: 64, warmupS: config.warmupS, durationS: config.durationS }, server, mode, config, ratePerS),
    },
  ];
  return { name: 'tls-echo', serverArgs: [certDir, TLS_NAMES.join(',')], variants };
}
