/**
 * Server-side apply of 1,000 objects (ConfigMaps, Deployments, Services) to `ferry dev-cluster`:
 * ferry's `applyObjects` against `kubectl apply --server-side -f DIR`, the same manifests (each side
 * in its own namespace) on the same simulator, which runs in this process.
 *
 * - ferry: a child process that loads lib/kube only; each run connects afresh (empty discovery
 *   cache), reads and parses the directory's YAML and applies it, timed in the child from the read
 *   to the ChangeSet, excluding Node's start (printed apart). Its peak RSS is reported at the end.
 * - kubectl: one process per run, timed from the parent including its start; its discovery cache
 *   under ~/.kube/cache is warm after the first run, its best case.
 *
 * Two kinds of run, RUNS of each, p50: a first apply into a new namespace (every object created)
 * and a re-apply of the same manifests (every object unchanged), ferry's drift-correction path.
 *
 * What this machine showed (shared, two runs): first apply 1.36-1.38 s against kubectl's 1.64-1.80 s
 * (0.76x-0.84x), re-apply 1.20-1.59 s against 1.55-1.94 s (0.77x-0.82x); peak RSS 263-268 MB, of
 * which 156 MB is Node with client-node loaded. Node's own start (0.8-1.0 s) is outside ferry's
 * times and inside kubectl's. ferry sends a LIST per kind and a PATCH per object, 16 at a time.
 * Before the node:http transport (client-node's fetch path made a new agent per request) it was
 * 1.5x-2.7x and 340-556 MB.
 */
