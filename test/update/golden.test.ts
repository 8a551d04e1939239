import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LatestImage, ManifestFile, UpdateResult } from '../../lib/update/index.ts';
import { findV1Workloads, isEmptyResult, updateFiles } from '../../lib/update/index.ts';

const GOLDEN = join(import.meta.dirname, 'golden');
const DIGEST = 'sha256:6b3f2a9c1d8e7f405162738495a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e';
const OLD_DIGEST = `sha256:${'1'.repeat(64)}`;

const POLICIES = new Map<string, LatestImage>([
  ['flux-system:podinfo', { image: 'ghcr.io/stefanprodan/podinfo', tag: '6.7.1' }],
  ['flux-system:redis', { image: 'docker.io/library/redis', tag: '7.4.2' }],
  ['flux-system:build-number', { image: 'ghcr.io/example/worker', tag: '42' }],
  ['apps:web', { image: 'registry.example.com/team/web', tag: '2.0.0', digest: DIGEST }],
]);

interface GoldenCase {
  name: string;
  /** New references for Flux v1 targets, by the target's current image. */
  v1?: Record<string, string>;
  /** `file kind/name: old -> new (setter)`, in Result order. */
  changes: string[];
  /** `file:line setter reason`. */
  skipped?: string[];
  /** `file kind/name container: message by user, requested`. */
  locked?: string[];
}

const podinfo = (file: string, kind = 'Deployment/podinfo') =>
  `${file} ${kind}: ghcr.io/stefanprodan/podinfo:6.5.0 -> ghcr.io/stefanprodan/podinfo:6.7.1 (flux-system:podinfo)`;
const redis = (file: string, kind: string, from = 'redis:7.2.0') =>
  `${file} ${kind}: ${from} -> docker.io/library/redis:7.4.2 (flux-system:redis)`;

