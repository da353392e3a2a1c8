// tls-echo: TLS echo with SNI choosing between two certificates. Steady-state 64 B and 16 KiB messages over 100
// long-lived connections and full handshakes (connect, handshake, one echo, close; no resumption), each closed
// loop and on the open-loop ladder. The client alternates the two server names and verifies each certificate
// against the run's CA and the name asked, so a wrong SNI choice is a failed (invalid) run, never a silent one.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { LabConfig } from '../lab-config.js';
import { selfSignedCert } from '../process/self-signed-cert.js';
import { loadVariant } from './load-point.js';
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

// Two self-signed certificates in the run's workDir; returns the directory.
export function ensureTlsEchoCerts(config: Pick<LabConfig, 'workDir'>): string {
  const dir = path.join(config.workDir, 'tls-echo-certs');
  for (const name of TLS_NAMES) selfSignedCert(dir, name);
  return dir;
}

export function tlsEchoSpec(config: LabConfig): ServerWorkloadSpec {
  const certDir = ensureTlsEchoCerts(config);
  const ca = TLS_NAMES.map((name) => readFileSync(path.join(certDir, `${name}.crt`), 'utf8')).join('');
  const tls = { ca, servernames: TLS_NAMES };
  const variants: VariantSpec[] = TLS_ECHO.variants.map((variant) =>
    loadVariant(config, variant, concurrencyOf(TLS_ECHO, variant), ['closed', 'open'], {
      kind: 'echo',
      transport: 'tls',
      tls,
      pattern: variant === 'handshake' ? 'handshake' : 'steady',
      messageSize: TLS_ECHO.parameters.message_bytes[variant as keyof typeof TLS_ECHO.parameters.message_bytes],
    }),
  );
  return { name: TLS_ECHO.name, serverArgs: { cert_dir: certDir, names: TLS_NAMES.join(',') }, variants };
}

export const tlsEcho = serverWorkload(TLS_ECHO, tlsEchoSpec);
