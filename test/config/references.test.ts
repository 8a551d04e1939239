import { describe, expect, it } from 'vitest';
import type { ConfigIssue } from '../../lib/config/index.ts';
import { gitRepository, load, loadIssues } from './load-issues.ts';

/** Objects every case can lean on: a GitRepository, an ImageRepository, a Provider and a Secret. */
const base = `${gitRepository('fleet')}---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata: { name: app }
spec: { image: ghcr.io/example/app, interval: 5m }
---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata: { name: chat }
spec: { type: generic }
---
apiVersion: v1
kind: Secret
metadata: { name: creds }
stringData: { token: t, value: kubeconfig }
`;

const cases: { label: string; doc: string; object: string; path: string; message: string }[] = [
  {
    label: 'Kustomization.spec.sourceRef',
    doc: `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps }
spec: { interval: 5m, prune: true, sourceRef: { kind: GitRepository, name: fleet, namespace: team-a } }`,
    object: 'Kustomization/flux-system/apps',
    path: 'spec.sourceRef',
    message: 'GitRepository team-a/fleet does not exist',
  },
  {
    label: 'Kustomization.spec.sourceRef of a source kind ferry does not fetch',
    doc: `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps }
spec: { interval: 5m, prune: true, sourceRef: { kind: OCIRepository, name: manifests } }`,
    object: 'Kustomization/flux-system/apps',
    path: 'spec.sourceRef.kind',
    message: 'OCIRepository is not supported by ferry; only GitRepository sources are',
  },
  {
    label: 'Kustomization.spec.dependsOn',
    doc: `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps }
spec:
  interval: 5m
  prune: true
  sourceRef: { kind: GitRepository, name: fleet }
  dependsOn: [{ name: apps-crds }, { name: infra }]
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps-crds }
spec: { interval: 5m, prune: true, sourceRef: { kind: GitRepository, name: fleet } }`,
    object: 'Kustomization/flux-system/apps',
    path: 'spec.dependsOn[1]',
    message: 'Kustomization flux-system/infra does not exist',
  },
  {
    label: 'Kustomization.spec.kubeConfig.secretRef',
    doc: `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps }
spec:
  interval: 5m
  prune: true
  sourceRef: { kind: GitRepository, name: fleet }
  kubeConfig: { secretRef: { name: remote-cluster } }`,
    object: 'Kustomization/flux-system/apps',
    path: 'spec.kubeConfig.secretRef',
    message: 'Secret flux-system/remote-cluster does not exist',
  },
  {
    label: 'Kustomization.spec.kubeConfig.secretRef key',
    doc: `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps }
spec:
  interval: 5m
  prune: true
  sourceRef: { kind: GitRepository, name: fleet }
  kubeConfig: { secretRef: { name: creds, key: kubeconfig.yaml } }`,
    object: 'Kustomization/flux-system/apps',
    path: 'spec.kubeConfig.secretRef',
    message: 'Secret flux-system/creds has no key "kubeconfig.yaml"',
  },
  {
    label: 'Kustomization.spec.decryption.secretRef',
    doc: `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps }
spec:
  interval: 5m
  prune: true
  sourceRef: { kind: GitRepository, name: fleet }
  decryption: { provider: sops, secretRef: { name: sops-age } }`,
    object: 'Kustomization/flux-system/apps',
    path: 'spec.decryption.secretRef',
    message: 'Secret flux-system/sops-age does not exist',
  },
  {
    label: 'Kustomization.spec.postBuild.substituteFrom Secret',
    doc: `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps }
spec:
  interval: 5m
  prune: true
  sourceRef: { kind: GitRepository, name: fleet }
  postBuild:
    substituteFrom:
      - { kind: ConfigMap, name: optional-settings, optional: true }
      - { kind: Secret, name: optional-vars, optional: true }
      - { kind: Secret, name: vars }`,
    object: 'Kustomization/flux-system/apps',
    path: 'spec.postBuild.substituteFrom[2]',
    message: 'Secret flux-system/vars does not exist',
  },
  {
    label: 'Kustomization.spec.postBuild.substituteFrom ConfigMap',
    doc: `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps }
spec:
  interval: 5m
  prune: true
  sourceRef: { kind: GitRepository, name: fleet }
  postBuild:
    substituteFrom:
      - { kind: ConfigMap, name: settings }`,
    object: 'Kustomization/flux-system/apps',
    path: 'spec.postBuild.substituteFrom[0]',
    message: 'ConfigMap flux-system/settings does not exist',
  },
  {
    label: 'ImageUpdateAutomation.spec.sourceRef',
    doc: `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata: { name: auto }
spec:
  interval: 30m
  sourceRef: { name: elsewhere }
  git: { commit: { author: { email: bot@example.com } } }`,
    object: 'ImageUpdateAutomation/flux-system/auto',
    path: 'spec.sourceRef',
    message: 'GitRepository flux-system/elsewhere does not exist',
  },
  {
    label: 'ImageUpdateAutomation.spec.git.commit.signingKey.secretRef',
    doc: `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata: { name: auto }
spec:
  interval: 30m
  sourceRef: { name: fleet }
  git: { commit: { author: { email: bot@example.com }, signingKey: { secretRef: { name: gpg } } } }`,
    object: 'ImageUpdateAutomation/flux-system/auto',
    path: 'spec.git.commit.signingKey.secretRef',
    message: 'Secret flux-system/gpg does not exist',
  },
  {
    label: 'ImagePolicy.spec.imageRepositoryRef',
    doc: `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata: { name: app, namespace: team-a }
spec: { imageRepositoryRef: { name: app }, policy: { semver: { range: 1.x } } }`,
    object: 'ImagePolicy/team-a/app',
    path: 'spec.imageRepositoryRef',
    message: 'ImageRepository team-a/app does not exist',
  },
  {
    label: 'Alert.spec.providerRef',
    doc: `apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Alert
metadata: { name: all }
spec: { providerRef: { name: slack }, eventSources: [{ kind: GitRepository, name: '*' }] }`,
    object: 'Alert/flux-system/all',
    path: 'spec.providerRef',
    message: 'Provider flux-system/slack does not exist',
  },
  {
    label: 'GitRepository.spec.secretRef',
    doc: gitRepository('other', '  secretRef: { name: ssh-key }\n'),
    object: 'GitRepository/flux-system/other',
    path: 'spec.secretRef',
    message: 'Secret flux-system/ssh-key does not exist',
  },
  {
    label: 'GitRepository.spec.verify.secretRef',
    doc: gitRepository('other', '  verify: { secretRef: { name: pgp-keys } }\n'),
    object: 'GitRepository/flux-system/other',
    path: 'spec.verify.secretRef',
    message: 'Secret flux-system/pgp-keys does not exist',
  },
  {
    label: 'GitRepository.spec.include',
    doc: gitRepository(
      'other',
      '  include: [{ repository: { name: fleet } }, { repository: { name: shared } }]\n',
    ),
    object: 'GitRepository/flux-system/other',
    path: 'spec.include[1].repository',
    message: 'GitRepository flux-system/shared does not exist',
  },
  {
    label: 'ImageRepository.spec.secretRef',
    doc: `apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImageRepository
metadata: { name: private }
spec: { image: registry.example.com/private, interval: 5m, secretRef: { name: regcred } }`,
    object: 'ImageRepository/flux-system/private',
    path: 'spec.secretRef',
    message: 'Secret flux-system/regcred does not exist',
  },
  {
    label: 'ImageRepository.spec.certSecretRef',
    doc: `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata: { name: private }
spec: { image: registry.example.com/private, interval: 5m, certSecretRef: { name: registry-ca } }`,
    object: 'ImageRepository/flux-system/private',
    path: 'spec.certSecretRef',
    message: 'Secret flux-system/registry-ca does not exist',
  },
  {
    label: 'Provider.spec.secretRef',
    doc: `apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata: { name: slack }
spec: { type: slack, secretRef: { name: slack-url } }`,
    object: 'Provider/flux-system/slack',
    path: 'spec.secretRef',
    message: 'Secret flux-system/slack-url does not exist',
  },
  {
    label: 'Provider.spec.certSecretRef',
    doc: `apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Provider
metadata: { name: slack }
spec: { type: slack, certSecretRef: { name: internal-ca } }`,
    object: 'Provider/flux-system/slack',
    path: 'spec.certSecretRef',
    message: 'Secret flux-system/internal-ca does not exist',
  },
  {
    label: 'Receiver.spec.secretRef',
    doc: `apiVersion: notification.toolkit.fluxcd.io/v1
kind: Receiver
metadata: { name: hook }
spec: { type: generic, secretRef: { name: hook-token }, resources: [{ kind: GitRepository, name: fleet }] }`,
    object: 'Receiver/flux-system/hook',
    path: 'spec.secretRef',
    message: 'Secret flux-system/hook-token does not exist',
  },
  {
    label: 'Receiver.spec.secretRef without a token',
    doc: `apiVersion: notification.toolkit.fluxcd.io/v1
kind: Receiver
metadata: { name: hook }
spec: { type: generic, secretRef: { name: no-token }, resources: [{ kind: GitRepository, name: fleet }] }
---
apiVersion: v1
kind: Secret
metadata: { name: no-token }
stringData: { password: x }`,
    object: 'Receiver/flux-system/hook',
    path: 'spec.secretRef',
    message: 'Secret flux-system/no-token has no key "token"',
  },
];

