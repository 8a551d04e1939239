/**
 * Loads a config directory into a ConfigSet, all or nothing: every file is read and every problem
 * collected before anything is returned, so bad config never half-loads and one error report covers
 * every problem. The pure core, loadConfigFiles, does all the parsing and checking; loadConfigDir only
 * finds and reads the files.
 *
 * ConfigMaps are the exception to "every document": a fleet repository holds many that belong to its
 * apps, often one name in each overlay, so only those a Kustomization's `postBuild.substituteFrom`
 * names are taken into the config, and only their problems reported.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { ConfigError, type ConfigIssue } from './config-error.ts';
import { ConfigSet } from './config-set.ts';
import { type FluxObject, type Kustomization, objectKey } from './flux-object.ts';
import type { DocumentOutcome } from './read-document.ts';
import { readDocument } from './read-document.ts';
import { checkReferences } from './references.ts';
import { parseYamlDocuments } from './yaml-documents.ts';

export interface ConfigFile {
  /** Path relative to the config directory; issues name it as given. */
  path: string;
  content: string;
}

/** Validates the files as one config; throws ConfigError listing every issue. No I/O. */
export function loadConfigFiles(files: readonly ConfigFile[]): ConfigSet {
  const issues: ConfigIssue[] = [];
  const objects = new Map<string, FluxObject>();
  const failedKeys = new Set<string>();
  const configMaps: DocumentOutcome[] = [];
  const add = (object: FluxObject) => {
    const key = objectKey(object);
    const first = objects.get(key);
    if (first === undefined) {
      objects.set(key, object);
      return;
    }
    issues.push({
      file: object.source.file,
      document: object.source.document,
      object: key,
      path: 'metadata.name',
      message: `${key} is also defined in ${first.source.file}#${first.source.document}`,
    });
  };

  for (const file of files) {
    const { documents, errors } = parseYamlDocuments(file.content);
    for (const error of errors)
      issues.push({ file: file.path, document: error.index, path: '', message: error.message });

    for (const document of documents) {
      const outcome = readDocument(document.value, { file: file.path, document: document.index });
      if (outcome.status === 'ignored') continue;
      if (isConfigMap(outcome)) {
        configMaps.push(outcome);
      } else if (outcome.status === 'invalid') {
        issues.push(...outcome.issues);
        if (outcome.key !== undefined) failedKeys.add(outcome.key);
      } else {
        add(outcome.object);
      }
    }
  }

  const wanted = substitutionConfigMaps([...objects.values()]);
  for (const outcome of configMaps) {
    if (outcome.status === 'read' && wanted.has(objectKey(outcome.object))) add(outcome.object);
    if (outcome.status === 'invalid' && outcome.key !== undefined && wanted.has(outcome.key)) {
      issues.push(...outcome.issues);
      failedKeys.add(outcome.key);
    }
  }

  issues.push(...checkReferences([...objects.values()], failedKeys));
  if (issues.length > 0) throw new ConfigError(issues);
  return new ConfigSet(objects.values());
}

function isConfigMap(outcome: DocumentOutcome): boolean {
  if (outcome.status === 'read') return outcome.object.kind === 'ConfigMap';
  return outcome.status === 'invalid' && outcome.key?.startsWith('ConfigMap/') === true;
}

/** The keys of the ConfigMaps that Kustomizations substitute from. */
function substitutionConfigMaps(objects: readonly FluxObject[]): Set<string> {
  const keys = new Set<string>();
  for (const o of objects) {
    if (o.kind !== 'Kustomization') continue;
    for (const from of (o as Kustomization).spec.postBuild?.substituteFrom ?? []) {
      if (from.kind === 'ConfigMap') keys.add(`ConfigMap/${o.metadata.namespace}/${from.name}`);
    }
  }
  return keys;
}

/**
 * Loads every `*.yaml` and `*.yml` file under `dir`, recursively, in sorted path order so that the
 * result and its issues are the same on every machine. Dot-directories (`.git`, `.github`) are skipped.
 */
export async function loadConfigDir(dir: string): Promise<ConfigSet> {
  const paths = await findYamlFiles(dir);
  const files = await Promise.all(
    paths.map(async (path) => ({
      path: relative(dir, path).split(sep).join('/'),
      content: await readFile(path, 'utf8'),
    })),
  );
  return loadConfigFiles(files);
}

async function findYamlFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (current: string): Promise<void> => {
    const entries = await readdir(current, { withFileTypes: true });
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.')) await walk(path);
      } else if (entry.isFile() && /\.ya?ml$/.test(entry.name)) {
        found.push(path);
      }
    }
  };
  await walk(dir);
  const relativePaths = found.map((path) => ({ path, key: relative(dir, path).split(sep).join('/') }));
  return relativePaths
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((entry) => entry.path);
}