const CASES: GoldenCase[] = [
  { name: 'plain', changes: [podinfo('apps/podinfo.yaml')] },
  { name: 'single-quoted', changes: [podinfo('podinfo.yaml')] },
  { name: 'double-quoted', changes: [podinfo('podinfo.yaml')] },
  { name: 'flow-mapping', changes: [podinfo('pod.yaml', 'Pod/podinfo'), redis('pod.yaml', 'Pod/podinfo')] },
  {
    name: 'flow-sequence',
    changes: [
      podinfo('job.yaml', 'Job/migrate'),
      podinfo('job.yaml', 'Job/migrate'),
      'job.yaml Job/migrate: 6.5.0 -> 6.7.1 (flux-system:podinfo:tag)',
    ],
  },
  {
    name: 'multi-doc',
    changes: [podinfo('bundle.yaml'), redis('bundle.yaml', 'StatefulSet/redis')],
  },
  {
    name: 'crlf',
    changes: [
      podinfo('windows.yaml'),
      redis('windows.yaml', 'Deployment/podinfo'),
      podinfo('windows.yaml', 'Pod/probe'),
      'windows.yaml Pod/probe: 6.5.0 -> 6.7.1 (flux-system:podinfo:tag)',
    ],
  },
  {
    name: 'tag-suffix',
    changes: [
      'release.yaml HelmRelease/podinfo: 6.5.0 -> 6.7.1 (flux-system:podinfo:tag)',
      'release.yaml HelmRelease/podinfo: 7.2.0 -> 7.4.2 (flux-system:redis:tag)',
      'release.yaml HelmRelease/podinfo: 41 -> 42 (flux-system:build-number:tag)',
    ],
  },
  {
    name: 'name-suffix',
    changes: [
      'kustomization.yaml Kustomization/: stefanprodan/podinfo -> ghcr.io/stefanprodan/podinfo (flux-system:podinfo:name)',
    ],
  },
  {
    name: 'digest-suffix',
    changes: [
      'web.yaml HelmRelease/web: 1.0.0 -> 2.0.0 (apps:web:tag)',
      `web.yaml HelmRelease/web: ${OLD_DIGEST} -> ${DIGEST} (apps:web:digest)`,
    ],
    skipped: ['web.yaml:13 flux-system:redis:digest no-digest'],
  },
  {
    name: 'digest-reflection',
    changes: [
      `web.yaml Deployment/web: registry.example.com/team/web:1.0.0 -> registry.example.com/team/web:2.0.0@${DIGEST} (apps:web)`,
      `web.yaml Deployment/web: registry.example.com/team/web:1.0.0@${OLD_DIGEST} -> registry.example.com/team/web:2.0.0@${DIGEST} (apps:web)`,
    ],
  },
  { name: 'no-change', changes: [] },
  {
    name: 'unknown-policy',
    changes: [podinfo('podinfo.yaml')],
    skipped: ['podinfo.yaml:13 flux-system:other no-latest', 'podinfo.yaml:15 podinfo invalid-setter'],
  },
  {
    name: 'comments-and-spacing',
    changes: [
      podinfo('odd.yaml'),
      redis('odd.yaml', 'Deployment/podinfo'),
      podinfo('odd.yaml'),
      podinfo('odd.yaml'),
    ],
  },
  {
    name: 'v1-deployment',
    v1: {
      'ghcr.io/stefanprodan/podinfo:6.5.0': 'ghcr.io/stefanprodan/podinfo:6.7.1',
      'redis:7.2.0': 'redis:7.2.0',
    },
    changes: [
      'deployment.yaml Deployment/podinfo: ghcr.io/stefanprodan/podinfo:6.5.0 -> ghcr.io/stefanprodan/podinfo:6.7.1 (fluxcd.io/tag.podinfo)',
    ],
  },
  {
    name: 'v1-statefulset',
    v1: { 'redis:7.2.0': 'redis:7.4.2' },
    changes: ['statefulset.yaml StatefulSet/redis: redis:7.2.0 -> redis:7.4.2 (fluxcd.io/tag.redis)'],
  },
  {
    name: 'v1-daemonset',
    v1: { 'ghcr.io/example/agent:0.9.0': 'ghcr.io/example/agent:0.10.0' },
    changes: [
      'daemonset.yaml DaemonSet/node-agent: ghcr.io/example/agent:0.9.0 -> ghcr.io/example/agent:0.10.0 (fluxcd.io/tag.agent)',
    ],
  },
  {
    name: 'v1-cronjob',
    v1: { 'ghcr.io/example/backup:v1.4': 'ghcr.io/example/backup:v1.5' },
    changes: [
      'cronjob.yaml CronJob/backup: ghcr.io/example/backup:v1.4 -> ghcr.io/example/backup:v1.5 (fluxcd.io/tag.backup)',
    ],
  },
  {
    name: 'v1-job',
    v1: { 'ghcr.io/example/migrate:2024.01.1': 'ghcr.io/example/migrate:2024.02.0' },
    changes: [
      'job.yaml Job/migrate: ghcr.io/example/migrate:2024.01.1 -> ghcr.io/example/migrate:2024.02.0 (fluxcd.io/tag.migrate)',
    ],
  },
  {
    name: 'v1-pod',
    v1: { 'docker.io/library/busybox:1.36.0': 'docker.io/library/busybox:1.37.0' },
    changes: [
      'pod.yaml Pod/debug: docker.io/library/busybox:1.36.0 -> docker.io/library/busybox:1.37.0 (fluxcd.io/tag.shell)',
    ],
  },
  {
    name: 'v1-init-containers',
    v1: {
      'ghcr.io/example/migrations:3.0.0': 'ghcr.io/example/migrations:3.2.0',
      'ghcr.io/example/web:1.0.0': 'ghcr.io/example/web:1.0.0',
    },
    changes: [
      'web.yaml Deployment/web: ghcr.io/example/migrations:3.0.0 -> ghcr.io/example/migrations:3.2.0 (fluxcd.io/tag.migrations)',
    ],
  },
  {
    name: 'v1-locked',
    v1: { 'ghcr.io/example/payments:5.1.0': 'ghcr.io/example/payments:5.2.0' },
    changes: [],
    locked: [
      'payments.yaml Deployment/payments payments: incident 4711, hold the release by Ops Team <ops@example.com>, requested ghcr.io/example/payments:5.2.0',
    ],
  },
  {
    name: 'v1-legacy-prefix',
    v1: { 'ghcr.io/example/legacy:1.1.0': 'ghcr.io/example/legacy:1.9.0' },
    changes: [
      'legacy.yaml Deployment/legacy: ghcr.io/example/legacy:1.1.0 -> ghcr.io/example/legacy:1.9.0 (fluxcd.io/tag.legacy)',
    ],
  },
  {
    name: 'v1-helmrelease',
    v1: {
      'ghcr.io/example/shop:2.0.0': 'ghcr.io/example/shop:2.1.0',
      'quay.io/example/proxy:v1.0.0': 'quay.io/example/proxy:v1.1.0',
      'docker.io/library/redis:7.2.0': 'docker.io/library/redis:7.4.2',
      'ghcr.io/example/sidecar:0.1.0': 'ghcr.io/example/sidecar:0.2.0',
      'ghcr.io/example/worker:3.0.0': 'ghcr.io/example/worker:3.1.0',
    },
    changes: [
      'shop.yaml HelmRelease/shop: 2.0.0 -> 2.1.0 (fluxcd.io/tag.chart-image)',
      'shop.yaml HelmRelease/shop: v1.0.0 -> v1.1.0 (fluxcd.io/tag.proxy)',
      'shop.yaml HelmRelease/shop: 7.2.0 -> 7.4.2 (fluxcd.io/tag.redis)',
      'shop.yaml HelmRelease/shop: ghcr.io/example/sidecar:0.1.0 -> ghcr.io/example/sidecar:0.2.0 (fluxcd.io/tag.sidecar)',
      'shop.yaml HelmRelease/shop: 3.0.0 -> 3.1.0 (fluxcd.io/tag.worker)',
      'shop.yaml HelmRelease/legacy-shop: ghcr.io/example/shop:2.0.0 -> ghcr.io/example/shop:2.1.0 (fluxcd.io/tag.chart-image)',
    ],
  },
  {
    name: 'mixed',
    v1: {
      'ghcr.io/example/sidecar:0.1.0': 'ghcr.io/example/sidecar:0.2.0',
      'ghcr.io/stefanprodan/podinfo:6.5.0': 'ghcr.io/stefanprodan/podinfo:9.9.9',
    },
    changes: [
      podinfo('podinfo.yaml'),
      'podinfo.yaml Deployment/podinfo: ghcr.io/example/sidecar:0.1.0 -> ghcr.io/example/sidecar:0.2.0 (fluxcd.io/tag.sidecar)',
    ],
  },
];

