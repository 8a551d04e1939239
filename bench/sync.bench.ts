/**
 * Git push → everything applied, on a 3,000-file fleet repository: ferry (`ferry serve` in this
 * process, `ferry dev-cluster` as the cluster, a signed push webhook) against the pipeline a team
 * would script without it — `git clone --depth 1` of the pushed commit and `kubectl apply
 * --server-side -R -f` of the directory, as the same field manager — against the same simulator, in the same run. Each run
 * changes one file and pushes; p50 of RUNS runs per side, wall time from the push to the applied
 * revision.
 */
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { conditionOf } from '../lib/jobs/status.ts';
import { startDevCluster } from '../lib/kube/dev-cluster/index.ts';
import { createLogger, silentLogger } from '../lib/observe/logger.ts';
import { receiverDigest } from '../lib/receivers/index.ts';
import { startLocalRuntime } from '../lib/runtime/local-runtime.ts';
import { startGitServer } from '../test/support/git-server.ts';
import { median as p50 } from './support/stats.ts';

const run = promisify(execFile);
const FILES = 3_000;
const RUNS = 5;
const TOKEN = 'bench-secret';

const configMap = (i: number, value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n  namespace: default\ndata:\n  value: "${value}"\n`;

export default async function syncBench(): Promise<void> {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const dir = await mkdtemp(join(base, 'ferry-bench-sync-'));
  const git = await startGitServer();
  const cluster = await startDevCluster({ port: 0, rolloutDelayMs: 0 });
  await cluster.writeKubeconfig(join(dir, 'kubeconfig'));
  const repo = await git.createRepo('fleet');
  const files: Record<string, string> = {};
  for (let i = 0; i < FILES; i++) files[`apps/team-${i % 30}/cm-${i}.yaml`] = configMap(i, 'v0');
  await git.commitFiles(repo, files);

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
spec: { interval: 1h, path: ./apps, prune: true, sourceRef: { kind: GitRepository, name: fleet } }
---
apiVersion: v1
kind: Secret
metadata: { name: github }
stringData: { token: ${TOKEN} }
---
apiVersion: notification.toolkit.fluxcd.io/v1
kind: Receiver
metadata: { name: github }
spec: { type: github, secretRef: { name: github }, resources: [{ kind: GitRepository, name: fleet }] }
`,
  );
  const runtime = await startLocalRuntime({
    configDir: join(dir, 'config'),
    stateDir: join(dir, 'state'),
    port: 0,
    kubeconfig: join(dir, 'kubeconfig'),
    log: process.env.FERRY_BENCH_LOG ? createLogger({ level: 'warn' }) : silentLogger(),
    schedulerTickMs: 200,
    consumer: { waitSeconds: 1 },
    watch: false,
  });
  const appliedMessage = async () =>
    conditionOf(
      await runtime.status.read({ kind: 'Kustomization', namespace: 'flux-system', name: 'apps' }),
      'Ready',
    )?.message;
  /** Polls until done; a Kustomization that stalled or failed ends the bench with its reason. */
  const until = async (done: () => Promise<boolean>) => {
    while (!(await done())) {
      const ready = conditionOf(
        await runtime.status.read({ kind: 'Kustomization', namespace: 'flux-system', name: 'apps' }),
        'Ready',
      );
      if (ready?.status === 'False') throw new Error(`apps failed: ${ready.reason}: ${ready.message}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const push = async (sha: string) => {
    const body = JSON.stringify({ ref: 'refs/heads/main', after: sha, repository: { clone_url: repo.url } });
    await fetch(`${runtime.url}/hook/${receiverDigest(TOKEN, 'github', 'flux-system')}`, {
      method: 'POST',
      body,
      headers: {
        'x-github-event': 'push',
        'x-github-delivery': sha,
        'x-hub-signature-256': `sha256=${createHmac('sha256', TOKEN).update(body).digest('hex')}`,
      },
    });
  };

  try {
    await until(async () => (await appliedMessage())?.startsWith('Applied revision') === true);
    const ferry: number[] = [];
    const cli: number[] = [];
    for (let r = 1; r <= RUNS; r++) {
      const sha = await git.commitFiles(repo, {
        [`apps/team-${r % 30}/cm-${r}.yaml`]: configMap(r, `ferry-${r}`),
      });
      const started = performance.now();
      await push(sha);
      await until(async () => (await appliedMessage()) === `Applied revision: main@sha1:${sha}`);
      ferry.push(performance.now() - started);

      await git.commitFiles(repo, { [`apps/team-${r % 30}/cm-${r}.yaml`]: configMap(r, `cli-${r}`) });
      const checkout = join(dir, `clone-${r}`);
      const cliStarted = performance.now();
      await run('git', ['clone', '--quiet', '--depth', '1', '--branch', 'main', repo.url, checkout]);
      await run(
        'kubectl',
        [
          '--kubeconfig',
          join(dir, 'kubeconfig'),
          'apply',
          '--server-side',
          '--field-manager',
          'ferry',
          '-R',
          '-f',
          join(checkout, 'apps'),
        ],
        { maxBuffer: 64 * 1024 * 1024 },
      );
      cli.push(performance.now() - cliStarted);
      await rm(checkout, { recursive: true, force: true });
    }
    const f = p50(ferry);
    const c = p50(cli);
    console.log(
      `${FILES} files, one changed per push, ${RUNS} runs each, p50 wall time from push to applied`,
    );
    console.log('| path                                              | p50 ms | ratio to clone + kubectl |');
    console.log('|---------------------------------------------------|-------:|-------------------------:|');
    console.log(
      `| ferry: webhook → sync → build → apply             | ${f.toFixed(0).padStart(6)} | ${(f / c).toFixed(2).padStart(23)}x |`,
    );
    console.log(
      `| git clone --depth 1 + kubectl apply --server-side | ${c.toFixed(0).padStart(6)} | ${'1.00'.padStart(23)}x |`,
    );
  } finally {
    await runtime.stop(2_000);
    await cluster.stop();
    await git.close();
    await rm(dir, { recursive: true, force: true });
  }
}
