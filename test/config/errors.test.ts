import { describe, expect, it } from 'vitest';
import { ConfigError, type ConfigIssue, loadConfigFiles } from '../../lib/config/index.ts';
import { gitRepository, loadIssues } from './load-issues.ts';

/** A Kustomization on GitRepository `fleet`, with extra spec lines. */
function kustomization(name: string, extra = ''): string {
  return `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
spec:
  interval: 10m
  prune: true
  sourceRef:
    kind: GitRepository
    name: fleet
${extra}`;
}

function issueAt(files: Record<string, string>): ConfigIssue {
  const issues = loadIssues(files);
  expect(issues).toHaveLength(1);
  return issues[0] as ConfigIssue;
}

describe('schema errors', () => {
  it.each([
    {
      label: 'a missing required field',
      doc: `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: { name: fleet }\nspec: { url: https://git.example.com/x.git }\n`,
      object: 'GitRepository/flux-system/fleet',
      path: 'spec.interval',
      message: 'is required',
    },
    {
      label: 'a missing prune on a Kustomization',
      doc: `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: { name: apps, namespace: team-a }\nspec: { interval: 5m, sourceRef: { kind: GitRepository, name: fleet, namespace: flux-system } }\n`,
      object: 'Kustomization/team-a/apps',
      path: 'spec.prune',
      message: 'is required',
    },
    {
      label: 'a wrong type',
      doc: gitRepository('fleet', '  suspend: "yes"\n'),
      object: 'GitRepository/flux-system/fleet',
      path: 'spec.suspend',
      message: 'must be true or false',
    },
    {
      label: 'a number where a duration string belongs',
      doc: gitRepository('fleet', '  timeout: 60\n'),
      object: 'GitRepository/flux-system/fleet',
      path: 'spec.timeout',
      message: 'must be a duration string such as "30s", "5m" or "1h30m"',
    },
    {
      label: 'an invalid enum value',
      doc: gitRepository('fleet', '  provider: gitlab\n'),
      object: 'GitRepository/flux-system/fleet',
      path: 'spec.provider',
      message: 'must be one of generic, aws, azure, github',
    },
    {
      label: 'an invalid duration',
      doc: gitRepository('fleet', '  timeout: 1d\n'),
      object: 'GitRepository/flux-system/fleet',
      path: 'spec.timeout',
      message: 'unknown unit "d" in duration "1d"',
    },
    {
      label: 'a negative duration',
      doc: gitRepository('fleet', '  timeout: -5s\n'),
      object: 'GitRepository/flux-system/fleet',
      path: 'spec.timeout',
      message: 'duration "-5s" must not be negative',
    },
    {
      label: 'a misspelt field inside spec',
      doc: gitRepository('fleet', '  intervall: 5m\n'),
      object: 'GitRepository/flux-system/fleet',
      path: 'spec.intervall',
      message: 'unknown field',
    },
    {
      label: 'a misspelt field deep inside spec',
      doc: gitRepository('fleet', '  ref:\n    brnach: main\n'),
      object: 'GitRepository/flux-system/fleet',
      path: 'spec.ref.brnach',
      message: 'unknown field',
    },
    {
      label: 'a misspelt top-level field',
      doc: `${gitRepository('fleet')}spex: {}\n`,
      object: 'GitRepository/flux-system/fleet',
      path: 'spex',
      message: 'unknown field',
    },
    {
      label: 'an ImagePolicy with two policies',
      doc: `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata: { name: app }\nspec:\n  imageRepositoryRef: { name: app }\n  policy: { semver: { range: 1.x }, alphabetical: {} }\n`,
      object: 'ImagePolicy/flux-system/app',
      path: 'spec.policy',
      message: 'exactly one of semver, alphabetical, numerical must be set',
    },
    {
      label: 'an ImagePolicy with no policy',
      doc: `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata: { name: app }\nspec:\n  imageRepositoryRef: { name: app }\n  policy: {}\n`,
      object: 'ImagePolicy/flux-system/app',
      path: 'spec.policy',
      message: 'exactly one of semver, alphabetical, numerical must be set',
    },
    {
      label: 'a bad metadata.name',
      doc: gitRepository('Fleet_Repo'),
      object: 'GitRepository/flux-system/Fleet_Repo',
      path: 'metadata.name',
      message: 'must be lowercase letters, digits, "-" and ".", starting and ending alphanumeric',
    },
    {
      label: 'a label value that is not a string',
      doc: `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: fleet\n  labels: { app.kubernetes.io/version: 2 }\nspec: { url: https://git.example.com/x.git, interval: 5m }\n`,
      object: 'GitRepository/flux-system/fleet',
      path: 'metadata.labels["app.kubernetes.io/version"]',
      message: 'must be a string',
    },
    {
      label: 'a Receiver of a type neither Flux nor ferry knows',
      doc: `apiVersion: notification.toolkit.fluxcd.io/v1\nkind: Receiver\nmetadata: { name: hook }\nspec: { type: svn, secretRef: { name: token }, resources: [] }\n`,
      object: 'Receiver/flux-system/hook',
      path: 'spec.type',
      message: expect.stringMatching(
        /^must be one of generic, generic-hmac, github, .*, distribution, ghcr, ecr, artifactregistry$/,
      ),
    },
  ])('names the file, document, object and field of $label', ({ doc, object, path, message }) => {
    expect(issueAt({ 'clusters/prod/x.yaml': `${gitRepository('other')}---\n${doc}` })).toEqual({
      file: 'clusters/prod/x.yaml',
      document: 1,
      object,
      path,
      message,
    });
  });
});

