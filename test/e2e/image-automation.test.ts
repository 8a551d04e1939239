/**
 * Image automation end to end, every part real: a CNCF distribution registry notifying `ferry`
 * (in process, over HTTP), skopeo pushing images, `git http-backend` serving the fleet repository.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { receiverDigest } from '../../lib/receivers/index.ts';
import type { LocalRuntime } from '../../lib/runtime/local-runtime.ts';
import { startLocalRuntime } from '../../lib/runtime/local-runtime.ts';
import type { GitRepo, GitServer } from '../support/git-server.ts';
import { startGitServer } from '../support/git-server.ts';
import { captureLogs } from '../support/log-capture.ts';
import { freePort, waitFor } from '../support/ports.ts';
import type { Registry } from '../support/registry.ts';
import { startRegistry } from '../support/registry.ts';

const TOKEN = 'registry-webhook-token';

const deployment = (name: string, image: string, marker = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: apps
spec:
  template:
    spec:
      containers:
        - name: ${name}
          image: ${image}${marker}
`;

const v1Deployment = (
  name: string,
  image: string,
  annotations: Record<string, string>,
) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: apps
  annotations:
${Object.entries(annotations)
  .map(([k, v]) => `    ${k}: "${v}"`)
  .join('\n')}
spec:
  template:
    spec:
      containers:
        - name: ${name}
          image: ${image}
`;

function config(registry: Registry, repo: GitRepo, images: string[], scanInterval: string): string {
  const perImage = images
    .map(
      (image) => `---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata: { name: ${image} }
spec: { image: ${registry.host}/team/${image}, interval: ${scanInterval}, insecure: true }
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata: { name: ${image} }
spec:
  imageRepositoryRef: { name: ${image} }
  policy: { semver: { range: '>=1.0.0' } }
`,
    )
    .join('');
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: fleet }
spec: { url: ${repo.url}, interval: 1h, ref: { branch: main } }
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata: { name: fleet }
spec:
  interval: 1h
  sourceRef: { kind: GitRepository, name: fleet }
  git:
    checkout: { ref: { branch: main } }
    commit:
      author: { name: ferry, email: ferry@example.com }
      messageTemplate: |
        Automated image update by {{ .AutomationObject }}

        {{ range .Changed.Changes -}}
        - {{ .OldValue }} -> {{ .NewValue }}
        {{ end -}}
    push: { branch: main }
  update: { path: ./apps, strategy: Setters }
---
apiVersion: v1
kind: Secret
metadata: { name: registry-token }
stringData: { token: ${TOKEN} }
---
apiVersion: notification.toolkit.fluxcd.io/v1
kind: Receiver
metadata: { name: registry }
spec:
  type: distribution
  secretRef: { name: registry-token }
  resources: [{ kind: ImageRepository, name: '*' }]
${perImage}`;
}

describe('image automation, end to end', () => {
  let dir: string;
  let git: GitServer;
  let registry: Registry | undefined;
  let runtime: LocalRuntime | undefined;
  let port: number;
  let logs: ReturnType<typeof captureLogs>;

  const start = async (repo: GitRepo, images: string[], scanInterval = '1h') => {
    const configDir = join(dir, 'config');
    await mkdir(configDir, { recursive: true });
    await writeFile(join(configDir, 'fleet.yaml'), config(registry as Registry, repo, images, scanInterval));
    runtime = await startLocalRuntime({
      configDir,
      stateDir: join(dir, 'state'),
      port,
      log: logs.log,
      schedulerTickMs: 200,
      consumer: { waitSeconds: 1, backoff: () => 1 },
    });
    return runtime;
  };
  const hookUrl = () => `http://127.0.0.1:${port}/hook/${receiverDigest(TOKEN, 'registry', 'flux-system')}`;
  const commitsOf = async (repo: GitRepo) => (await git.log(repo, 'main')).length;
  /** The start-up scan and update are done, so that a push afterwards is the only news. */
  const firstReconcile = async (scans = 1) => {
    await waitFor(
      'first scans',
      async () => logs.lines().filter((l) => l.msg === 'image scanned').length >= scans,
      30_000,
    );
    await waitFor(
      'first update',
      async () =>
        (await runtime?.status.read({
          kind: 'ImageUpdateAutomation',
          namespace: 'flux-system',
          name: 'fleet',
        })) !== undefined,
      30_000,
    );
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-e2e-'));
    git = await startGitServer();
    port = await freePort();
    logs = captureLogs('info');
  });

  afterEach(async () => {
    await runtime?.stop(2_000);
    runtime = undefined;
    await registry?.close();
    registry = undefined;
    await git.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('turns a registry push into one commit that sets every marker of the policy, and leaves locked workloads alone', async () => {
    registry = await startRegistry({
      notifications: { url: hookUrl(), headers: { Authorization: [`Bearer ${TOKEN}`] } },
    });
    const app = `${registry.host}/team/app`;
    await registry.pushImage('team/app', '1.0.0');
    const repo = await git.createRepo('fleet');
    await git.commitFiles(repo, {
      'apps/app.yaml': deployment('app', `${app}:1.0.0`, ' # {"$imagepolicy": "flux-system:app"}'),
      'apps/values.yaml': `image:\n  repository: ${app} # {"$imagepolicy": "flux-system:app:name"}\n  tag: "1.0.0" # {"$imagepolicy": "flux-system:app:tag"}\n`,
      'apps/v1.yaml': v1Deployment('legacy', `${app}:1.0.0`, {
        'fluxcd.io/automated': 'true',
        'fluxcd.io/tag.legacy': 'semver:~1',
      }),
      'apps/locked.yaml': v1Deployment('pinned', `${app}:1.0.0`, {
        'fluxcd.io/automated': 'true',
        'fluxcd.io/locked': 'true',
        'fluxcd.io/locked_msg': 'incident 42',
      }),
      'apps/unrelated.yaml': deployment('other', 'nginx:1.25'),
    });
    const before = await commitsOf(repo);
    await start(repo, ['app']);
    // The first reconcile scans and updates and finds nothing to change: the files are at the latest tag.
    await firstReconcile();

    await registry.pushImage('team/app', '1.2.3');
    await waitFor('the automation commit', async () => (await commitsOf(repo)) > before, 30_000);
    // Give a second commit a chance to appear, were ferry to make one.
    await new Promise((r) => setTimeout(r, 1_500));
    const log = await git.log(repo, 'main');
    expect(log.length).toBe(before + 1);
    // Three changes: the full-image marker, the v1 workload (same values, its own setter), the tag marker.
    expect(log[0]?.message).toBe(
      `Automated image update by flux-system/fleet\n\n- ${app}:1.0.0 -> ${app}:1.2.3\n- ${app}:1.0.0 -> ${app}:1.2.3\n- 1.0.0 -> 1.2.3`,
    );
    expect(await git.readFile(repo, 'main', 'apps/app.yaml')).toBe(
      deployment('app', `${app}:1.2.3`, ' # {"$imagepolicy": "flux-system:app"}'),
    );
    expect(await git.readFile(repo, 'main', 'apps/values.yaml')).toContain(
      'tag: "1.2.3" # {"$imagepolicy": "flux-system:app:tag"}',
    );
    expect(await git.readFile(repo, 'main', 'apps/v1.yaml')).toContain(`image: ${app}:1.2.3`);
    expect(await git.readFile(repo, 'main', 'apps/locked.yaml')).toContain(`image: ${app}:1.0.0`);
    expect(await git.readFile(repo, 'main', 'apps/unrelated.yaml')).toBe(deployment('other', 'nginx:1.25'));
  });

  it('finds a push by the scheduled scan when no webhook comes', async () => {
    registry = await startRegistry();
    const app = `${registry.host}/team/app`;
    await registry.pushImage('team/app', '1.0.0');
    const repo = await git.createRepo('fleet');
    const marker = ' # {"$imagepolicy": "flux-system:app"}';
    await git.commitFiles(repo, { 'apps/app.yaml': deployment('app', `${app}:1.0.0`, marker) });
    const before = await commitsOf(repo);
    await start(repo, ['app'], '2s');
    await firstReconcile();

    await registry.pushImage('team/app', '1.1.0');
    await waitFor('the automation commit', async () => (await commitsOf(repo)) > before, 30_000);
    expect(await git.readFile(repo, 'main', 'apps/app.yaml')).toBe(deployment('app', `${app}:1.1.0`, marker));
    expect(logs.lines().filter((l) => l.msg === 'webhook accepted')).toEqual([]);
  });

  it('applies a burst of 20 pushes of 5 images with every change committed exactly once', async () => {
    registry = await startRegistry({
      notifications: { url: hookUrl(), headers: { Authorization: [`Bearer ${TOKEN}`] } },
    });
    const images = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];
    const host = registry.host;
    const marker = (image: string) => ` # {"$imagepolicy": "flux-system:${image}"}`;
    for (const image of images) await registry.pushImage(`team/${image}`, '1.0.0');
    const repo = await git.createRepo('fleet');
    await git.commitFiles(
      repo,
      Object.fromEntries(
        images.map((image) => [
          `apps/${image}.yaml`,
          deployment(image, `${host}/team/${image}:1.0.0`, marker(image)),
        ]),
      ),
    );
    const before = await commitsOf(repo);
    await start(repo, images);
    await firstReconcile(images.length);

    const pushes = images.flatMap((image) =>
      ['1.0.1', '1.0.2', '1.0.3', '1.0.4'].map((tag) => ({ image, tag })),
    );
    await Promise.all(pushes.map(({ image, tag }) => registry?.pushImage(`team/${image}`, tag)));
    const final = async () => {
      for (const image of images) {
        const text = await git.readFile(repo, 'main', `apps/${image}.yaml`);
        if (!text?.includes(`${host}/team/${image}:1.0.4`)) return false;
      }
      return true;
    };
    await waitFor('every image at its latest tag', final, 60_000);
    await new Promise((r) => setTimeout(r, 1_500));

    // Walk the history oldest first: every commit changes something, and each file only moves forward.
    const log = (await git.log(repo, 'main')).slice(0, -before).reverse();
    expect(log.length).toBeGreaterThan(0);
    expect(log.length).toBeLessThanOrEqual(pushes.length);
    const seen = new Map(images.map((image) => [image, '1.0.0']));
    for (const commit of log) {
      let changed = 0;
      for (const image of images) {
        const text = (await git.readFile(repo, commit.sha, `apps/${image}.yaml`)) ?? '';
        const tag = /:(1\.0\.\d)/.exec(text)?.[1] ?? '';
        const previous = seen.get(image) ?? '';
        expect(tag >= previous, `${image} went back from ${previous} to ${tag} in ${commit.sha}`).toBe(true);
        if (tag !== previous) changed++;
        seen.set(image, tag);
      }
      expect(changed, `commit ${commit.sha} changes nothing`).toBeGreaterThan(0);
    }
    expect([...seen.values()]).toEqual(images.map(() => '1.0.4'));
  });
});
