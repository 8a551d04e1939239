import type { KObject } from './manifest.ts';
import { groupVersionOf, isClusterScoped, kindOf, nameOf, namespaceOf } from './manifest.ts';

/**
 * An object during a build, with what kustomize remembers about it: every name and namespace it
 * had (references written against an earlier name are fixed up at the end), whether a generator
 * asked for a content hash suffix, and how a generator merges into an existing object.
 */
export interface Resource {
  obj: KObject;
  /** Earlier names and namespaces, oldest first; the current ones are on the object. */
  history: { name: string; namespace: string }[];
  hashSuffix: boolean;
  behavior?: 'create' | 'merge' | 'replace';
}

export function newResource(obj: KObject): Resource {
  return { obj, history: [], hashSuffix: false };
}

/** Records the current name and namespace before a transformer changes them. */
export function remember(res: Resource): void {
  const last = res.history[res.history.length - 1];
  const name = nameOf(res.obj);
  const namespace = namespaceOf(res.obj);
  if (!last || last.name !== name || last.namespace !== namespace) res.history.push({ name, namespace });
}

export function namesOf(res: Resource): Set<string> {
  return new Set([...res.history.map((h) => h.name), nameOf(res.obj)]);
}

export function namespacesOf(res: Resource): Set<string> {
  return new Set([...res.history.map((h) => h.namespace), namespaceOf(res.obj)]);
}

/** The identity kustomize refuses to hold twice: group, kind, namespace and name. */
export function idOf(obj: KObject): string {
  const { group } = groupVersionOf(obj);
  const ns = isClusterScoped(obj) ? '' : namespaceOf(obj);
  return `${group}|${kindOf(obj)}|${ns}|${nameOf(obj)}`;
}

export function describe(obj: KObject): string {
  const ns = namespaceOf(obj);
  return `${kindOf(obj)}/${ns ? `${ns}/` : ''}${nameOf(obj)}`;
}