import type { ChildProcess } from 'node:child_process';
import { fork, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { startDevCluster } from '../lib/kube/dev-cluster/index.ts';
import { applyObjects, connectCluster } from '../lib/kube/index.ts';
import { ask, median as p50 } from './support/stats.ts';

const OBJECTS = 1_000;
const RUNS = 3;
const KUBECTL = '/usr/bin/kubectl';

type RunRequest = { type: 'run'; kubeconfig: string; dir: string };
type ChildMessage =
  | { type: 'ready'; startMs: number }
  | { type: 'done'; ms: number; counts: Record<string, number> }
  | { type: 'rss'; maxRssKb: number; startRssKb: number };

function manifests(namespace: string): string[] {
  const docs = [`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${namespace}\n`];
  for (let i = 1; docs.length <= OBJECTS; i++) {
    const name = `app-${String(i).padStart(4, '0')}`;
    const kind = i % 3;
    if (kind === 0) {
      docs.push(
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\n  labels:\n    app: ${name}\ndata:\n  LOG_LEVEL: info\n  FEATURE_X: "true"\n`,
      );
    } else if (kind === 1) {
      docs.push(
        [
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata:',
          `  name: ${name}`,
          `  namespace: ${namespace}`,
          '  labels:',
          `    app: ${name}`,
          'spec:',
          '  replicas: 2',
          '  selector:',
          '    matchLabels:',
          `      app: ${name}`,
          '  template:',
          '    metadata:',
          '      labels:',
          `        app: ${name}`,
          '    spec:',
          '      containers:',
          '      - name: main',
          `        image: registry.example.com/team/${name}:1.0.${i}`,
          '        ports:',
          '        - containerPort: 8080',
          '        env:',
          '        - name: MODE',
          '          value: production',
          '',
        ].join('\n'),
      );
    } else {
      docs.push(
        `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  selector:\n    app: ${name}\n  ports:\n  - port: 80\n    targetPort: 8080\n`,
      );
    }
  }
  return docs;
}

/** The child: reads a directory of manifests and applies it, one run per request. */
async function child(): Promise<void> {
  const startRssKb = process.resourceUsage().maxRSS;
  process.send?.({ type: 'ready', startMs: performance.now() } satisfies ChildMessage);
  process.on('message', async (message: RunRequest | { type: 'exit' }) => {
    if (message.type === 'exit') {
      process.send?.({
        type: 'rss',
        maxRssKb: process.resourceUsage().maxRSS,
        startRssKb,
      } satisfies ChildMessage);
      process.disconnect();
      return;
    }
    const started = performance.now();
    const cluster = connectCluster({ kubeconfigPath: message.kubeconfig });
    const objects: KubernetesObject[] = [];
    for (const file of (await readdir(message.dir)).sort()) {
      const text = await readFile(join(message.dir, file), 'utf8');
      for (const doc of parseAllDocuments(text)) objects.push(doc.toJS() as KubernetesObject);
    }
    const set = await applyObjects(cluster, objects);
    await cluster.close();
    process.send?.({
      type: 'done',
      ms: performance.now() - started,
      counts: set.counts,
    } satisfies ChildMessage);
  });
}

export default async function bench(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'ferry-apply-bench-'));
  const dev = await startDevCluster({ rolloutDelayMs: 10 });
  let worker: ChildProcess | undefined;
  try {
    const kubeconfig = join(work, 'kubeconfig');
    await dev.writeKubeconfig(kubeconfig);
    const writeDir = async (side: string, run: number) => {
      const dir = join(work, `${side}-${run}`);
      await mkdir(dir);
      const docs = manifests(`bench-${side}-${run}`);
      // One file per object, as a fleet repository keeps them.
      await Promise.all(
        docs.map((doc, i) => writeFile(join(dir, `${String(i).padStart(4, '0')}.yaml`), doc)),
      );
      return dir;
    };
    const forked = performance.now();
    worker = fork(import.meta.filename, [], {
      env: { ...process.env, FERRY_APPLY_BENCH_CHILD: '1' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = await new Promise<ChildMessage>((resolve) =>
      worker?.once('message', (m) => resolve(m as ChildMessage)),
    );
    const nodeStartMs = performance.now() - forked;

    const ferry = { create: [] as number[], reapply: [] as number[] };
    const kubectl = { create: [] as number[], reapply: [] as number[] };
    const ferryRun = async (dir: string, expect: string) => {
      const reply = await ask<ChildMessage>(worker as ChildProcess, { type: 'run', kubeconfig, dir });
      if (reply.type !== 'done' || (reply.counts[expect] ?? 0) !== OBJECTS + 1) {
        throw new Error(`ferry's apply did not report ${OBJECTS + 1} ${expect}: ${JSON.stringify(reply)}`);
      }
      return reply.ms;
    };
    // Asynchronous: the simulator answering kubectl runs on this process's event loop.
    const kubectlRun = (dir: string) =>
      new Promise<number>((resolve, reject) => {
        const started = performance.now();
        const proc = spawn(KUBECTL, ['--kubeconfig', kubeconfig, 'apply', '--server-side', '-f', dir], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        proc.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        proc.once('error', reject);
        proc.once('close', (code) => {
          if (code === 0) resolve(performance.now() - started);
          else reject(new Error(`kubectl apply failed: ${stderr.slice(0, 2000)}`));
        });
      });
    for (let run = 0; run < RUNS; run++) {
      const ferryDir = await writeDir('ferry', run);
      const kubectlDir = await writeDir('kubectl', run);
      kubectl.create.push(await kubectlRun(kubectlDir));
      ferry.create.push(await ferryRun(ferryDir, 'created'));
      await new Promise((resolve) => setTimeout(resolve, 100)); // let the simulated rollouts settle
      kubectl.reapply.push(await kubectlRun(kubectlDir));
      ferry.reapply.push(await ferryRun(ferryDir, 'unchanged'));
    }
    const rss = await ask<ChildMessage>(worker, { type: 'exit' });
    await new Promise((resolve) => {
      worker?.once('exit', resolve);
      setTimeout(resolve, 5_000).unref();
    });

    console.log(
      `${OBJECTS} objects + their Namespace, p50 of ${RUNS} runs, dev-cluster simulator in the parent process`,
    );
    console.log('| run | ferry (ms) | kubectl --server-side (ms) | ratio |');
    console.log('| --- | ---: | ---: | ---: |');
    for (const kind of ['create', 'reapply'] as const) {
      const f = p50(ferry[kind]);
      const k = p50(kubectl[kind]);
      const label = kind === 'create' ? 'first apply (all created)' : 're-apply (all unchanged)';
      console.log(`| ${label} | ${f.toFixed(0)} | ${k.toFixed(0)} | ${(f / k).toFixed(2)}x |`);
    }
    const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
    if (rss.type === 'rss' && ready.type === 'ready') {
      console.log(
        `peak RSS of ferry's process: ${mb(rss.maxRssKb)} (Node with type stripping and lib/kube loaded: ${mb(rss.startRssKb)}); ` +
          `Node start, not in ferry's times: ${nodeStartMs.toFixed(0)} ms`,
      );
    }
  } finally {
    worker?.kill();
    await dev.stop();
    await rm(work, { recursive: true, force: true });
  }
}

if (process.env.FERRY_APPLY_BENCH_CHILD === '1') await child();
