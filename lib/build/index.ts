export { BuildError } from './build-error.ts';
export type { FileTree } from './file-tree.ts';
export { treeFromMap } from './file-tree.ts';
export { build } from './kustomize-build.ts';
export type { KObject } from './manifest.ts';
export { toYaml } from './to-yaml.ts';
