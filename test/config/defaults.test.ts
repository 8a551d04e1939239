import { describe, expect, it } from 'vitest';
import { DEFAULT_NAMESPACE, type FluxObject } from '../../lib/config/index.ts';
import { load } from './load-issues.ts';

/** Loads the documents with their dependencies and returns the first object the first document defines. */
function loadOne(doc: string): FluxObject {
  const support = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: support }
spec: { url: https://git.example.com/support.git, interval: 1h }
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata: { name: support }
spec: { image: ghcr.io/example/support, interval: 1h }
---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata: { name: support }
spec: { type: generic }
---
apiVersion: v1
kind: Secret
metadata: { name: support }
stringData: { token: t }
`;
  const config = load({ 'a.yaml': doc, 'support.yaml': support });
  const first = config.all().find((o) => o.source.file === 'a.yaml');
  if (first === undefined) throw new Error('no object from a.yaml');
  return first;
}

describe('metadata defaults', () => {
  it('puts an object without a namespace in flux-system, with empty labels and annotations', () => {
    const o = loadOne(
      'apiVersion: notification.toolkit.fluxcd.io/v1beta3\nkind: Provider\nmetadata: { name: p }\nspec: { type: slack }\n',
    );
    expect(DEFAULT_NAMESPACE).toBe('flux-system');
    expect(o.metadata).toEqual({ name: 'p', namespace: 'flux-system', labels: {}, annotations: {} });
  });

  it('keeps labels and annotations and drops metadata ferry does not use', () => {
    const o = loadOne(`apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata:
  name: p
  namespace: team-a
  labels: { team: a }
  annotations: { note: kept }
  uid: 0b6e2f3c
  resourceVersion: "42"
spec: { type: slack }
status: { conditions: [] }
`);
    expect(o.metadata).toEqual({
      name: 'p',
      namespace: 'team-a',
      labels: { team: 'a' },
      annotations: { note: 'kept' },
    });
    expect(o).not.toHaveProperty('status');
  });
});

describe('GitRepository defaults', () => {
  const doc = (extra = '') =>
    `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: { name: g }\nspec:\n  url: https://git.example.com/g.git\n  interval: 1m\n${extra}`;

  it('checks out master, times out after 60s and authenticates generically', () => {
    const o = loadOne(doc());
    expect(o.kind === 'GitRepository' && o.spec).toMatchObject({
      interval: '1m',
      timeout: '60s',
      ref: { branch: 'master' },
      provider: 'generic',
    });
  });

  it('defaults to master when ref names nothing, and not when it names a tag', () => {
    const empty = loadOne(doc('  ref: {}\n'));
    const tagged = loadOne(doc('  ref: { tag: v1.2.3 }\n'));
    expect(empty.kind === 'GitRepository' && empty.spec.ref).toEqual({ branch: 'master' });
    expect(tagged.kind === 'GitRepository' && tagged.spec.ref).toEqual({ tag: 'v1.2.3' });
  });

  it('verifies HEAD unless told otherwise', () => {
    const o = loadOne(doc('  verify: { secretRef: { name: support } }\n'));
    expect(o.kind === 'GitRepository' && o.spec.verify).toEqual({
      mode: 'HEAD',
      secretRef: { name: 'support' },
    });
  });

  it('keeps durations as written', () => {
    const o = loadOne(doc('  timeout: 1m30s\n'));
    expect(o.kind === 'GitRepository' && o.spec.timeout).toBe('1m30s');
  });
});

describe('Kustomization defaults', () => {
  const doc = (extra = '') =>
    `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: { name: k }\nspec:\n  interval: 10m\n  prune: false\n  sourceRef: { kind: GitRepository, name: support }\n${extra}`;

  it('retries on the interval, does not force, mirrors prune on deletion and builds the source root', () => {
    const o = loadOne(doc());
    expect(o.kind === 'Kustomization' && o.spec).toMatchObject({
      retryInterval: '10m',
      force: false,
      deletionPolicy: 'MirrorPrune',
      path: './',
      prune: false,
    });
    expect(o.kind === 'Kustomization' && o.spec.timeout).toBeUndefined();
  });

  it('keeps an explicit retryInterval and timeout', () => {
    const o = loadOne(doc('  retryInterval: 1m\n  timeout: 3m\n'));
    expect(o.kind === 'Kustomization' && o.spec).toMatchObject({ retryInterval: '1m', timeout: '3m' });
  });

  it('treats substituteFrom entries as required unless marked optional', () => {
    const o = loadOne(doc('  postBuild: { substituteFrom: [{ kind: Secret, name: support }] }\n'));
    expect(o.kind === 'Kustomization' && o.spec.postBuild?.substituteFrom).toEqual([
      { kind: 'Secret', name: 'support', optional: false },
    ]);
  });

  it('connects to a remote cluster with the generic provider unless told otherwise', () => {
    const o = loadOne(doc('  kubeConfig: { secretRef: { name: support, key: token } }\n'));
    expect(o.kind === 'Kustomization' && o.spec.kubeConfig).toEqual({
      provider: 'generic',
      secretRef: { name: 'support', key: 'token' },
    });
  });
});

