/**
 * Setter update over 3,000 marked files: ferry's updater (screen, scan, edit the marked scalars)
 * against what a parse-based updater pays before it edits anything, parsing every file with the
 * `yaml` package and serialising it back (parseAllDocuments + toString). Both sides start from
 * bytes and end with bytes, in the same run, on the same files.
 *
 * The baseline is flattering to itself: it applies no setter at all, and re-serialising does not
 * even keep the bytes (it normalises quoting and spacing, which is why the updater exists).
 * Goal: ferry at least 10x faster.
 */
import type { Document } from 'yaml';
import { parseAllDocuments } from 'yaml';
import type { LatestImage, ManifestFile } from '../lib/update/index.ts';
import { updateFiles } from '../lib/update/index.ts';
import { median } from './support/stats.ts';

const FILES = 3000;
const FERRY_ROUNDS = 15;
const BASELINE_ROUNDS = 3;

function deployment(i: number): string {
  const team = `team-${i % 17}`;
  const quote = i % 3 === 0 ? '"' : i % 3 === 1 ? "'" : '';
  return `# Service ${i}, owned by ${team}.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: service-${i}
  namespace: ${team}
  labels:
    app.kubernetes.io/name: service-${i}
    app.kubernetes.io/part-of: fleet
  annotations:
    description: "service number ${i}, deployed from the fleet repository"
spec:
  replicas: ${1 + (i % 4)}
  selector:
    matchLabels:
      app.kubernetes.io/name: service-${i}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: service-${i}
    spec:
      initContainers:
        - name: migrate
          image: ghcr.io/fleet/migrate:1.0.0 # {"$imagepolicy": "flux-system:migrate"}
          args: ["--wait", "--timeout=30s"]
      containers:
        - name: app
          image: ${quote}ghcr.io/fleet/service-${i}:1.2.3${quote} # {"$imagepolicy": "${team}:service-${i}"}
          ports:
            - containerPort: 8080
              name: http
          env:
            - name: LOG_LEVEL
              value: info
            - name: VERSION
              value: "1.2.3" # {"$imagepolicy": "${team}:service-${i}:tag"}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {cpu: "1", memory: 512Mi}
          readinessProbe:
            httpGet: {path: /healthz, port: http}
        - {name: proxy, image: docker.io/envoyproxy/envoy:v1.30.1, # {"$imagepolicy": "flux-system:envoy"}
           imagePullPolicy: IfNotPresent}
        - name: metrics
          image: quay.io/prometheus/statsd-exporter:v0.26.0 # {"$imagepolicy": "flux-system:statsd"}
`;
}

function timeRounds(rounds: number, run: () => void): number[] {
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return times;
}

export default async function updateBench(): Promise<void> {
  const encoder = new TextEncoder();
  const files: ManifestFile[] = Array.from({ length: FILES }, (_, i) => ({
    path: `apps/service-${i}/deployment.yaml`,
    bytes: encoder.encode(deployment(i)),
  }));
  const policies = new Map<string, LatestImage>([
    ['flux-system:migrate', { image: 'ghcr.io/fleet/migrate', tag: '1.1.0' }],
    ['flux-system:envoy', { image: 'docker.io/envoyproxy/envoy', tag: 'v1.31.0' }],
    ['flux-system:statsd', { image: 'quay.io/prometheus/statsd-exporter', tag: 'v0.26.0' }],
  ]);
  for (let i = 0; i < FILES; i++) {
    policies.set(`team-${i % 17}:service-${i}`, { image: `ghcr.io/fleet/service-${i}`, tag: '1.2.4' });
  }
  const megabytes = files.reduce((sum, f) => sum + f.bytes.byteLength, 0) / 1e6;

  const ferry = () => updateFiles(files, { policies });
  const decoder = new TextDecoder();
  const baseline = () => {
    for (const f of files) {
      const docs = parseAllDocuments(decoder.decode(f.bytes)) as Document[];
      encoder.encode(docs.map((d) => d.toString()).join(''));
    }
  };

  const check = ferry();
  if (check.changed.size !== FILES || check.result.changes.length === 0) {
    throw new Error(`expected ${FILES} changed files, got ${check.changed.size}`);
  }
  timeRounds(2, ferry);
  timeRounds(1, baseline);

  const ours = median(timeRounds(FERRY_ROUNDS, ferry));
  const theirs = median(timeRounds(BASELINE_ROUNDS, baseline));
  const edits = [...check.result.fileChanges.values()].reduce(
    (sum, objects) => sum + [...objects.values()].reduce((n, changes) => n + changes.length, 0),
    0,
  );
  console.log(
    `${FILES} Deployments (${megabytes.toFixed(1)} MB), 5 markers each, ${edits} values rewritten in ${check.changed.size} files; median of ${FERRY_ROUNDS} and ${BASELINE_ROUNDS} rounds`,
  );
  console.log('| side                                   | ms per run | MB/s  |');
  console.log('|----------------------------------------|-----------:|------:|');
  const row = (name: string, ms: number) =>
    console.log(
      `| ${name.padEnd(38)} | ${ms.toFixed(1).padStart(10)} | ${(megabytes / (ms / 1000)).toFixed(1).padStart(5)} |`,
    );
  row('ferry updateFiles', ours);
  row('yaml parseAllDocuments + toString', theirs);
  console.log(`ratio (baseline / ferry): ${(theirs / ours).toFixed(1)}x (goal >= 10x)`);
}
