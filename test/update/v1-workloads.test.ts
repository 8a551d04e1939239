import { describe, expect, it } from 'vitest';
import type { V1Target } from '../../lib/update/index.ts';
import { findV1Workloads, parseTagFilter, readV1Policy } from '../../lib/update/index.ts';

const file = (path: string, text: string) => ({ path, bytes: new TextEncoder().encode(text) });

function workload(
  kind: string,
  annotations: string,
  containers = '- {name: app, image: ghcr.io/a/app:1.0.0}',
) {
  const list = containers.replaceAll('\n', '\n      ');
  return `apiVersion: apps/v1\nkind: ${kind}\nmetadata:\n  name: w\n  annotations:\n${annotations}\nspec:\n  template:\n    spec:\n      containers:\n      ${list}\n`;
}

const summary = (t: V1Target) => ({
  container: t.container,
  image: t.image,
  tagFilter: t.tagFilter,
  locked: t.locked,
});

describe('Flux v1 workloads', () => {
  it('describes each target with a stable key, the object, the filter and the lock', () => {
    const text = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n',
      workload('Deployment', '    fluxcd.io/automated: "true"\n    fluxcd.io/tag.app: semver:~1.0'),
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: ops\n  annotations:\n    fluxcd.io/automated: "true"\n    fluxcd.io/locked: "true"\n    fluxcd.io/locked_msg: frozen\n    fluxcd.io/locked_user: ops\nspec:\n  initContainers:\n  - {name: init, image: busybox:1.36}\n  containers:\n  - {name: main, image: "ghcr.io/a/main:2.0"}\n',
    ].join('---\n');
    expect(findV1Workloads([file('apps/all.yaml', text)])).toEqual([
      {
        key: 'apps/all.yaml#1::Deployment/w:app',
        file: 'apps/all.yaml',
        documentIndex: 1,
        object: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'w' },
        container: 'app',
        image: 'ghcr.io/a/app:1.0.0',
        tagFilter: 'semver:~1.0',
        filter: { kind: 'semver', pattern: '~1.0' },
        locked: false,
      },
      {
        key: 'apps/all.yaml#2:ops:Pod/p:init',
        file: 'apps/all.yaml',
        documentIndex: 2,
        object: { apiVersion: 'v1', kind: 'Pod', name: 'p', namespace: 'ops' },
        container: 'init',
        image: 'busybox:1.36',
        tagFilter: 'glob:*',
        filter: { kind: 'glob', pattern: '*' },
        locked: true,
        lockedMessage: 'frozen',
        lockedUser: 'ops',
      },
      expect.objectContaining({
        key: 'apps/all.yaml#2:ops:Pod/p:main',
        image: 'ghcr.io/a/main:2.0',
        locked: true,
      }),
    ]);
  });

  it.each([
    { label: 'automated', annotations: '    fluxcd.io/automated: "true"', count: 1 },
    { label: 'automated, unquoted', annotations: '    fluxcd.io/automated: true', count: 1 },
    { label: 'automated legacy', annotations: '    flux.weave.works/automated: "true"', count: 1 },
    { label: 'not automated', annotations: '    fluxcd.io/automated: "false"', count: 0 },
    { label: 'automated spelt otherwise', annotations: '    fluxcd.io/automated: "yes"', count: 0 },
    {
      label: 'only a tag filter',
      annotations: '    fluxcd.io/tag.app: glob:*\n    x: fluxcd.io/automated',
      count: 0,
    },
  ])('finds targets only when automated: $label', ({ annotations, count }) => {
    expect(findV1Workloads([file('w.yaml', workload('Deployment', annotations))])).toHaveLength(count);
  });

  it.each([
    { kind: 'Deployment', count: 1 },
    { kind: 'StatefulSet', count: 1 },
    { kind: 'DaemonSet', count: 1 },
    { kind: 'Job', count: 1 },
    { kind: 'ReplicaSet', count: 0 },
    { kind: 'Service', count: 0 },
  ])('reads pod templates of a $kind', ({ kind, count }) => {
    const text = workload(kind, '    fluxcd.io/automated: "true"');
    expect(findV1Workloads([file('w.yaml', text)])).toHaveLength(count);
  });

  it('leaves an image with a setter marker to the setter', () => {
    const text = workload(
      'Deployment',
      '    fluxcd.io/automated: "true"',
      '- name: a\n  image: ghcr.io/a/a:1 # {"$imagepolicy": "ns:a"}\n- name: b\n  image: ghcr.io/a/b:1',
    );
    expect(findV1Workloads([file('w.yaml', text)]).map((t) => t.container)).toEqual(['b']);
  });

  it('passes over files without an automation annotation, unreadable files and other extensions', () => {
    const broken = 'metadata:\n  annotations:\n    fluxcd.io/automated: "true"\n  - : [\n';
    expect(
      findV1Workloads([
        file('plain.yaml', workload('Deployment', '    other: x')),
        file('broken.yaml', broken),
        file('notes.txt', workload('Deployment', '    fluxcd.io/automated: "true"')),
        {
          path: 'latin1.yaml',
          bytes: Uint8Array.from([0x66, 0x6c, 0x75, 0x78, 0xe9, ...Buffer.from('fluxcd.io/automated')]),
        },
      ]),
    ).toEqual([]);
  });

  it('reads the HelmRelease values shapes fluxd read, named after their values key', () => {
    const text = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: shop
  annotations:
    fluxcd.io/automated: "true"
    fluxcd.io/tag_all: semver:*
    filter.fluxcd.io/db: glob:16.*
    fluxcd.io/tag.api: regex:^v
spec:
  values:
    image: team/shop
    tag: "1.0"
    registry: quay.io
    api: {image: {repository: a/api, tag: v2}}
    db: {image: postgres:16.1}
    cache: {image: redis, tag: 7}
    plain: {repository: not/an-image}
    replicas: 3
`;
    expect(findV1Workloads([file('shop.yaml', text)]).map(summary)).toEqual([
      { container: 'api', image: 'a/api:v2', tagFilter: 'regex:^v', locked: false },
      { container: 'chart-image', image: 'quay.io/team/shop:1.0', tagFilter: 'semver:*', locked: false },
      { container: 'db', image: 'postgres:16.1', tagFilter: 'glob:16.*', locked: false },
    ]);
  });

  it('ignores HelmReleases of other API groups', () => {
    const text =
      'apiVersion: example.com/v1\nkind: HelmRelease\nmetadata:\n  name: x\n  annotations:\n    fluxcd.io/automated: "true"\nspec:\n  values:\n    image: a:1\n';
    expect(findV1Workloads([file('x.yaml', text)])).toEqual([]);
  });
});

describe('v1 annotations', () => {
  it.each([
    {
      label: 'current prefix wins over legacy',
      annotations: { 'flux.weave.works/tag.app': 'glob:1.*', 'fluxcd.io/tag.app': 'glob:2.*' },
      app: 'glob:2.*',
    },
    {
      label: 'legacy prefix alone',
      annotations: { 'flux.weave.works/tag.app': 'glob:1.*' },
      app: 'glob:1.*',
    },
    { label: 'tag_all', annotations: { 'fluxcd.io/tag_all': 'semver:^1' }, app: 'semver:^1' },
    { label: 'helm operator filter', annotations: { 'filter.fluxcd.io/app': 'regexp:x' }, app: 'regexp:x' },
    {
      label: 'tag annotation wins over filter',
      annotations: { 'filter.fluxcd.io/app': 'regexp:x', 'fluxcd.io/tag.app': 'glob:y' },
      app: 'glob:y',
    },
  ])('$label', ({ annotations, app }) => {
    const policy = readV1Policy(new Map(Object.entries(annotations)));
    expect(policy.tagFilters.get('app') ?? policy.tagAll).toBe(app);
  });

  it('reads lock, message and user, the booleans only when "true"', () => {
    expect(
      readV1Policy(
        new Map([
          ['fluxcd.io/automated', 'true'],
          ['flux.weave.works/locked', 'true'],
          ['fluxcd.io/locked_msg', 'wait'],
          ['fluxcd.io/locked_user', 'ann'],
        ]),
      ),
    ).toEqual({
      automated: true,
      locked: true,
      lockedMessage: 'wait',
      lockedUser: 'ann',
      tagFilters: new Map(),
    });
    expect(readV1Policy(new Map([['fluxcd.io/locked', 'True']])).locked).toBe(false);
  });

  it.each([
    { expression: 'semver:~1.2', kind: 'semver', pattern: '~1.2' },
    { expression: 'regexp:^v\\d+$', kind: 'regexp', pattern: '^v\\d+$' },
    { expression: 'regex:^v', kind: 'regexp', pattern: '^v' },
    { expression: 'glob:1.*', kind: 'glob', pattern: '1.*' },
    { expression: 'master-*', kind: 'glob', pattern: 'master-*' },
  ])('parses the tag filter $expression', ({ expression, kind, pattern }) => {
    expect(parseTagFilter(expression)).toEqual({ kind, pattern });
  });
});
