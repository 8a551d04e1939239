import { describe, expect, it } from 'vitest';
import { BuildError, build, treeFromMap } from '../../lib/build/index.ts';

const tree = (files: Record<string, string>) =>
  new Map(Object.entries(files).map(([path, text]) => [path, new TextEncoder().encode(text)]));

const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n';

describe('build errors', () => {
  const cases: {
    label: string;
    files: Record<string, string>;
    path?: string;
    message: string;
    data: Record<string, unknown>;
  }[] = [
    {
      label: 'an unsupported kustomization field names the file and the field',
      files: { 'app/kustomization.yaml': 'resources: [pod.yaml]\nvars: []\n', 'app/pod.yaml': pod },
      path: 'app',
      message: 'app/kustomization.yaml: field "vars" is not supported',
      data: { file: 'app/kustomization.yaml', field: 'vars' },
    },
    {
      label: 'an unsupported field inside a list entry is named with its index',
      files: {
        'kustomization.yaml':
          'resources: [pod.yaml]\npatches:\n- path: p.yaml\n  options:\n    allowNameChange: true\n',
        'pod.yaml': pod,
      },
      message: 'kustomization.yaml: field "patches[0].options" is not supported',
      data: { file: 'kustomization.yaml', field: 'patches[0].options' },
    },
    {
      label: 'an unsupported generator option',
      files: {
        'kustomization.yaml':
          'configMapGenerator:\n- name: c\n  options:\n    labels: {a: b}\n    tagged: true\n',
      },
      message: 'field "configMapGenerator[0].options.tagged" is not supported',
      data: { file: 'kustomization.yaml', field: 'configMapGenerator[0].options.tagged' },
    },
    {
      label: 'a missing patchesStrategicMerge file',
      files: {
        'kustomization.yaml': 'resources: [pod.yaml]\npatchesStrategicMerge:\n- gone.yaml\n',
        'pod.yaml': pod,
      },
      message: 'kustomization.yaml: patch file "gone.yaml" not found',
      data: { file: 'kustomization.yaml', path: 'gone.yaml' },
    },
    {
      label: 'a remote resource is refused',
      files: { 'kustomization.yaml': 'resources:\n- https://github.com/org/repo//deploy?ref=v1\n' },
      message: 'remote resource "https://github.com/org/repo//deploy?ref=v1" is not supported',
      data: {
        file: 'kustomization.yaml',
        field: 'resources',
        resource: 'https://github.com/org/repo//deploy?ref=v1',
      },
    },
    {
      label: 'a missing resource',
      files: { 'kustomization.yaml': 'resources: [gone.yaml]\n' },
      message: 'kustomization.yaml: resource "gone.yaml" not found',
      data: { file: 'kustomization.yaml', field: 'resources', resource: 'gone.yaml' },
    },
    {
      label: 'a resource directory without a kustomization file',
      files: { 'kustomization.yaml': 'resources: [plain]\n', 'plain/pod.yaml': pod },
      message: 'plain: no kustomization file',
      data: { dir: 'plain' },
    },
    {
      label: 'the same object twice',
      files: { 'kustomization.yaml': 'resources: [a.yaml, b.yaml]\n', 'a.yaml': pod, 'b.yaml': pod },
      message: 'kustomization.yaml: Pod/p is included twice',
      data: { file: 'kustomization.yaml', object: 'Pod/p' },
    },
    {
      label: 'a cycle of kustomizations',
      files: { 'a/kustomization.yaml': 'resources: [../b]\n', 'b/kustomization.yaml': 'resources: [../a]\n' },
      path: 'a',
      message: 'a: cycle of kustomizations',
      data: { dir: 'a', stack: ['a', 'b'] },
    },
    {
      label: 'a patch that matches nothing',
      files: {
        'kustomization.yaml':
          'resources: [pod.yaml]\npatches:\n- patch: |\n    apiVersion: v1\n    kind: Pod\n    metadata:\n      name: other\n',
        'pod.yaml': pod,
      },
      message: 'no resource matches the patch for Pod/other',
      data: { file: 'kustomization.yaml', kind: 'Pod', name: 'other' },
    },
    {
      label: 'a JSON 6902 patch without a target',
      files: {
        'kustomization.yaml':
          'resources: [pod.yaml]\npatches:\n- patch: |\n    - op: remove\n      path: /spec\n',
        'pod.yaml': pod,
      },
      message: 'kustomization.yaml: a JSON 6902 patch needs a target',
      data: { file: 'kustomization.yaml' },
    },
    {
      label: 'a generated object that already exists',
      files: {
        'kustomization.yaml': 'resources: [cm.yaml]\nconfigMapGenerator:\n- name: c\n  literals: [a=b]\n',
        'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
      },
      message: 'ConfigMap c already exists; use behavior merge or replace',
      data: { file: 'kustomization.yaml', name: 'c' },
    },
    {
      label: 'a generated path with a YAML file that is not an object',
      files: { 'apps/values.yaml': 'replicas: 3\n' },
      path: 'apps',
      message: 'apps/values.yaml: an object has no kind',
      data: { file: 'apps/values.yaml' },
    },
    {
      label: 'a path that does not exist',
      files: { 'apps/pod.yaml': pod },
      path: 'nowhere',
      message: 'path "nowhere" not found',
      data: { path: 'nowhere' },
    },
    {
      label: 'a component listed as a resource',
      files: { 'kustomization.yaml': 'resources: [comp]\n', 'comp/kustomization.yaml': 'kind: Component\n' },
      message: 'comp/kustomization.yaml: a Component is listed under resources, not components',
      data: { file: 'comp/kustomization.yaml' },
    },
  ];
  it.each(cases)('$label', ({ files, path, message, data }) => {
    let thrown: unknown;
    try {
      build(tree(files), path ?? '.');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BuildError);
    expect((thrown as BuildError).message).toContain(message);
    expect((thrown as BuildError).data).toEqual(data);
    expect((thrown as BuildError).failure).toBe('terminal');
  });
});

describe('build input', () => {
  it('accepts a FileTree as well as a map, and a path with ./ and a trailing slash', () => {
    const files = tree({ 'deploy/kustomization.yaml': 'resources: [pod.yaml]\n', 'deploy/pod.yaml': pod });
    const expected = [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }];
    expect(build(files, './deploy/')).toEqual(expected);
    expect(build(treeFromMap(files), 'deploy')).toEqual(expected);
  });
});
