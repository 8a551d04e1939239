import { describe, expect, it } from 'vitest';
import {
  ConfigSet,
  FLUX_KINDS,
  isSuspended,
  objectKey,
  reconcileIntervalMs,
  timeoutMs,
} from '../../lib/config/index.ts';
import { gitRepository, load } from './load-issues.ts';

const config = load({
  'b.yaml': `${gitRepository('zeta')}---
${gitRepository('alpha').replace('  name: alpha', '  name: alpha\n  namespace: team-b')}---
${gitRepository('beta', '  suspend: true\n')}---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps }
spec: { interval: 10m, prune: true, sourceRef: { kind: GitRepository, name: zeta } }
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: quick }
spec: { interval: 40s, timeout: 10s, prune: true, sourceRef: { kind: GitRepository, name: zeta } }
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata: { name: app }
spec: { image: ghcr.io/example/app, interval: 1m30s }
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata: { name: fast }
spec: { image: ghcr.io/example/fast, interval: 500ms }
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata: { name: app }
spec: { imageRepositoryRef: { name: app }, policy: { semver: { range: 1.x } } }
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata: { name: digests }
spec:
  imageRepositoryRef: { name: app }
  policy: { semver: { range: 1.x } }
  digestReflectionPolicy: Always
  interval: 1h
---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata: { name: hook }
spec: { type: generic, timeout: 5s }
---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Alert
metadata: { name: all }
spec: { providerRef: { name: hook }, eventSources: [{ kind: Kustomization, name: '*' }] }
---
apiVersion: notification.toolkit.fluxcd.io/v1
kind: Receiver
metadata: { name: push }
spec: { type: generic, secretRef: { name: token }, resources: [{ kind: GitRepository, name: zeta }] }
---
apiVersion: v1
kind: Secret
metadata: { name: token }
stringData: { token: t }
`,
});

function must<K extends Parameters<ConfigSet['get']>[0]>(kind: K, name: string, namespace = 'flux-system') {
  const o = config.get(kind, namespace, name);
  if (o === undefined) throw new Error(`${kind} ${namespace}/${name} missing`);
  return o;
}

describe('ConfigSet', () => {
  it('finds an object by kind, namespace and name, and nothing by a near miss', () => {
    expect(config.get('GitRepository', 'flux-system', 'zeta')?.metadata.name).toBe('zeta');
    expect(config.get('GitRepository', 'team-b', 'zeta')).toBeUndefined();
    expect(config.get('Kustomization', 'flux-system', 'zeta')).toBeUndefined();
  });

  it('lists a kind sorted by namespace, then name', () => {
    expect(config.list('GitRepository').map(objectKey)).toEqual([
      'GitRepository/flux-system/beta',
      'GitRepository/flux-system/zeta',
      'GitRepository/team-b/alpha',
    ]);
    expect(config.list('Alert').map(objectKey)).toEqual(['Alert/flux-system/all']);
  });

  it('lists everything, Secrets included, kind by kind', () => {
    const all = config.all();
    expect(all).toHaveLength(config.size);
    expect(config.size).toBe(13);
    const kindOrder = all.map((o) => FLUX_KINDS.indexOf(o.kind));
    expect(kindOrder).toEqual([...kindOrder].sort((a, b) => a - b));
    expect(all.at(-1)?.kind).toBe('Secret');
  });

  it('hands out copies of its lists', () => {
    config.list('GitRepository').pop();
    expect(config.list('GitRepository')).toHaveLength(3);
  });

  it('refuses two objects with the same key', () => {
    const o = must('GitRepository', 'zeta');
    expect(() => new ConfigSet([o, o])).toThrow('duplicate object GitRepository/flux-system/zeta');
  });
});

describe('object helpers', () => {
  it('keys an object as Kind/namespace/name', () => {
    expect(objectKey(must('GitRepository', 'alpha', 'team-b'))).toBe('GitRepository/team-b/alpha');
  });

  it('reports spec.suspend, and never suspends a Secret', () => {
    expect(isSuspended(must('GitRepository', 'beta'))).toBe(true);
    expect(isSuspended(must('GitRepository', 'zeta'))).toBe(false);
    expect(isSuspended(must('Secret', 'token'))).toBe(false);
  });

  it.each([
    ['GitRepository', 'zeta', 300_000],
    ['Kustomization', 'apps', 600_000],
    ['ImageRepository', 'app', 90_000],
    ['ImagePolicy', 'digests', 3_600_000],
    ['ImagePolicy', 'app', undefined],
    ['Receiver', 'push', 600_000],
    ['Provider', 'hook', undefined],
    ['Alert', 'all', undefined],
    ['Secret', 'token', undefined],
  ] as const)('gives %s %s a reconcile interval of %s ms', (kind, name, ms) => {
    expect(reconcileIntervalMs(must(kind, name))).toBe(ms);
  });

  it.each([
    ['GitRepository', 'zeta', 60_000, 'the 60s default'],
    ['Kustomization', 'apps', 570_000, 'interval minus 30s'],
    ['Kustomization', 'quick', 30_000, 'at least 30s, even when set lower'],
    ['ImageRepository', 'app', 90_000, 'the interval'],
    ['ImageRepository', 'fast', 1_000, 'at least 1s'],
    ['Provider', 'hook', 5_000, 'the timeout as written'],
    ['Alert', 'all', undefined, 'none'],
  ] as const)('gives %s %s a timeout of %s ms (%s)', (kind, name, ms, _why) => {
    expect(timeoutMs(must(kind, name))).toBe(ms);
  });
});
