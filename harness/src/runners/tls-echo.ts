// tls-echo: TLS echo with SNI choosing between two certificates. Steady-state 64 B and 16 KiB messages over 100
// long-lived connections and full handshakes (connect, handshake, one echo, close; no resumption), each closed
// loop and on the open-loop ladder. The client alternates the two server names and verifies each certificate
// against the run's CA and the name asked, so a wrong SNI choice is a failed (invalid) run, never a silent one.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LabConfig } from '../lab-config.js';
import { measureLoad } from './load-point.js';
import { serverWorkload, type ServerWorkloadSpec, type VariantSpec } from './server-grid.js';
import { concurrencyOf, type WorkloadDeclaration } from './workload.js';

export const TLS_NAMES = ['a.lab.test', 'b.lab.test'];

export const TLS_ECHO = {
  name: 'tls-echo',
  about: 'TLS echo with SNI between two certificates: steady 64 B and 16 KiB messages, and full handshakes',
  variants: ['steady-64B', 'steady-16KiB', 'handshake'],
  concurrency: { 'steady-64B': 100, 'steady-16KiB': 100, handshake: 16 },
  program: { name: 'tls-echo', forms: { serve: ['port', 'host', 'cert_dir', 'names'] } },
  // bytes per message; a handshake connection sends one message and closes
  parameters: { message_bytes: { 'steady-64B': 64, 'steady-16KiB': 16384, handshake: 64 } },
} satisfies WorkloadDeclaration;

// Two self-signed certificates made with the openssl CLI in the run's workDir; returns the directory.
export function ensureTlsEchoCerts(config: LabConfig): string {
  const dir = path.join(config.workDir, 'tls-echo-certs');
  mkdirSync(dir, { recursive: true });
  for (const name of TLS_NAMES) {
    if (existsSync(path.join(dir, `${name}.crt`))) continue;
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        `/CN=${name}`,
        '-addext',
        `subjectAltName=DNS:${name}`,
        '-keyout',
        path.join(dir, `${name}.key`),
        '-out',
        path.join(dir, `${name}.crt`),
      ],
      { stdio: 'ignore' },
    );
  }
  return dir;
}

export function tlsEchoSpec(config: LabConfig): ServerWorkloadSpec {
  const certDir = ensureTlsEchoCerts(config);
  const ca = TLS_NAMES.map((name) => readFileSync(path.join(certDir, `${name}.crt`), 'utf8')).join('');
  const tls = { ca, servernames: TLS_NAMES };
  const variants: VariantSpec[] = TLS_ECHO.variants.map((variant) => {
    const connections = concurrencyOf(TLS_ECHO, variant);
    const messageSize = TLS_ECHO.parameters.message_bytes[variant as keyof typeof TLS_ECHO.parameters.message_bytes];
    const pattern = variant === 'handshake' ? 'handshake' : 'steady';
    return {
      variant,
      connections,
      modes: ['closed', 'open'],
      measure: (server, mode, ratePerS) =>
        measureLoad(
          {
            kind: 'echo',
            host: '127.0.0.1',
            transport: 'tls',
            tls,
            pattern,
            connections,
            messageSize,
            warmupS: config.warmupS,
            durationS: config.durationS,
          },
          server,
          mode,
          config,
          ratePerS,
        ),
    };
  });
  return { name: TLS_ECHO.name, serverArgs: { cert_dir: certDir, names: TLS_NAMES.join(',') }, variants };
}

export const tlsEcho = serverWorkload(TLS_ECHO, tlsEchoSpec);