function readTree(dir: string): ManifestFile[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const full = join(entry.parentPath, entry.name);
      return { path: relative(dir, full), bytes: new Uint8Array(readFileSync(full)) };
    })
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}

function describeChanges(result: UpdateResult): string[] {
  return [...result.fileChanges].flatMap(([file, objects]) =>
    [...objects].flatMap(([object, changes]) =>
      changes.map(
        (c) => `${file} ${object.kind}/${object.name}: ${c.oldValue} -> ${c.newValue} (${c.setter})`,
      ),
    ),
  );
}

function run(testCase: GoldenCase, original: ManifestFile[]) {
  let v1: Map<string, string> | undefined;
  if (testCase.v1) {
    const requested = new Map(Object.entries(testCase.v1));
    v1 = new Map();
    for (const target of findV1Workloads(original)) {
      const reference = requested.get(target.image);
      if (reference !== undefined) v1.set(target.key, reference);
    }
  }
  return updateFiles(original, { policies: POLICIES, ...(v1 ? { v1 } : {}) });
}

describe('manifest update, golden files', () => {
  it('has a table entry for every golden folder', () => {
    const folders = readdirSync(GOLDEN, { withFileTypes: true }).filter((e) => e.isDirectory());
    expect(folders.map((e) => e.name).sort()).toEqual(CASES.map((c) => c.name).sort());
  });

  it.each(CASES)('$name: rewrites exactly the expected bytes', (testCase) => {
    const original = readTree(join(GOLDEN, testCase.name, 'original'));
    const expected = new Map(readTree(join(GOLDEN, testCase.name, 'expected')).map((f) => [f.path, f.bytes]));
    expect([...expected.keys()]).toEqual(original.map((f) => f.path));

    const { changed, result } = run(testCase, original);

    for (const file of original) {
      const out = changed.get(file.path) ?? file.bytes;
      const want = expected.get(file.path) as Uint8Array;
      expect(Buffer.from(out).toString('utf8'), file.path).toBe(Buffer.from(want).toString('utf8'));
      expect(Buffer.compare(out, want), file.path).toBe(0);
    }
    const differing = original.filter(
      (f) => Buffer.compare(f.bytes, expected.get(f.path) as Uint8Array) !== 0,
    );
    expect([...changed.keys()].sort()).toEqual(differing.map((f) => f.path));
    expect(isEmptyResult(result)).toBe(differing.length === 0);
  });

  it.each(CASES)('$name: reports each change, skip and lock', (testCase) => {
    const { result } = run(testCase, readTree(join(GOLDEN, testCase.name, 'original')));
    expect(describeChanges(result)).toEqual(testCase.changes);
    expect(result.skipped.map((s) => `${s.file}:${s.line} ${s.setter} ${s.reason}`)).toEqual(
      testCase.skipped ?? [],
    );
    expect(
      result.locked.map(
        (l) =>
          `${l.file} ${l.object.kind}/${l.object.name} ${l.container}: ${l.message} by ${l.user}, requested ${l.requested}`,
      ),
    ).toEqual(testCase.locked ?? []);
    expect(result.problems).toEqual([]);
  });
});
