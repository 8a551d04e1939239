import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, type ConfigIssue, loadConfigDir, objectKey } from '../../lib/config/index.ts';
import { gitRepository, load, loadIssues } from './load-issues.ts';

const fixtures = new URL('./fixtures/', import.meta.url).pathname;
const quickstart = new URL('../../examples/quickstart/', import.meta.url).pathname;

describe('loading the fleet fixture', () => {
  it('reads every Flux object and Secret across files and multi-document files', async () => {
    const config = await loadConfigDir(join(fixtures, 'fleet'));
    expect(config.all().map(objectKey)).toEqual([
      'GitRepository/flux-system/flux-system',
      'Kustomization/flux-system/apps',
      'Kustomization/flux-system/flux-system',
      'Kustomization/flux-system/infra-configs',
      'Kustomization/flux-system/infra-controllers',
      'ImageRepository/flux-system/podinfo',
      'ImageRepository/flux-system/storefront',
      'ImagePolicy/flux-system/podinfo',
      'ImagePolicy/flux-system/storefront',
      'ImageUpdateAutomation/flux-system/flux-system',
      'Provider/flux-system/slack',
      'Alert/flux-system/on-call',
      'Receiver/flux-system/github',
      'Secret/flux-system/cluster-vars',
      'Secret/flux-system/flux-system',
      'Secret/flux-system/github-webhook-token',
      'Secret/flux-system/regcred',
      'Secret/flux-system/slack-webhook',
      'ConfigMap/flux-system/cluster-settings',
    ]);
    expect(config.size).toBe(19);
  });

  it('records where each object came from, relative to the directory', async () => {
    const config = await loadConfigDir(join(fixtures, 'fleet'));
    expect(config.get('Kustomization', 'flux-system', 'flux-system')?.source).toEqual({
      file: 'clusters/production/flux-system/gotk-sync.yaml',
      document: 1,
    });
    expect(config.get('Secret', 'flux-system', 'cluster-vars')?.source).toEqual({
      file: 'clusters/production/apps.yml',
      document: 1,
    });
  });

  it('passes over Deployments, unused ConfigMaps, Namespaces and kustomize files, and skips dot-directories', async () => {
    const config = await loadConfigDir(join(fixtures, 'fleet'));
    const files = new Set(config.all().map((o) => o.source.file));
    const fromDeploymentFile = config
      .all()
      .filter((o) => o.source.file === 'apps/base/podinfo/deployment.yaml');
    expect(fromDeploymentFile.map(objectKey)).toEqual(['ConfigMap/flux-system/cluster-settings']);
    expect(files).not.toContain('.github/workflows/ci.yml');
    expect(config.get('Kustomization', 'flux-system', 'flux-system')?.spec.path).toBe(
      './clusters/production',
    );
  });
});

describe('the quickstart example', () => {
  it('loads without error and holds what its README promises', async () => {
    const config = await loadConfigDir(quickstart);
    expect(config.all().map(objectKey)).toEqual([
      'GitRepository/flux-system/fleet',
      'Kustomization/flux-system/apps',
      'ImageRepository/flux-system/podinfo',
      'ImagePolicy/flux-system/podinfo',
      'ImageUpdateAutomation/flux-system/fleet',
      'Provider/flux-system/webhook',
      'Alert/flux-system/all',
      'Receiver/flux-system/fleet',
      'Secret/flux-system/fleet-auth',
      'Secret/flux-system/webhook-token',
    ]);
    expect(config.get('Receiver', 'flux-system', 'fleet')?.spec.type).toBe('generic');
    expect(config.get('Provider', 'flux-system', 'webhook')?.spec.type).toBe('generic');
    expect(config.get('ImagePolicy', 'flux-system', 'podinfo')?.spec.policy.semver?.range).toBe(
      '>=6.0.0 <7.0.0',
    );
    expect(config.secretValues('flux-system', 'webhook-token').token).toBe('quickstart-token-change-me');
  });
});

