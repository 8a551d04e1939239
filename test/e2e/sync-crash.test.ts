/**
 * A ferry process killed (SIGKILL) while an apply waits on health, then started again on the same
 * state: the apply finishes, nothing is lost, and nothing is changed twice.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ObjectStatus } from '../../lib/jobs/status.ts';
import { conditionOf, statusKey } from '../../lib/jobs/status.ts';
import type { DevCluster } from '../../lib/kube/dev-cluster/index.ts';
import { startDevCluster } from '../../lib/kube/dev-cluster/index.ts';
import { EmbeddedStateStore } from '../../lib/state/index.ts';
import type { GitServer } from '../support/git-server.ts';
import { startGitServer } from '../support/git-server.ts';
import { freePort, waitFor } from '../support/ports.ts';

const root = resolve(import.meta.dirname, '../..');

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: default }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: web, image: 'nginx:1.25' }]
`;

describe('a killed ferry', () => {
  let dir: string;
  let git: GitServer;
  let cluster: DevCluster;
  let child: ChildProcess | undefined;

  const serve = async (port: number) => {
    child = spawn(
      join(root, 'node_modules/.bin/node'),
      [
        join(root, 'bin/ferry.js'),
        'serve',
        '--config',
        join(dir, 'config'),
        '--state',
        join(dir, 'state'),
        '--kubeconfig',
        join(dir, 'kubeconfig'),
        '--listen',
        `127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
    await waitFor(
      'ferry serve',
      async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.ok === true,
      20_000,
    );
  };
  const status = async () => {
    const store = new EmbeddedStateStore({ dir: join(dir, 'state') });
    try {
      return (
        await store.get<ObjectStatus>(
          statusKey({ kind: 'Kustomization', namespace: 'flux-system', name: 'apps' }),
        )
      )?.value;
    } finally {
      await store.close();
    }
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-crash-'));
    git = await startGitServer();
    cluster = await startDevCluster({ port: 0, rolloutDelayMs: 4_000 });
    await cluster.writeKubeconfig(join(dir, 'kubeconfig'));
  });

  afterEach(async () => {
    child?.kill('SIGKILL');
    await cluster.stop();
    await git.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('finishes an apply it was killed in the middle of', { timeout: 90_000 }, async () => {
    const repo = await git.createRepo('fleet');
    const sha = await git.commitFiles(repo, { 'apps/web.yaml': deployment });
    await mkdir(join(dir, 'config'));
    await writeFile(
      join(dir, 'config', 'fleet.yaml'),
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: fleet }
spec: { url: ${repo.url}, interval: 1h, ref: { branch: main } }
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps }
spec: { interval: 1h, timeout: 60s, path: ./apps, prune: true, wait: true, sourceRef: { kind: GitRepository, name: fleet } }
`,
    );
    await serve(await freePort());
    // Applied, and waiting for the rollout: kill it there.
    await waitFor(
      'health check in progress',
      async () => conditionOf(await status(), 'Reconciling')?.reason === 'Progressing',
      30_000,
    );
    child?.kill('SIGKILL');
    await new Promise((r) => child?.once('exit', r));

    await serve(await freePort());
    await waitFor(
      'ready after restart',
      async () => conditionOf(await status(), 'Ready')?.status === 'True',
      30_000,
    );
    expect(conditionOf(await status(), 'Ready')?.message).toBe(`Applied revision: main@sha1:${sha}`);
    const web = (await (
      await fetch(`${cluster.url}/apis/apps/v1/namespaces/default/deployments/web`)
    ).json()) as {
      metadata: { generation: number };
    };
    expect(web.metadata.generation).toBe(1);
  });
});