describe('regular expressions', () => {
  it.each([
    {
      label: 'ImageRepository exclusionList',
      doc: `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata: { name: app }\nspec: { image: ghcr.io/example/app, interval: 5m, exclusionList: ['^ok$', '(unclosed'] }\n`,
      path: 'spec.exclusionList[1]',
    },
    {
      label: 'ImagePolicy filterTags.pattern',
      doc: `apiVersion: image.toolkit.fluxcd.io/v1beta2\nkind: ImagePolicy\nmetadata: { name: app }\nspec:\n  imageRepositoryRef: { name: app }\n  filterTags: { pattern: '^main-(?=lookahead)' }\n  policy: { alphabetical: {} }\n`,
      path: 'spec.filterTags.pattern',
    },
    {
      label: 'Alert inclusionList',
      doc: `apiVersion: notification.toolkit.fluxcd.io/v1beta3\nkind: Alert\nmetadata: { name: a }\nspec: { providerRef: { name: p }, eventSources: [], inclusionList: ['[z-a]'] }\n`,
      path: 'spec.inclusionList[0]',
    },
    {
      label: 'Alert exclusionList',
      doc: `apiVersion: notification.toolkit.fluxcd.io/v1beta3\nkind: Alert\nmetadata: { name: a }\nspec: { providerRef: { name: p }, eventSources: [], exclusionList: ['a{1001}'] }\n`,
      path: 'spec.exclusionList[0]',
    },
  ])('rejects a pattern Go cannot compile in $label', ({ doc, path }) => {
    const issue = issueAt({ 'x.yaml': doc });
    expect(issue.path).toBe(path);
    expect(issue.message).toMatch(/^invalid regular expression: error parsing regexp: /);
  });

  it('accepts Go-only syntax such as (?P<name>…) named groups', () => {
    const config = loadConfigFiles([
      {
        path: 'x.yaml',
        content: `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata: { name: app }
spec: { image: ghcr.io/example/app, interval: 5m }
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata: { name: app }
spec:
  imageRepositoryRef: { name: app }
  filterTags: { pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)$', extract: '$ts' }
  policy: { numerical: {} }
`,
      },
    ]);
    expect(config.get('ImagePolicy', 'flux-system', 'app')?.spec.filterTags?.pattern).toContain('(?P<ts>');
  });
});

