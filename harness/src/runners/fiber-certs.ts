// A self-signed certificate for fiber.lab.test in the run's workDir (once per run): the stack sweep's and the
// memory runner's TLS-inside-a-fiber checks use it as key, cert and CA.
import path from 'node:path';
import type { LabConfig } from '../lab-config.js';
import { selfSignedCert } from '../process/self-signed-cert.js';

export const FIBER_CERT_NAME = 'fiber.lab.test';

// Async so that a failing openssl is a rejection the callers already handle.
export async function ensureFiberCerts(config: LabConfig): Promise<string> {
  const dir = path.join(config.workDir, 'fiber-certs');
  selfSignedCert(dir, FIBER_CERT_NAME);
  return dir;
}
