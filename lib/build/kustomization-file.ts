import { parse } from 'yaml';
import { BuildError } from './build-error.ts';
import type { FileTree } from './file-tree.ts';
import type { GeneratorEntry, GeneratorOptions } from './generators.ts';
import { isMap } from './manifest.ts';
import type { ImageEntry } from './simple-transformers.ts';

export const kustomizationFileNames = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** The fields of a kustomization.yaml that ferry builds; any other field is refused by name. */
export interface KustomizationFile {
  apiVersion?: string;
  kind?: 'Kustomization' | 'Component';
  metadata?: unknown;
  resources?: string[];
  components?: string[];
  namespace?: string;
  namePrefix?: string;
  nameSuffix?: string;
  labels?: { pairs?: Record<string, string>; includeSelectors?: boolean; includeTemplates?: boolean }[];
  commonLabels?: Record<string, string>;
  commonAnnotations?: Record<string, string>;
  images?: ImageEntry[];
  replicas?: { name: string; count: number }[];
  patches?: { path?: string; patch?: string; target?: unknown; options?: unknown }[];
  patchesStrategicMerge?: string[];
  patchesJson6902?: { path?: string; patch?: string; target?: unknown }[];
  configMapGenerator?: GeneratorEntry[];
  secretGenerator?: GeneratorEntry[];
  generatorOptions?: GeneratorOptions;
}

const supported = new Set([
  'apiVersion',
  'kind',
  'metadata',
  'resources',
  'components',
  'namespace',
  'namePrefix',
  'nameSuffix',
  'labels',
  'commonLabels',
  'commonAnnotations',
  'images',
  'replicas',
  'patches',
  'patchesStrategicMerge',
  'patchesJson6902',
  'configMapGenerator',
  'secretGenerator',
  'generatorOptions',
]);

const lists = [
  'resources',
  'components',
  'labels',
  'images',
  'replicas',
  'patches',
  'patchesStrategicMerge',
  'patchesJson6902',
  'configMapGenerator',
  'secretGenerator',
];

/** The fields each list item may have; anything else would be silently different from kustomize. */
const entryFields: Record<string, string[]> = {
  labels: ['pairs', 'includeSelectors', 'includeTemplates'],
  images: ['name', 'newName', 'newTag', 'digest'],
  replicas: ['name', 'count'],
  patches: ['path', 'patch', 'target'],
  patchesJson6902: ['path', 'patch', 'target'],
  configMapGenerator: ['name', 'namespace', 'behavior', 'literals', 'files', 'envs', 'env', 'options'],
  secretGenerator: ['name', 'namespace', 'behavior', 'literals', 'files', 'envs', 'env', 'type', 'options'],
};
const optionFields = ['labels', 'annotations', 'disableNameSuffixHash', 'immutable'];

function checkFields(file: string, field: string, value: unknown, allowed: string[]): void {
  if (!isMap(value)) throw new BuildError(`${file}: "${field}" must be a mapping`, { data: { file, field } });
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new BuildError(`${file}: field "${field}.${key}" is not supported`, {
        data: { file, field: `${field}.${key}` },
      });
    }
  }
}

function checkEntries(file: string, value: Record<string, unknown>): void {
  for (const [field, allowed] of Object.entries(entryFields)) {
    const list = value[field];
    if (!Array.isArray(list)) continue;
    list.forEach((entry, i) => {
      checkFields(file, `${field}[${i}]`, entry, allowed);
      if (isMap(entry) && entry.options !== undefined)
        checkFields(file, `${field}[${i}].options`, entry.options, optionFields);
    });
  }
  if (value.generatorOptions !== undefined)
    checkFields(file, 'generatorOptions', value.generatorOptions, optionFields);
}

/** The kustomization file in a directory, or undefined; two of them is an error, as in kustomize. */
export function findKustomization(tree: FileTree, dir: string): string | undefined {
  const listing = tree.list(dir);
  if (!listing) return undefined;
  const found = kustomizationFileNames.filter((name) => listing.files.includes(name));
  if (found.length > 1) {
    throw new BuildError(`${dir || '.'}: more than one kustomization file (${found.join(', ')})`, {
      data: { dir },
    });
  }
  return found[0] === undefined ? undefined : dir ? `${dir}/${found[0]}` : found[0];
}

/** Reads and checks a kustomization file: unknown fields and wrong shapes are refused. */
export function loadKustomization(tree: FileTree, file: string): KustomizationFile {
  const text = new TextDecoder().decode(tree.read(file));
  let value: unknown;
  try {
    value = parse(text, { version: '1.2' }) ?? {};
  } catch (error) {
    throw new BuildError(`${file}: invalid YAML`, { cause: error, data: { file } });
  }
  if (!isMap(value)) throw new BuildError(`${file}: not a mapping`, { data: { file } });
  for (const field of Object.keys(value)) {
    if (!supported.has(field)) {
      throw new BuildError(`${file}: field "${field}" is not supported`, { data: { file, field } });
    }
  }
  for (const field of lists) {
    if (value[field] !== undefined && value[field] !== null && !Array.isArray(value[field])) {
      throw new BuildError(`${file}: field "${field}" must be a list`, { data: { file, field } });
    }
  }
  checkEntries(file, value);
  if (value.kind !== undefined && value.kind !== 'Kustomization' && value.kind !== 'Component') {
    throw new BuildError(`${file}: kind "${String(value.kind)}" is not Kustomization or Component`, {
      data: { file, field: 'kind' },
    });
  }
  return value as KustomizationFile;
}
