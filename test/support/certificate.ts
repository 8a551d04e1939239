/** Self-signed certificates made with `openssl`, for test servers that must speak TLS. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from './processes.ts';
import { requireTool } from './tools.ts';

export type Pki = { certificate: string; certificatePath: string; keyPath: string };

/** A self-signed P-256 certificate for 127.0.0.1: the registry's TLS certificate and the token signer's. */
export async function selfSignedCertificate(root: string): Promise<Pki> {
  requireTool('openssl', 'openssl', ['version']);
  const certificatePath = join(root, 'cert.pem');
  const keyPath = join(root, 'key.pem');
  await runCommand('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    keyPath,
    '-out',
    certificatePath,
    '-days',
    '2',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  ]);
  return { certificate: await readFile(certificatePath, 'utf8'), certificatePath, keyPath };
}
