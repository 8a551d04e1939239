import { describe, expect, it } from 'vitest';
import type { LatestImage, ManifestFile } from '../../lib/update/index.ts';
import { findV1Workloads, isEmptyResult, updateFiles } from '../../lib/update/index.ts';

const encoder = new TextEncoder();
const file = (path: string, text: string): ManifestFile => ({ path, bytes: encoder.encode(text) });
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const text = (bytes: Uint8Array | undefined) => (bytes ? decoder.decode(bytes) : undefined);

const POLICIES = new Map<string, LatestImage>([
  ['ns:app', { image: 'ghcr.io/a/app', tag: '2.0.0' }],
  ['ns:db', { image: 'postgres', tag: '16.2' }],
]);

const deployment = (name: string, namespace: string | undefined, image: string, marker = 'ns:app') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}spec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ${image} # {"$imagepolicy": "${marker}"}\n`;

describe('updateFiles: the Result', () => {
  it('nests changes by file (sorted) and object, and lists each distinct change once', () => {
    const files = [
      file('z/second.yaml', deployment('web', 'apps', 'ghcr.io/a/app:1.0.0')),
      file(
        'a/first.yaml',
        `${deployment('web', 'apps', 'ghcr.io/a/app:1.0.0')}---\n${deployment('db', undefined, 'postgres:15', 'ns:db')}`,
      ),
    ];
    const { changed, result } = updateFiles(files, { policies: POLICIES });

    expect([...changed.keys()]).toEqual(['z/second.yaml', 'a/first.yaml']);
    expect([...result.fileChanges.keys()]).toEqual(['a/first.yaml', 'z/second.yaml']);
    const first = result.fileChanges.get('a/first.yaml');
    expect([...(first?.keys() ?? [])]).toEqual([
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'apps' },
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'db' },
    ]);
    const appChange = { oldValue: 'ghcr.io/a/app:1.0.0', newValue: 'ghcr.io/a/app:2.0.0', setter: 'ns:app' };
    const dbChange = { oldValue: 'postgres:15', newValue: 'postgres:16.2', setter: 'ns:db' };
    expect(result.changes).toEqual([appChange, dbChange]);
    expect([...result.objects]).toEqual([
      [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'apps' }, [appChange, appChange]],
      [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'db' }, [dbChange]],
    ]);
    expect(isEmptyResult(result)).toBe(false);
  });

  it('uses one object id for one object, wherever it is found', () => {
    const { result } = updateFiles(
      [file('a.yaml', deployment('web', 'apps', 'x:1')), file('b.yaml', deployment('web', 'apps', 'y:1'))],
      { policies: POLICIES },
    );
    const [inA] = result.fileChanges.get('a.yaml')?.keys() ?? [];
    const [inB] = result.fileChanges.get('b.yaml')?.keys() ?? [];
    expect(inA).toBe(inB);
    expect(result.objects.size).toBe(1);
  });

  it('identifies documents that are not Kubernetes objects with empty fields', () => {
    const { result } = updateFiles([file('values.yaml', 'image: x:1 # {"$imagepolicy": "ns:app"}\n')], {
      policies: POLICIES,
    });
    expect([...result.objects.keys()]).toEqual([{ apiVersion: '', kind: '', name: '' }]);
  });

  it.each([
    { label: 'nothing marked', files: [file('a.yaml', 'a: b\n')] },
    { label: 'already current', files: [file('a.yaml', deployment('web', 'apps', 'ghcr.io/a/app:2.0.0'))] },
    { label: 'only unknown policies', files: [file('a.yaml', deployment('web', 'apps', 'x:1', 'ns:other'))] },
    { label: 'not a manifest path', files: [file('a.yaml.orig', deployment('web', 'apps', 'x:1'))] },
    { label: 'no files', files: [] },
  ])('is empty when $label, and returns no file', ({ files }) => {
    const { changed, result } = updateFiles(files, { policies: POLICIES });
    expect(changed.size).toBe(0);
    expect(isEmptyResult(result)).toBe(true);
    expect(result.fileChanges.size).toBe(0);
    expect(result.objects.size).toBe(0);
  });

  it('reads .yml as well as .yaml', () => {
    const { changed } = updateFiles([file('a.yml', deployment('web', 'apps', 'x:1'))], {
      policies: POLICIES,
    });
    expect([...changed.keys()]).toEqual(['a.yml']);
  });

  it('reports files that are not UTF-8 instead of guessing at them', () => {
    const bytes = Uint8Array.from([...encoder.encode('image: x:1 # {"$imagepolicy": "ns:app"}\n'), 0xff]);
    const { changed, result } = updateFiles([{ path: 'bad.yaml', bytes }], { policies: POLICIES });
    expect(changed.size).toBe(0);
    expect(result.problems).toEqual([{ file: 'bad.yaml', reason: 'not-utf8' }]);
  });

  it('keeps a byte order mark and applies setters in a file too broken for the v1 parse', () => {
    const source = `\ufeffmetadata:\n  annotations: {fluxcd.io/automated: "true"}\nimage: x:1 # {"$imagepolicy": "ns:app"}\nbad: [\n`;
    const { changed, result } = updateFiles([file('a.yaml', source)], { policies: POLICIES, v1: new Map() });
    expect(text(changed.get('a.yaml'))).toBe(source.replace('x:1', 'ghcr.io/a/app:2.0.0'));
    expect([...(changed.get('a.yaml') ?? []).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(result.problems).toEqual([{ file: 'a.yaml', reason: 'unparsable' }]);
  });

  it('reads v1 workloads only when v1 references are given', () => {
    const source =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    fluxcd.io/automated: "true"\n    fluxcd.io/locked: "true"\nspec:\n  containers:\n    - {name: c, image: a:1}\n';
    const files = [file('p.yaml', source)];
    expect(updateFiles(files, { policies: POLICIES }).result.locked).toEqual([]);
    const [target] = findV1Workloads(files);
    const { changed, result } = updateFiles(files, {
      policies: POLICIES,
      v1: new Map([[target?.key ?? '', 'a:2']]),
    });
    expect(changed.size).toBe(0);
    expect(result.locked).toEqual([
      {
        file: 'p.yaml',
        object: { apiVersion: 'v1', kind: 'Pod', name: 'p' },
        container: 'c',
        requested: 'a:2',
      },
    ]);
    expect(isEmptyResult(result)).toBe(true);
  });

  it('writes a v1 reference in the quoting the manifest used, and only where asked', () => {
    const source =
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    fluxcd.io/automated: 'true'\nspec:\n  containers:\n    - {name: a, image: 'a:1'}\n    - {name: b, image: b:1}\n";
    const files = [file('p.yaml', source)];
    const keys = findV1Workloads(files).map((t) => t.key);
    const { changed, result } = updateFiles(files, {
      policies: POLICIES,
      v1: new Map([[keys[0] ?? '', 'a:2']]),
    });
    expect(text(changed.get('p.yaml'))).toBe(source.replace("'a:1'", "'a:2'"));
    expect(result.changes).toEqual([{ oldValue: 'a:1', newValue: 'a:2', setter: 'fluxcd.io/tag.a' }]);
  });
});
