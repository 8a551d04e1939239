/**
 * Build of a 2,000-resource kustomization by ferry against `kubectl kustomize` of the same tree in
 * the same run. The tree is written to a temporary directory: four environment overlays (namespace,
 * name prefix, labels, images, a targeted strategic merge patch), each over the same ten bases of
 * 49 objects (Deployments, Services, ConfigMaps referenced from the Deployments) plus one
 * generated ConfigMap with a hash suffix: 4 × 10 × 50 = 2,000 objects.
 *
 * ferry's time includes reading every file from disk into the tree and printing the YAML, as
 * kubectl's does; both outputs are compared byte for byte. Each side runs alternately, the median
 * of several runs is printed with the ratio (kubectl / ferry).
 *
 * What to expect (this machine, two shared cores under load, several runs): ferry 0.6-1.6 s,
 * kubectl 30-60 s, so 20-90x, with identical output. kubectl stays near 30 s with the patch
 * removed, so the gap is not that one transformer; ferry's time goes mostly to parsing the YAML
 * (each file once, however many overlays include it) and printing it.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { build, toYaml } from '../lib/build/index.ts';
import { median } from './support/stats.ts';

const ENVIRONMENTS = 4;
const BASES = 10;
const WORKLOADS = 16;
const RUNS = 3;

function write(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

function workload(b: number, w: number): string {
  const name = `app-${b}-${w}`;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  replicas: ${1 + (w % 3)}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: main
        image: registry.example.com/team/${name}:1.${w}.0
        ports:
        - containerPort: 8080
        envFrom:
        - configMapRef: {name: ${name}-env}
        - configMapRef: {name: shared-${b}}
        resources:
          requests: {cpu: 100m, memory: 128Mi}
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector: {app: ${name}}
  ports:
  - port: 80
    targetPort: 8080
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}-env
data:
  LOG_LEVEL: info
  WORKERS: "${w}"
  GREETING: "hello from ${name}"
`;
}

/** Writes the tree and returns its root and the overlay to build. */
function generateTree(root: string): string {
  for (let b = 0; b < BASES; b++) {
    const dir = join(root, 'bases', `base-${b}`);
    const files: string[] = [];
    for (let w = 0; w < WORKLOADS; w++) {
      write(join(dir, `workload-${w}.yaml`), workload(b, w));
      files.push(`workload-${w}.yaml`);
    }
    write(join(dir, 'extra.yaml'), `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: runner-${b}\n`);
    files.push('extra.yaml');
    write(
      join(dir, 'kustomization.yaml'),
      `resources:\n${files.map((f) => `- ${f}`).join('\n')}\nconfigMapGenerator:\n- name: shared-${b}\n  literals: [BASE=base-${b}, REGION=eu]\n`,
    );
  }
  const overlays: string[] = [];
  for (let e = 0; e < ENVIRONMENTS; e++) {
    const dir = join(root, 'overlays', `env-${e}`);
    write(
      join(dir, 'kustomization.yaml'),
      `namespace: env-${e}
namePrefix: e${e}-
labels:
- pairs: {env: env-${e}}
  includeSelectors: true
commonAnnotations:
  owner: platform
images:
- name: registry.example.com/team/app-0-0
  newTag: 2.0.${e}
resources:
${Array.from({ length: BASES }, (_, b) => `- ../../bases/base-${b}`).join('\n')}
patches:
- target: {kind: Deployment}
  patch: |-
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: any}
    spec:
      template:
        spec:
          containers:
          - name: main
            env:
            - {name: ENVIRONMENT, value: env-${e}}
`,
    );
    overlays.push(`overlays/env-${e}`);
  }
  write(
    join(root, 'cluster', 'kustomization.yaml'),
    `resources:\n${overlays.map((o) => `- ../${o}`).join('\n')}\n`,
  );
  return 'cluster';
}

function readTree(root: string): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(root, path), readFileSync(path));
    }
  };
  walk(root);
  return files;
}

export default async function (): Promise<void> {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const root = mkdtempSync(join(base, 'ferry-build-bench-'));
  try {
    const path = generateTree(root);
    const ferryTimes: number[] = [];
    const kubectlTimes: number[] = [];
    let ferryOut = '';
    let kubectlOut = '';
    let objects = 0;
    build(readTree(root), path); // warm-up: module loading and JIT, which a long-lived process pays once
    for (let run = 0; run < RUNS; run++) {
      let start = performance.now();
      const built = build(readTree(root), path);
      ferryOut = toYaml(built);
      ferryTimes.push(performance.now() - start);
      objects = built.length;
      start = performance.now();
      const kubectl = spawnSync('kubectl', ['kustomize', join(root, path)], {
        encoding: 'utf8',
        maxBuffer: 1 << 30,
      });
      kubectlTimes.push(performance.now() - start);
      if (kubectl.status !== 0) throw new Error(`kubectl kustomize failed: ${kubectl.stderr}`);
      kubectlOut = kubectl.stdout;
    }
    const ferry = median(ferryTimes);
    const kubectl = median(kubectlTimes);
    console.log(
      `${objects} objects, ${readTree(root).size} files, median of ${RUNS} runs (ferry after one warm-up)`,
    );
    console.log(
      '| build                          | ferry ms | kubectl ms | ratio (kubectl / ferry) | same output |',
    );
    console.log(
      '| ------------------------------ | -------- | ---------- | ----------------------- | ----------- |',
    );
    console.log(
      `| read + build + print (2 000)   | ${ferry.toFixed(0).padStart(8)} | ${kubectl.toFixed(0).padStart(10)} | ${`${(kubectl / ferry).toFixed(1)}x`.padStart(23)} | ${(ferryOut === kubectlOut ? 'yes' : 'NO').padStart(11)} |`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
