/**
 * `ferry reconcile <kind> <name>`: enqueue the object's job now, from any process sharing the state
 * directory. The salt makes the request its own, so it is not deduplicated against a recent run.
 */
import { randomUUID } from 'node:crypto';
import type { ConfigSet, FluxObject } from '../config/index.ts';
import type { JobEnqueuer } from '../jobs/enqueuer.ts';
import type { Job } from '../jobs/job.ts';
import { jobForObject } from '../jobs/targets.ts';
import { jobGroupResolver } from '../jobs/update-group.ts';
import { readObjects } from '../runtime/object-records.ts';
import type { StateStore } from '../state/state-store.ts';
import { resolveKind } from './kinds.ts';

export class ReconcileTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReconcileTargetError';
  }
}

export async function requestReconcile(
  store: StateStore,
  enqueuer: JobEnqueuer,
  target: { kind: string; name: string; namespace: string },
): Promise<Job> {
  const kind = resolveKind(target.kind);
  const objects = (await readObjects(store)) as FluxObject[];
  const find = (k: string, namespace: string, name: string) =>
    objects.find((o) => o.kind === k && o.metadata.name === name && o.metadata.namespace === namespace);
  const object = find(kind, target.namespace, target.name);
  if (!object) {
    throw new ReconcileTargetError(
      `${kind} ${target.namespace}/${target.name} is not in the config ferry serves`,
    );
  }
  const lookup = { get: find } as Pick<ConfigSet, 'get'>;
  const job = jobForObject(object, lookup);
  if (!job) throw new ReconcileTargetError(`${kind} has no reconcile job of its own`);
  const group = jobGroupResolver(() => lookup)(job);
  await enqueuer.enqueue(job, { salt: `reconcile:${randomUUID()}`, ...(group ? { group } : {}) });
  return job;
}
