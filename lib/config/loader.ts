/**
 * Loads a config directory into a ConfigSet, all or nothing: every file is read and every problem
 * collected before anything is returned, so bad config never half-loads and one error report covers
 * every problem. The pure core, loadConfigFiles, does all the parsing and checking; loadConfigDir only
 * finds and reads the files.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { ConfigError, type ConfigIssue } from './config-error.ts';
import { ConfigSet } from './config-set.ts';
import { type FluxObject, objectKey } from './flux-object.ts';
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

  for (const file of files) {
    const { documents, errors } = parseYamlDocuments(file.content);
    for (const error of errors)
      issues.push({ file: file.path, document: error.index, path: '', message: error.message });

    for (const document of documents) {
      const outcome = readDocument(document.value, { file: file.path, document: document.index });
      if (outcome.status === 'ignored') continue;
      if (outcome.status === 'invalid') {
        issues.push(...outcome.issues);
        if (outcome.key !== undefined) failedKeys.add(outcome.key);
        continue;
      }
      const key = objectKey(outcome.object);
      const first = objects.get(key);
      if (first !== undefined) {
        issues.push({
          file: file.path,
          document: document.index,
          object: key,
          path: 'metadata.name',
          message: `${key} is also defined in ${first.source.file}#${first.source.document}`,
        });
        continue;
      }
      objects.set(key, outcome.object);
    }
  }

  issues.push(...checkReferences([...objects.values()], failedKeys));
  if (issues.length > 0) throw new ConfigError(issues);
  return new ConfigSet(objects.values());
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
