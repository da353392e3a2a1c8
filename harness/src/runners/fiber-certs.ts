// A self-signed certificate for fiber.lab.test, made with the Debian openssl CLI in the run's workDir (once per
// run): the stack sweep's and the memory runner's TLS-inside-a-fiber checks use it as key, cert and CA.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { LabConfig } from '../lab-config.js';
import { runCommand } from '../process/run-command.js';

export const FIBER_CERT_NAME = 'fiber.lab.test';

export async function ensureFiberCerts(config: LabConfig): Promise<string> {
  const dir = path.join(config.workDir, 'fiber-certs');
  const key = path.join(dir, `${FIBER_CERT_NAME}.key`);
  const crt = path.join(dir, `${FIBER_CERT_NAME}.crt`);
  if (existsSync(key) && existsSync(crt)) return dir;
  mkdirSync(dir, { recursive: true });
  const run = await runCommand(
    [
      'openssl',
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      crt,
      '-days',
      '2',
      '-subj',
      `/CN=${FIBER_CERT_NAME}`,
      '-addext',
      `subjectAltName=DNS:${FIBER_CERT_NAME}`,
    ],
    { timeoutMs: 60000 },
  );
  if (run.code !== 0 || !existsSync(crt))
    throw new Error(`openssl req failed (${run.code}): ${run.stderr.trim().slice(-300)}`);
  return dir;
}
