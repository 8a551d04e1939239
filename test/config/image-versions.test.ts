import { describe, expect, it } from 'vitest';
import { gitRepository, load, loadIssues } from './load-issues.ts';

const repository = (version: string) => `apiVersion: image.toolkit.fluxcd.io/${version}
kind: ImageRepository
metadata: { name: app }
spec: { image: ghcr.io/example/app, interval: 5m, provider: generic }
`;

const policy = (version: string, extra = '') => `apiVersion: image.toolkit.fluxcd.io/${version}
kind: ImagePolicy
metadata: { name: app }
spec:
  imageRepositoryRef: { name: app }
  policy: { semver: { range: ^1.0.0 } }
${extra}`;

const automation = (version: string, extra = '') => `apiVersion: image.toolkit.fluxcd.io/${version}
kind: ImageUpdateAutomation
metadata: { name: auto }
spec:
  interval: 30m
  sourceRef: { kind: GitRepository, name: fleet }
  git:
    commit:
      author: { name: bot, email: bot@example.com }
${extra}`;

const secret = 'apiVersion: v1\nkind: Secret\nmetadata: { name: signing }\nstringData: { identity: key }\n';

describe('image objects in v1beta2 and v1', () => {
  it('load into one shape, keeping the apiVersion they were written with', () => {
    const older = load({ 'a.yaml': [repository('v1beta2'), policy('v1beta2')].join('---\n') });
    const newer = load({ 'a.yaml': [repository('v1'), policy('v1')].join('---\n') });

    const [oldRepo, newRepo] = [older, newer].map((c) => c.get('ImageRepository', 'flux-system', 'app'));
    expect(oldRepo?.apiVersion).toBe('image.toolkit.fluxcd.io/v1beta2');
    expect(newRepo?.apiVersion).toBe('image.toolkit.fluxcd.io/v1');
    expect(oldRepo?.spec).toEqual(newRepo?.spec);

    const [oldPolicy, newPolicy] = [older, newer].map((c) => c.get('ImagePolicy', 'flux-system', 'app'));
    expect(oldPolicy?.apiVersion).toBe('image.toolkit.fluxcd.io/v1beta2');
    expect(oldPolicy?.spec).toEqual(newPolicy?.spec);
  });

  it('lets a v1 ImagePolicy be suspended but not a v1beta2 one, which has no such field', () => {
    const config = load({ 'a.yaml': [repository('v1'), policy('v1', '  suspend: true\n')].join('---\n') });
    expect(config.get('ImagePolicy', 'flux-system', 'app')?.spec.suspend).toBe(true);

    const issues = loadIssues({
      'a.yaml': [repository('v1'), policy('v1beta2', '  suspend: true\n')].join('---\n'),
    });
    expect(issues).toEqual([
      {
        file: 'a.yaml',
        document: 1,
        object: 'ImagePolicy/flux-system/app',
        path: 'spec.suspend',
        message: 'unknown field',
      },
    ]);
  });

  it.each(['v1', 'v1beta2'])(
    '%s: requires an interval exactly when digests are always reflected',
    (version) => {
      const always = loadIssues({
        'a.yaml': [repository(version), policy(version, '  digestReflectionPolicy: Always\n')].join('---\n'),
      });
      expect(always.map((i) => `${i.path}: ${i.message}`)).toEqual([
        'spec.interval: is required when digestReflectionPolicy is Always',
      ]);
      const never = loadIssues({
        'a.yaml': [repository(version), policy(version, '  interval: 5m\n')].join('---\n'),
      });
      expect(never.map((i) => `${i.path}: ${i.message}`)).toEqual([
        'spec.interval: is only accepted when digestReflectionPolicy is Always',
      ]);
    },
  );

  it('signs v1 commits with an ssh key when asked, and reads a v1beta2 signing key as gpg', () => {
    const signing = '      signingKey: { secretRef: { name: signing }, type: ssh }\n';
    const v1 = load({ 'a.yaml': [gitRepository('fleet'), secret, automation('v1', signing)].join('---\n') });
    expect(v1.get('ImageUpdateAutomation', 'flux-system', 'auto')?.spec.git.commit.signingKey).toEqual({
      secretRef: { name: 'signing' },
      type: 'ssh',
    });

    const gpg = '      signingKey: { secretRef: { name: signing } }\n';
    const v1beta2 = load({
      'a.yaml': [gitRepository('fleet'), secret, automation('v1beta2', gpg)].join('---\n'),
    });
    const auto = v1beta2.get('ImageUpdateAutomation', 'flux-system', 'auto');
    expect(auto?.apiVersion).toBe('image.toolkit.fluxcd.io/v1beta2');
    expect(auto?.spec.git.commit.signingKey).toEqual({ secretRef: { name: 'signing' }, type: 'gpg' });

    const issues = loadIssues({
      'a.yaml': [gitRepository('fleet'), secret, automation('v1beta2', signing)].join('---\n'),
    });
    expect(issues.map((i) => i.path)).toEqual(['spec.git.commit.signingKey.type']);
  });

  it('refuses a force or delete refspec in v1 and passes it in v1beta2', () => {
    const push = '    push: { refspec: "+refs/heads/main:refs/heads/auto" }\n';
    const issues = loadIssues({ 'a.yaml': [gitRepository('fleet'), automation('v1', push)].join('---\n') });
    expect(issues).toEqual([
      {
        file: 'a.yaml',
        document: 1,
        object: 'ImageUpdateAutomation/flux-system/auto',
        path: 'spec.git.push.refspec',
        message: 'must not start with "+" or ":" (force and delete refspecs are not supported)',
      },
    ]);
    const config = load({ 'a.yaml': [gitRepository('fleet'), automation('v1beta2', push)].join('---\n') });
    expect(config.get('ImageUpdateAutomation', 'flux-system', 'auto')?.spec.git.push?.refspec).toBe(
      '+refs/heads/main:refs/heads/auto',
    );
  });

  it.each(['v1', 'v1beta2'])('%s: requires git.commit.author', (version) => {
    const doc = automation(version).replace(
      '      author: { name: bot, email: bot@example.com }\n',
      '      messageTemplate: x\n',
    );
    const issues = loadIssues({ 'a.yaml': [gitRepository('fleet'), doc].join('---\n') });
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual(['spec.git.commit.author: is required']);
  });
});
