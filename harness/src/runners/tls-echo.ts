// tls-echo: TLS echo with SNI choosing between two certificates. Steady-state 64 B messages over 100 long-lived
// connections (closed and open loop) and full handshakes per second (connect, handshake, one echo, close) as
// separate measurements. The client alternates the two server names and verifies each certificate, so a wrong
// SNI choice is a failed (invalid) run, never a silent one.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LabConfig } from '../lab-config.js';
import type { ServerWorkloadSpec, VariantSpec } from './server-grid.js';
import { measureEcho } from './tcp-echo.js';

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
  const steadyConnections = 100;
  const handshakeConnections = 16;
  const variants: VariantSpec[] = [
    {
      variant: 'steady-64B', connections: steadyConnections, modes: ['closed', 'open'],
      measure: (port, mode, ratePerS) => measureEcho({ kind: 'echo', host: '127.0.0.1', transport: 'tls', tls, pattern: 'steady', connections: steadyConnections,
        messageSize: 64, warmupS: config.warmupS, durationS: config.durationS }, port, mode, config, ratePerS),
    },
    {
      variant: 'handshake', connections: handshakeConnections, modes: ['closed'],
      measure: (port, mode) => measureEcho({ kind: 'echo', host: '127.0.0.1', transport: 'tls', tls, pattern: 'handshake', connections: handshakeConnections,
        messageSize: 64, warmupS: config.warmupS, durationS: config.durationS }, port, mode, config),
    },
  ];
  return { name: 'tls-echo', serverArgs: [certDir, TLS_NAMES.join(',')], variants };
}