describe('references', () => {
  it.each(cases)(
    'reports a missing $label, naming the field and the object',
    ({ doc, object, path, message }) => {
      const issues = loadIssues({
        'base.yaml': base,
        'refs/x.yaml': `${gitRepository('padding')}---\n${doc}\n`,
      });
      expect(issues).toEqual([
        { file: 'refs/x.yaml', document: 1, object, path, message } satisfies ConfigIssue,
      ]);
    },
  );

  it('resolves a reference in the referrer’s namespace, and across namespaces when one is named', () => {
    const config = load({
      'team-a.yaml': `${gitRepository('fleet').replace('  name: fleet', '  name: fleet\n  namespace: team-a')}---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps, namespace: team-a }
spec: { interval: 5m, prune: true, sourceRef: { kind: GitRepository, name: fleet } }
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: platform }
spec:
  interval: 5m
  prune: true
  sourceRef: { kind: GitRepository, name: fleet, namespace: team-a }
  dependsOn: [{ name: apps, namespace: team-a }]
`,
    });
    expect(config.size).toBe(3);
  });

  it('reports a dependsOn cycle once, on its first member', () => {
    const ks = (name: string, deps: string[]) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: ${name} }
spec:
  interval: 5m
  prune: true
  sourceRef: { kind: GitRepository, name: fleet }
  dependsOn: [${deps.map((d) => `{ name: ${d} }`).join(', ')}]
`;
    const issues = loadIssues({
      'a.yaml': gitRepository('fleet'),
      'ks.yaml': [ks('c', ['a']), ks('b', ['c']), ks('a', ['b']), ks('d', ['a']), ks('self', ['self'])].join(
        '---\n',
      ),
    });
    expect(issues).toEqual([
      {
        file: 'ks.yaml',
        document: 2,
        object: 'Kustomization/flux-system/a',
        path: 'spec.dependsOn',
        message: 'dependency cycle: flux-system/a → flux-system/b → flux-system/c → flux-system/a',
      },
      {
        file: 'ks.yaml',
        document: 4,
        object: 'Kustomization/flux-system/self',
        path: 'spec.dependsOn',
        message: 'dependency cycle: flux-system/self → flux-system/self',
      },
    ]);
  });
});