describe('loadConfigDir', () => {
  let dir = '';
  afterEach(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  async function writeTree(files: Record<string, string>): Promise<string> {
    dir = await mkdtemp(join(tmpdir(), 'ferry-config-'));
    for (const [path, content] of Object.entries(files)) {
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), content);
    }
    return dir;
  }

  it('reads .yaml and .yml files in sorted path order, whatever order the disk lists them in', async () => {
    const root = await writeTree({
      'z.yaml': gitRepository('zulu'),
      'a/b.yml': gitRepository('bravo'),
      'a.yaml': gitRepository('alpha'),
      'notes.txt': gitRepository('ignored-text'),
      'config.json': '{}',
    });
    const config = await loadConfigDir(root);
    expect(config.list('GitRepository').map((o) => o.source.file)).toEqual(['a.yaml', 'a/b.yml', 'z.yaml']);
  });

  it('reports duplicates against the file that comes first in sorted order', async () => {
    const root = await writeTree({ 'b.yaml': gitRepository('same'), 'a/x.yaml': gitRepository('same') });
    const error = await loadConfigDir(root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      {
        file: 'b.yaml',
        document: 0,
        object: 'GitRepository/flux-system/same',
        path: 'metadata.name',
        message: 'GitRepository/flux-system/same is also defined in a/x.yaml#0',
      },
    ]);
  });

  it('skips every dot-directory, however deep', async () => {
    const root = await writeTree({
      'ok.yaml': gitRepository('ok'),
      '.git/config.yaml': 'not: [valid',
      'nested/.cache/x.yaml': gitRepository('hidden'),
    });
    const config = await loadConfigDir(root);
    expect(config.list('GitRepository').map((o) => o.metadata.name)).toEqual(['ok']);
  });

  it('loads an empty directory as an empty config', async () => {
    const root = await writeTree({});
    expect((await loadConfigDir(root)).size).toBe(0);
  });
});

describe('loadConfigFiles', () => {
  it('ignores empty documents but counts them in document indexes', () => {
    const issues = loadIssues({
      'multi.yaml': `---\n---\n# only a comment\n---\n${gitRepository('a')}---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: { name: b }\n`,
    });
    expect(issues).toEqual([
      {
        file: 'multi.yaml',
        document: 3,
        object: 'GitRepository/flux-system/b',
        path: 'spec',
        message: 'is required',
      },
    ]);
  });

  it('ignores objects outside the Flux groups, and core v1 objects other than Secret and ConfigMap', () => {
    const config = load({
      'other.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec: { whatever: true }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
data: { a: b }
---
apiVersion: v1
kind: Namespace
metadata: { name: apps }
---
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [a.yaml]
---
kind: Kustomization
resources: [b.yaml]
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: { name: podinfo }
spec: { anything: goes }
---
just: some values
`,
    });
    expect(config.size).toBe(0);
  });

  it('reads the ConfigMaps Kustomizations substitute from, data only, and names a bad key', () => {
    const substitutesFrom = (namespace: string, name: string) => `${gitRepository('fleet')}---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps, namespace: ${namespace} }
spec:
  interval: 5m
  prune: true
  sourceRef: { kind: GitRepository, name: fleet, namespace: flux-system }
  postBuild: { substituteFrom: [{ kind: ConfigMap, name: ${name} }] }
`;
    const config = load({
      'flux.yaml': substitutesFrom('apps', 'vars'),
      'vars.yaml': `apiVersion: v1
kind: ConfigMap
metadata: { name: vars, namespace: apps }
data: { region: eu-west-1, "cluster.name": prod }
binaryData: { blob: aGVsbG8= }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: app-settings, namespace: apps }
data: { port: 80 }
`,
      'overlay.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: app-settings, namespace: apps }\n',
    });
    expect(config.get('ConfigMap', 'apps', 'vars')?.values).toEqual({
      region: 'eu-west-1',
      'cluster.name': 'prod',
    });
    expect(config.get('ConfigMap', 'apps', 'app-settings')).toBeUndefined();
    expect(
      loadIssues({
        'flux.yaml': substitutesFrom('flux-system', 'bad'),
        'bad.yaml': `apiVersion: v1
kind: ConfigMap
metadata: { name: bad }
data: { "a b": x, port: 80 }
binaryData: { blob: "not base64!" }
`,
      }).map((i) => `${i.object} ${i.path}: ${i.message}`),
    ).toEqual([
      'ConfigMap/flux-system/bad data["a b"]: keys must consist of letters, digits, "-", "_" and "."',
      'ConfigMap/flux-system/bad data.port: must be a string',
      'ConfigMap/flux-system/bad binaryData.blob: is not valid base64',
    ]);
  });

  it('collects every problem of every file into one ConfigError', () => {
    const issues = loadIssues({
      'a.yaml': `${gitRepository('fleet', '  intervall: 5m\n')}---\n[1, 2]\n`,
      'b.yaml': `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps }
spec:
  interval: 1d
  prune: true
  sourceRef: { kind: GitRepository, name: missing }
`,
      'c.yaml': 'key: [unclosed\n',
    });
    expect(issues.map((i: ConfigIssue) => `${i.file}#${i.document} ${i.path}`)).toEqual([
      'a.yaml#0 spec.intervall',
      'a.yaml#1 ',
      'b.yaml#0 spec.interval',
      'c.yaml#0 ',
    ]);
  });

  it('does not report a reference to an object whose own document failed', () => {
    const issues = loadIssues({
      'a.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: fleet }
spec: { url: ftp://nope, interval: 5m }
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps }
spec: { interval: 5m, prune: true, sourceRef: { kind: GitRepository, name: fleet } }
`,
    });
    expect(issues.map((i) => `${i.object} ${i.path}`)).toEqual(['GitRepository/flux-system/fleet spec.url']);
  });
});
