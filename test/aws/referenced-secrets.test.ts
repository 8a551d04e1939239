import { describe, expect, it } from 'vitest';
import { referencedSecrets } from '../../lib/aws/referenced-secrets.ts';

const files = [
  {
    path: 'sources.yaml',
    content: `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: fleet }
spec: { url: https://example.com/fleet.git, interval: 1m, secretRef: { name: git-creds } }
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata: { name: app, namespace: apps }
spec: { image: example.com/app, interval: 1m, secretRef: { name: pull }, certSecretRef: { name: ca } }
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: prod, namespace: apps }
spec:
  interval: 1m
  path: ./prod
  prune: true
  sourceRef: { kind: GitRepository, name: fleet, namespace: flux-system }
  kubeConfig: { secretRef: { name: prod-kubeconfig } }
  postBuild:
    substituteFrom:
      - { kind: Secret, name: vars }
      - { kind: Secret, name: maybe, optional: true }
      - { kind: ConfigMap, name: settings }
---
apiVersion: v1
kind: Secret
metadata: { name: pull, namespace: apps }
stringData: { .dockerconfigjson: '{}' }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: not-flux }
spec: { template: { spec: { volumes: [{ secret: { secretName: x } }] } }, secretRef: { name: ignored } }
`,
  },
];

describe('referencedSecrets', () => {
  it('finds every secretRef of Flux objects in the referrer namespace, and the Secrets defined', () => {
    const { referenced, defined } = referencedSecrets(files);
    expect([...referenced.values()]).toEqual([
      { namespace: 'flux-system', name: 'git-creds', optional: false },
      { namespace: 'apps', name: 'pull', optional: false },
      { namespace: 'apps', name: 'ca', optional: false },
      { namespace: 'apps', name: 'prod-kubeconfig', optional: false },
      { namespace: 'apps', name: 'vars', optional: false },
      { namespace: 'apps', name: 'maybe', optional: true },
    ]);
    expect([...defined]).toEqual(['apps/pull']);
  });

  it('skips documents that do not parse; the loader reports them', () => {
    const { referenced } = referencedSecrets([{ path: 'bad.yaml', content: 'kind: [unclosed\n' }]);
    expect(referenced.size).toBe(0);
  });
});
