import { TerminalError } from '../../errors.ts';

/** A Kubernetes `Status` object, the body every failed API call answers with. */
export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: Record<string, unknown>;
  code: number;
}

/**
 * A request the simulator refuses, carrying the HTTP code and the `Status` body the real API
 * would send, so clients parse it exactly as they would a cluster's answer.
 */
export class KubeStatusError extends TerminalError {
  readonly status: KubeStatus;

  constructor(code: number, reason: string, message: string, details?: Record<string, unknown>) {
    super(message, { data: { code, reason, ...(details ? { details } : {}) } });
    this.status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(details ? { details } : {}),
      code,
    };
  }
}

/** `configmaps` or `deployments.apps`, as the real API names a resource in messages. */
export function qualifiedResource(group: string, resource: string): string {
  return group === '' ? resource : `${resource}.${group}`;
}

function resourceDetails(group: string, resource: string, name: string): Record<string, unknown> {
  return { name, ...(group === '' ? {} : { group }), kind: resource };
}

/** 404: `configmaps "x" not found`. */
export function notFound(group: string, resource: string, name: string): KubeStatusError {
  return new KubeStatusError(
    404,
    'NotFound',
    `${qualifiedResource(group, resource)} "${name}" not found`,
    resourceDetails(group, resource, name),
  );
}

/** 409: a create of a name that is taken. */
export function alreadyExists(group: string, resource: string, name: string): KubeStatusError {
  return new KubeStatusError(
    409,
    'AlreadyExists',
    `${qualifiedResource(group, resource)} "${name}" already exists`,
    resourceDetails(group, resource, name),
  );
}

/** 409: an update from an outdated resourceVersion. */
export function staleResourceVersion(group: string, resource: string, name: string): KubeStatusError {
  return new KubeStatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(group, resource)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    resourceDetails(group, resource, name),
  );
}

export interface InvalidCause {
  field: string;
  reason: 'FieldValueRequired' | 'FieldValueInvalid';
  message: string;
}

/** 422: `Kind "name" is invalid: field: message`, with one cause per field. */
export function invalid(group: string, kind: string, name: string, causes: InvalidCause[]): KubeStatusError {
  const summary = causes.map((c) => `${c.field}: ${c.message}`).join(', ');
  const what = group === '' ? kind : `${kind}.${group}`;
  return new KubeStatusError(422, 'Invalid', `${what} "${name}" is invalid: ${summary}`, {
    name,
    ...(group === '' ? {} : { group }),
    kind,
    causes,
  });
}

/** 400: a body or selector the server cannot read. */
export function badRequest(message: string): KubeStatusError {
  return new KubeStatusError(400, 'BadRequest', message);
}

/** 405: a verb the resource does not take at that URL. */
export function methodNotAllowed(): KubeStatusError {
  return new KubeStatusError(
    405,
    'MethodNotAllowed',
    'the server does not allow this method on the requested resource',
  );
}

/** 415: a patch in a content type the resource does not take. */
export function unsupportedMediaType(accepted: string[]): KubeStatusError {
  return new KubeStatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  );
}

/** 404 for a URL that names no served resource. */
export function pathNotFound(): KubeStatusError {
  return new KubeStatusError(404, 'NotFound', 'the server could not find the requested resource', {});
}

export interface FieldConflict {
  /** The manager as the real API prints it, quoted: `"ferry"`, `"kubectl-edit" using apps/v1`. */
  manager: string;
  /** The field as the real API prints it: `.data.key`, `.spec.template.spec.containers[name="app"].image`. */
  field: string;
}

/** The 409 a server-side apply gets when another manager owns a field with a different value. */
export function applyConflict(conflicts: FieldConflict[]): KubeStatusError {
  const causes = conflicts.map((c) => ({
    type: 'FieldManagerConflict',
    message: `conflict with ${c.manager}`,
    field: c.field,
  }));
  return new KubeStatusError(409, 'Conflict', conflictMessage(conflicts), { causes });
}

function conflictMessage(conflicts: FieldConflict[]): string {
  const [only] = conflicts;
  if (conflicts.length === 1 && only) {
    return `Apply failed with 1 conflict: conflict with ${only.manager}: ${only.field}`;
  }
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.field]);
  const lines = [...byManager.keys()]
    .sort()
    .flatMap((m) => [`conflicts with ${m}:`, ...(byManager.get(m) ?? []).map((f) => `- ${f}`)]);
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

/** The 403 for creating an object in a namespace that is being deleted. */
export function namespaceTerminating(
  resource: { group: string; resource: string },
  name: string,
  namespace: string,
): KubeStatusError {
  const message = `unable to create new content in namespace ${namespace} because it is being terminated`;
  return new KubeStatusError(
    403,
    'Forbidden',
    `${qualifiedResource(resource.group, resource.resource)} "${name}" is forbidden: ${message}`,
    {
      ...resourceDetails(resource.group, resource.resource, name),
      causes: [{ reason: 'NamespaceTerminating', message, field: 'metadata.namespace' }],
    },
  );
}

/** 422: a server-side apply without `?fieldManager=`. */
export function fieldManagerRequired(): KubeStatusError {
  const cause = {
    reason: 'FieldValueRequired',
    message: 'Required value: is required for apply patch',
    field: 'fieldManager',
  };
  return new KubeStatusError(
    422,
    'Invalid',
    `PatchOptions.meta.k8s.io "" is invalid: fieldManager: ${cause.message}`,
    {
      group: 'meta.k8s.io',
      kind: 'PatchOptions',
      causes: [cause],
    },
  );
}
