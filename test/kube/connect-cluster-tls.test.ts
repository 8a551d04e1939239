import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import type { Server } from 'node:https';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevCluster } from '../../lib/kube/dev-cluster/index.ts';
import { startDevCluster } from '../../lib/kube/dev-cluster/index.ts';
import { applyObjects, connectCluster, KubeUnavailableError } from '../../lib/kube/index.ts';
import { makeTempDir, removeTempDir, runCommand } from '../support/processes.ts';
import { requireTool } from '../support/tools.ts';

// The simulator speaks plain HTTP; clusters speak TLS. A TLS terminator in front of the real
// simulator (no mock: every request reaches it) lets the test drive ferry's TLS transport.
let dev: DevCluster;
let tls: Server;
let dir: string;
let ca: string;
let url: string;

beforeAll(async () => {
  const openssl = requireTool('openssl', 'openssl', ['version']);
  dir = await makeTempDir('ferry-kube-tls-');
  await runCommand(openssl, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-keyout',
    join(dir, 'key.pem'),
    '-out',
    join(dir, 'cert.pem'),
  ]);
  ca = await readFile(join(dir, 'cert.pem'), 'utf8');
  dev = await startDevCluster({ rolloutDelayMs: 20 });
  const upstream = new URL(dev.url);
  tls = createServer({ key: await readFile(join(dir, 'key.pem')), cert: ca }, (req, res) => {
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
});

afterAll(async () => {
  tls?.closeAllConnections();
  await new Promise((resolve) => (tls ? tls.close(resolve) : resolve(undefined)));
  await dev?.stop();
  if (dir) await removeTempDir(dir);
});

function kubeconfig(cluster: Record<string, unknown>): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'tls', cluster: { server: url, ...cluster } }],
    users: [{ name: 'ferry', user: { token: 'not-checked-by-the-simulator' } }],
    contexts: [{ name: 'tls', context: { cluster: 'tls', user: 'ferry' } }],
    'current-context': 'tls',
  });
}

const settings = (value: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'tls-settings', namespace: 'default' },
  data: { value },
});

describe('connectCluster over TLS', () => {
  it('applies through a server whose certificate the kubeconfig CA signs, on one connection pool', async () => {
    const cluster = connectCluster({
      kubeconfigYaml: kubeconfig({ 'certificate-authority-data': Buffer.from(ca).toString('base64') }),
    });
    try {
      expect((await applyObjects(cluster, [settings('a')])).counts.created).toBe(1);
      expect((await applyObjects(cluster, [settings('b')])).counts.configured).toBe(1);
    } finally {
      await cluster.close();
    }
  });

  it('refuses a server whose certificate it cannot verify, as a transient failure naming the object', async () => {
    const cluster = connectCluster({ kubeconfigYaml: kubeconfig({}) });
    try {
      const error = await applyObjects(cluster, [settings('c')]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KubeUnavailableError);
      expect((error as Error).message).toMatch(/ConfigMap\/default\/tls-settings: .*certificate/);
    } finally {
      await cluster.close();
    }
  });
});