describe('kinds and versions', () => {
  it.each([
    {
      label: 'an unknown kind in a Flux group',
      doc: 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata: { name: charts }\nspec: {}\n',
      object: 'HelmRepository/flux-system/charts',
      path: 'kind',
      message:
        'HelmRepository of source.toolkit.fluxcd.io is not supported by ferry; supported kinds: GitRepository (v1)',
    },
    {
      label: 'an unsupported version of a supported kind',
      doc: 'apiVersion: image.toolkit.fluxcd.io/v1alpha1\nkind: ImagePolicy\nmetadata: { name: app }\nspec: {}\n',
      object: 'ImagePolicy/flux-system/app',
      path: 'apiVersion',
      message:
        'image.toolkit.fluxcd.io/v1alpha1 is not supported for ImagePolicy by ferry; supported: image.toolkit.fluxcd.io/v1, image.toolkit.fluxcd.io/v1beta2',
    },
    {
      label: 'an old Kustomization version',
      doc: 'apiVersion: kustomize.toolkit.fluxcd.io/v1beta2\nkind: Kustomization\nmetadata: { name: apps }\nspec: {}\n',
      object: 'Kustomization/flux-system/apps',
      path: 'apiVersion',
      message:
        'kustomize.toolkit.fluxcd.io/v1beta2 is not supported for Kustomization by ferry; supported: kustomize.toolkit.fluxcd.io/v1',
    },
    {
      label: 'a Flux kind with no apiVersion',
      doc: 'kind: GitRepository\nmetadata: { name: fleet }\nspec: {}\n',
      object: 'GitRepository/flux-system/fleet',
      path: 'apiVersion',
      message: 'is required',
    },
  ])('rejects $label, saying what is supported', ({ doc, object, path, message }) => {
    expect(issueAt({ 'x.yaml': doc })).toEqual({ file: 'x.yaml', document: 0, object, path, message });
  });
});

describe('documents', () => {
  it('reports a YAML syntax error with its line and column', () => {
    expect(
      issueAt({ 'x.yaml': `${gitRepository('ok')}---\nmetadata:\n  name: fleet\n  labels: {a: b\n` }),
    ).toEqual({
      file: 'x.yaml',
      document: 1,
      path: '',
      message:
        'YAML syntax error at line 12, column 1: Flow map in block collection must be sufficiently indented and end with a }',
    });
  });

  it('reports duplicate keys, which Kubernetes rejects too', () => {
    const issue = issueAt({ 'x.yaml': gitRepository('ok', '  interval: 10m\n') });
    expect(issue.message).toBe('YAML syntax error at line 8, column 3: Map keys must be unique');
  });

  it.each([
    ['a list', '- a\n- b\n'],
    ['a string', 'just text\n'],
    ['a number', '42\n'],
  ])('rejects a document that is %s', (what, content) => {
    expect(issueAt({ 'x.yaml': content })).toEqual({
      file: 'x.yaml',
      document: 0,
      path: '',
      message: `must be a mapping (a Kubernetes object), not ${what}`,
    });
  });
});

describe('duplicates', () => {
  it('names both files', () => {
    expect(
      issueAt({
        'a.yaml': gitRepository('fleet'),
        'b.yaml': `${gitRepository('x')}---\n${gitRepository('fleet')}`,
      }),
    ).toEqual({
      file: 'b.yaml',
      document: 1,
      object: 'GitRepository/flux-system/fleet',
      path: 'metadata.name',
      message: 'GitRepository/flux-system/fleet is also defined in a.yaml#0',
    });
  });

  it('counts an omitted namespace as flux-system', () => {
    const withNamespace = gitRepository('fleet').replace(
      '  name: fleet',
      '  name: fleet\n  namespace: flux-system',
    );
    expect(issueAt({ 'a.yaml': gitRepository('fleet'), 'b.yaml': withNamespace }).path).toBe('metadata.name');
  });

  it('allows the same name in another namespace or of another kind', () => {
    const other = gitRepository('fleet').replace('  name: fleet', '  name: fleet\n  namespace: team-a');
    const config = loadConfigFiles([
      { path: 'a.yaml', content: gitRepository('fleet') },
      { path: 'b.yaml', content: other },
      { path: 'c.yaml', content: kustomization('fleet') },
    ]);
    expect(config.size).toBe(3);
  });
});

describe('the ConfigError', () => {
  it('is terminal and lists each issue on its own line', () => {
    let error: unknown;
    try {
      loadConfigFiles([
        { path: 'a.yaml', content: gitRepository('fleet', '  intervall: 5m\n') },
        { path: 'b.yaml', content: '- not an object\n' },
      ]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.failure).toBe('terminal');
    expect(configError.name).toBe('ConfigError');
    expect(configError.message.split('\n')).toEqual([
      'invalid config (2 problems):',
      'a.yaml#0 GitRepository/flux-system/fleet spec.intervall: unknown field',
      'b.yaml#0: must be a mapping (a Kubernetes object), not a list',
    ]);
    expect(JSON.parse(JSON.stringify(configError)).issues).toHaveLength(2);
  });
});
