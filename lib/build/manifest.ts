import { parseAllDocuments } from 'yaml';
import { BuildError } from './build-error.ts';

/** A Kubernetes object as plain JSON data. */
export type KObject = Record<string, unknown>;

export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The objects in a YAML stream, read with the YAML 1.2 core schema as kustomize reads them.
 * Empty documents are dropped and `kind: List` is flattened into its items.
 */
export function parseManifests(text: string, file: string): KObject[] {
  const out: KObject[] = [];
  for (const doc of parseAllDocuments(text, { version: '1.2', merge: true })) {
    if (doc.errors.length > 0) {
      throw new BuildError(`${file}: invalid YAML: ${doc.errors[0]?.message}`, { data: { file } });
    }
    const value: unknown = doc.toJS({ maxAliasCount: 1000 });
    if (value === null || value === undefined) continue;
    if (!isMap(value)) throw new BuildError(`${file}: a document is not a mapping`, { data: { file } });
    if (value.kind === 'List' && Array.isArray(value.items)) {
      for (const item of value.items) if (isMap(item)) out.push(checked(item, file));
    } else out.push(checked(value, file));
  }
  return out;
}

function checked(obj: KObject, file: string): KObject {
  if (typeof obj.kind !== 'string' || obj.kind === '') {
    throw new BuildError(`${file}: an object has no kind`, { data: { file } });
  }
  if (typeof metadataOf(obj).name !== 'string') {
    throw new BuildError(`${file}: a ${obj.kind} has no metadata.name`, { data: { file, kind: obj.kind } });
  }
  return obj;
}

export function metadataOf(obj: KObject): Record<string, unknown> {
  if (!isMap(obj.metadata)) obj.metadata = {};
  return obj.metadata as Record<string, unknown>;
}

export function kindOf(obj: KObject): string {
  return String(obj.kind ?? '');
}

export function nameOf(obj: KObject): string {
  return String(metadataOf(obj).name ?? '');
}

export function namespaceOf(obj: KObject): string {
  const ns = metadataOf(obj).namespace;
  return typeof ns === 'string' ? ns : '';
}

/** `apps/v1` → { group: 'apps', version: 'v1' }; `v1` → { group: '', version: 'v1' }. */
export function groupVersionOf(obj: KObject): { group: string; version: string } {
  const apiVersion = String(obj.apiVersion ?? '');
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Kinds without a namespace, as kustomize knows them from the built-in schema. */
const clusterScoped = new Set([
  'APIService',
  'CertificateSigningRequest',
  'ClusterRole',
  'ClusterRoleBinding',
  'ComponentStatus',
  'CSIDriver',
  'CSINode',
  'CustomResourceDefinition',
  'FlowSchema',
  'IngressClass',
  'MutatingWebhookConfiguration',
  'Namespace',
  'Node',
  'PersistentVolume',
  'PodSecurityPolicy',
  'PriorityClass',
  'PriorityLevelConfiguration',
  'RuntimeClass',
  'SelfSubjectAccessReview',
  'SelfSubjectRulesReview',
  'StorageClass',
  'SubjectAccessReview',
  'TokenReview',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeAttachment',
]);

export function isClusterScoped(obj: KObject): boolean {
  return clusterScoped.has(kindOf(obj));
}

/** Deep copy of JSON data. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}
