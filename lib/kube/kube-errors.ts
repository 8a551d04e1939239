import { TerminalError, TransientError } from '../errors.ts';
import type { ObjectRef } from './object-ref.ts';
import { describeRef } from './object-ref.ts';

/** The parts of a Kubernetes `Status` body ferry reads. */
export interface ApiStatus {
  code?: number;
  reason?: string;
  message?: string;
  details?: { causes?: { type?: string; reason?: string; message?: string; field?: string }[] };
}

/** The API refused the object for good: invalid (422), unknown kind (404), forbidden (403), bad request (400). */
export class KubeApiError extends TerminalError {}

/** Another field manager owns fields ferry applies, and force was not asked for. */
export class ApplyConflictError extends TerminalError {}

/** The API could not answer now: a 5xx, 429, a timeout or the network. */
export class KubeUnavailableError extends TransientError {}

/** A CRD applied in the first stage did not become Established in time. */
export class CrdNotEstablishedError extends TransientError {}

/** The HTTP status and Status body of an error thrown by client-node, if it carries one. */
export function apiStatusOf(error: unknown): { code: number; status: ApiStatus } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, body } = error as { code?: unknown; body?: unknown };
  if (typeof code !== 'number') return undefined;
  let status: ApiStatus = {};
  if (typeof body === 'string') {
    try {
      status = JSON.parse(body) as ApiStatus;
    } catch {
      status = { message: body };
    }
  } else if (typeof body === 'object' && body !== null) {
    status = body as ApiStatus;
  }
  return { code, status };
}

export function isNotFound(error: unknown): boolean {
  return apiStatusOf(error)?.code === 404;
}

/** A 422 whose message or causes say a field is immutable: the case force recreates. */
export function isImmutableFieldError(error: unknown): boolean {
  const found = apiStatusOf(error);
  if (found?.code !== 422) return false;
  const texts = [
    found.status.message ?? '',
    ...(found.status.details?.causes ?? []).map((c) => c.message ?? ''),
  ];
  return texts.some((text) => /field is immutable|immutable field/i.test(text));
}

/** The managers a 409 apply conflict names, from its causes (`conflict with "kubectl"`). */
export function conflictManagers(status: ApiStatus): string[] {
  const managers = new Set<string>();
  for (const text of [status.message ?? '', ...(status.details?.causes ?? []).map((c) => c.message ?? '')]) {
    for (const match of text.matchAll(/conflicts? with "([^"]+)"/g)) if (match[1]) managers.add(match[1]);
  }
  return [...managers];
}

/**
 * The ferry error for a failed call on one object: it names the object and carries the API's
 * message; the class says whether a retry can help.
 */
export function kubeErrorFor(
  error: unknown,
  ref: ObjectRef,
  verb: string,
): KubeApiError | ApplyConflictError | KubeUnavailableError {
  const data = { object: describeRef(ref), apiVersion: ref.apiVersion, verb };
  const found = apiStatusOf(error);
  if (!found && error instanceof Error && error.message.startsWith('Unrecognized API version and kind')) {
    return new KubeApiError(`${verb} ${describeRef(ref)}: no such kind on the server (${error.message})`, {
      cause: error,
      data,
    });
  }
  if (!found) {
    const reason = error instanceof Error ? error.message : String(error);
    return new KubeUnavailableError(`${verb} ${describeRef(ref)}: ${reason}`, { cause: error, data });
  }
  const message = found.status.message ?? `HTTP ${found.code}`;
  const text = `${verb} ${describeRef(ref)}: ${message}`;
  const withStatus = { ...data, code: found.code, reason: found.status.reason };
  if (found.code === 409 && verb === 'apply') {
    const managers = conflictManagers(found.status);
    return new ApplyConflictError(text, { cause: error, data: { ...withStatus, managers } });
  }
  if (found.code === 429 || found.code >= 500 || found.code === 409) {
    return new KubeUnavailableError(text, { cause: error, data: withStatus });
  }
  return new KubeApiError(text, { cause: error, data: withStatus });
}
