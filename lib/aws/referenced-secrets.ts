/**
 * The Secrets a config's objects name, read from its YAML before the config is loaded, so that the
 * ones not in the repository can be fetched from the parameter store first. Flux names a Secret in
 * a field called `secretRef` or ending in `SecretRef` (`certSecretRef`, `proxySecretRef`, a
 * Kustomization's `kubeConfig.secretRef`), always in the referrer's namespace, plus a Kustomization's
 * `postBuild.substituteFrom` entries of kind Secret; walking every field for those covers every
 * kind, present and future, without a second list of where references live. Pure.
 */
import { parseAllDocuments } from 'yaml';
import type { ConfigFile } from '../config/index.ts';
import { DEFAULT_NAMESPACE } from '../config/index.ts';

export interface SecretRef {
  namespace: string;
  name: string;
  /** A `substituteFrom` entry marked optional: its absence is no error. */
  optional: boolean;
}

/** Every Secret the documents reference, and every Secret they define, by `namespace/name`. */
export function referencedSecrets(files: readonly ConfigFile[]): {
  referenced: Map<string, SecretRef>;
  defined: Set<string>;
} {
  const referenced = new Map<string, SecretRef>();
  const defined = new Set<string>();
  for (const file of files) {
    for (const document of parseAllDocuments(file.content)) {
      if (!('toJS' in document) || document.errors.length > 0) continue;
      const value: unknown = document.toJS();
      if (!isRecord(value) || typeof value.kind !== 'string') continue;
      const metadata = isRecord(value.metadata) ? value.metadata : {};
      const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : DEFAULT_NAMESPACE;
      if (value.kind === 'Secret') {
        if (typeof metadata.name === 'string') defined.add(`${namespace}/${metadata.name}`);
        continue;
      }
      if (!String(value.apiVersion ?? '').includes('toolkit.fluxcd.io/')) continue;
      const add = (name: unknown, optional: boolean) => {
        if (typeof name !== 'string' || name === '') return;
        const key = `${namespace}/${name}`;
        const before = referenced.get(key);
        referenced.set(key, { namespace, name, optional: optional && (before?.optional ?? true) });
      };
      walk(value.spec, (key, field) => {
        if (/^(?:secretRef|\w+SecretRef)$/.test(key) && isRecord(field)) add(field.name, false);
        if (key === 'substituteFrom' && Array.isArray(field)) {
          for (const from of field)
            if (isRecord(from) && from.kind === 'Secret') add(from.name, from.optional === true);
        }
      });
    }
  }
  return { referenced, defined };
}

function walk(value: unknown, visit: (key: string, field: unknown) => void): void {
  if (Array.isArray(value)) for (const item of value) walk(item, visit);
  else if (isRecord(value))
    for (const [key, field] of Object.entries(value)) {
      visit(key, field);
      walk(field, visit);
    }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