describe('ImageRepository defaults', () => {
  const doc = (extra = '') =>
    `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata: { name: r }\nspec:\n  image: ghcr.io/example/r\n  interval: 5m\n${extra}`;

  it('excludes signature tags and authenticates generically', () => {
    const o = loadOne(doc());
    expect(o.kind === 'ImageRepository' && o.spec).toMatchObject({
      exclusionList: ['^.*\\.sig$'],
      provider: 'generic',
    });
    expect(o.kind === 'ImageRepository' && o.spec.timeout).toBeUndefined();
  });

  it('uses the default exclusionList when the list is empty, as Flux does', () => {
    const o = loadOne(doc('  exclusionList: []\n'));
    expect(o.kind === 'ImageRepository' && o.spec.exclusionList).toEqual(['^.*\\.sig$']);
  });

  it('replaces the default with an explicit exclusionList', () => {
    const o = loadOne(doc('  exclusionList: ["^dev-"]\n'));
    expect(o.kind === 'ImageRepository' && o.spec.exclusionList).toEqual(['^dev-']);
  });
});

describe('ImagePolicy defaults', () => {
  const doc = (policy: string, extra = '') =>
    `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata: { name: p }\nspec:\n  imageRepositoryRef: { name: support }\n  policy: ${policy}\n${extra}`;

  it.each([
    ['alphabetical', '{ alphabetical: {} }'],
    ['numerical', '{ numerical: {} }'],
  ])('orders %s policies ascending', (kind, policy) => {
    const o = loadOne(doc(policy));
    expect(o.kind === 'ImagePolicy' && o.spec.policy).toEqual({ [kind]: { order: 'asc' } });
  });

  it('never reflects digests unless asked', () => {
    const o = loadOne(doc('{ semver: { range: ">=1.0.0" } }'));
    expect(o.kind === 'ImagePolicy' && o.spec).toMatchObject({
      digestReflectionPolicy: 'Never',
      policy: { semver: { range: '>=1.0.0' } },
    });
    expect(o.kind === 'ImagePolicy' && o.spec.interval).toBeUndefined();
  });

  it('takes an interval with digestReflectionPolicy Always', () => {
    const o = loadOne(
      doc('{ semver: { range: 1.x } }', '  digestReflectionPolicy: Always\n  interval: 10m\n'),
    );
    expect(o.kind === 'ImagePolicy' && o.spec).toMatchObject({
      digestReflectionPolicy: 'Always',
      interval: '10m',
    });
  });
});

describe('ImageUpdateAutomation defaults', () => {
  it('uses the Setters strategy on the repository root, a GitRepository source and gpg signing', () => {
    const o = loadOne(`apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata: { name: a }
spec:
  interval: 30m
  sourceRef: { name: support }
  git:
    commit:
      author: { email: bot@example.com }
      signingKey: { secretRef: { name: support } }
`);
    expect(o.kind === 'ImageUpdateAutomation' && o.spec).toMatchObject({
      sourceRef: { kind: 'GitRepository', name: 'support' },
      update: { strategy: 'Setters', path: './' },
      git: { commit: { author: { email: 'bot@example.com' }, signingKey: { type: 'gpg' } } },
    });
  });
});

describe('notification defaults', () => {
  it('lets an Alert through at info severity', () => {
    const o = loadOne(
      'apiVersion: notification.toolkit.fluxcd.io/v1beta3\nkind: Alert\nmetadata: { name: a }\nspec: { providerRef: { name: support }, eventSources: [{ kind: Kustomization, name: "*" }] }\n',
    );
    expect(o.kind === 'Alert' && o.spec.eventSeverity).toBe('info');
  });

  it('reconciles a Receiver every 10m', () => {
    const o = loadOne(
      'apiVersion: notification.toolkit.fluxcd.io/v1\nkind: Receiver\nmetadata: { name: r }\nspec: { type: generic, secretRef: { name: support }, resources: [] }\n',
    );
    expect(o.kind === 'Receiver' && o.spec.interval).toBe('10m');
  });

  it('accepts ferry’s receiver extensions', () => {
    const o = loadOne(
      'apiVersion: notification.toolkit.fluxcd.io/v1\nkind: Receiver\nmetadata: { name: r }\nspec: { type: distribution, secretRef: { name: support }, resources: [{ kind: ImageRepository, name: support }] }\n',
    );
    expect(o.kind === 'Receiver' && o.spec.type).toBe('distribution');
  });
});
