import { isClusterScoped, isMap, kindOf, metadataOf, nameOf } from './manifest.ts';
import type { Resource } from './resource.ts';
import { namesOf, remember } from './resource.ts';

const bindings = new Set(['RoleBinding', 'ClusterRoleBinding']);

/** `namespace`: every namespaced object moves; Namespace objects take the name; default ServiceAccount subjects follow. */
export function setNamespace(resources: Resource[], namespace: string): void {
  for (const res of resources) {
    const { obj } = res;
    remember(res);
    if (kindOf(obj) === 'Namespace') metadataOf(obj).name = namespace;
    else if (!isClusterScoped(obj)) metadataOf(obj).namespace = namespace;
    if (bindings.has(kindOf(obj)) && Array.isArray(obj.subjects)) {
      for (const subject of obj.subjects) {
        if (isMap(subject) && subject.kind === 'ServiceAccount' && subject.name === 'default') {
          subject.namespace = namespace;
        }
      }
    }
  }
}

const keepsName = new Set(['CustomResourceDefinition', 'Namespace']);

/** `namePrefix`/`nameSuffix`; references to the old names are fixed at the end of the build. */
export function addNameAffixes(resources: Resource[], prefix: string, suffix: string): void {
  if (!prefix && !suffix) return;
  for (const res of resources) {
    if (keepsName.has(kindOf(res.obj))) continue;
    remember(res);
    metadataOf(res.obj).name = `${prefix}${nameOf(res.obj)}${suffix}`;
  }
}

export interface ImageEntry {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

/** Splits `host/repo:tag@digest` into its name, tag and digest. */
export function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const rest = at >= 0 ? image.slice(0, at) : image;
  const colon = rest.lastIndexOf(':');
  const tagged = colon > rest.lastIndexOf('/');
  return {
    name: tagged ? rest.slice(0, colon) : rest,
    ...(tagged ? { tag: rest.slice(colon + 1) } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

function rewriteImage(image: string, entry: ImageEntry): string {
  const parts = splitImage(image);
  const name = entry.newName ?? parts.name;
  if (entry.digest) return `${name}@${entry.digest}`;
  if (entry.newTag) return `${name}:${entry.newTag}`;
  return `${name}${parts.tag !== undefined ? `:${parts.tag}` : ''}${parts.digest !== undefined ? `@${parts.digest}` : ''}`;
}

/** `images`: every container image whose name matches, at any depth of the object. */
export function setImages(resources: Resource[], entries: ImageEntry[]): void {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) for (const item of node) visit(item);
    if (!isMap(node)) return;
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'containers' || key === 'initContainers') && Array.isArray(value)) {
        for (const container of value) {
          if (!isMap(container) || typeof container.image !== 'string') continue;
          const entry = entries.find((e) => splitImage(container.image as string).name === e.name);
          if (entry) container.image = rewriteImage(container.image, entry);
        }
      }
      visit(value);
    }
  };
  for (const { obj } of resources) visit(obj);
}

const scalable = new Set(['Deployment', 'ReplicaSet', 'ReplicationController', 'StatefulSet']);

/** `replicas`: the count of every scalable object known by that name now or before. */
export function setReplicas(resources: Resource[], entries: { name: string; count: number }[]): void {
  for (const entry of entries) {
    for (const res of resources) {
      if (!scalable.has(kindOf(res.obj)) || !namesOf(res).has(entry.name)) continue;
      if (!isMap(res.obj.spec)) res.obj.spec = {};
      (res.obj.spec as Record<string, unknown>).replicas = entry.count;
    }
  }
}
