// A self-signed certificate for one DNS name (CN and subjectAltName), made with Debian's openssl CLI: the lab's
// TLS workloads and the runtime's TLS tests all use this one recipe. Kept if both files are already there.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export interface CertFiles {
  key: string; // PEM private key, `${name}.key` in dir
  crt: string; // PEM certificate, `${name}.crt` in dir; it is its own CA
}

export function selfSignedCert(dir: string, name: string): CertFiles {
  const files = { key: path.join(dir, `${name}.key`), crt: path.join(dir, `${name}.crt`) };
  if (existsSync(files.key) && existsSync(files.crt)) return files;
  mkdirSync(dir, { recursive: true });
  // execFileSync throws with openssl's stderr in the message when it fails.
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
      files.key,
      '-out',
      files.crt,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60000 },
  );
  return files;
}
