import { createHash } from 'node:crypto';
import type { Json, JsonObject } from './field-paths.ts';
import { isObject } from './field-paths.ts';
import type { Change, ObjectStore } from './object-store.ts';
import { metaOf, timestamp } from './object-store.ts';
import type { ResourceType } from './resource-types.ts';

const WORKLOADS = new Set([
  'apps/deployments',
  'apps/statefulsets',
  'apps/daemonsets',
  'apps/replicasets',
  'batch/jobs',
  '/pods',
  '/persistentvolumeclaims',
]);

/** The tag of an image reference: `fail-1` in `registry:5000/app:fail-1@sha256:…`. */
export function imageTag(image: string): string {
  const name = image.split('@')[0] ?? '';
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(colon + 1) : '';
}

function podSpec(object: JsonObject): JsonObject {
  const spec = isObject(object.spec) ? object.spec : {};
  if (object.kind === 'Pod') return spec;
  const template = isObject(spec.template) ? spec.template : {};
  return isObject(template.spec) ? template.spec : {};
}

/** A workload whose pods could never start: some container's image tag starts with `fail-`. */
export function failsToStart(object: JsonObject): boolean {
  const pod = podSpec(object);
  const containers = [pod.containers, pod.initContainers].flatMap((list) =>
    Array.isArray(list) ? list : [],
  );
  return containers.some(
    (c) => isObject(c) && typeof c.image === 'string' && imageTag(c.image).startsWith('fail-'),
  );
}

function condition(type: string, ok: boolean, reason: string, message: string, now: string): JsonObject {
  const status = ok ? 'True' : 'False';
  return { type, status, reason, message, lastUpdateTime: now, lastTransitionTime: now };
}

/** A pod that runs and is ready, or one stuck pulling an image tagged `fail-`. */
function podStatus(object: JsonObject, now: string): JsonObject {
  const fails = failsToStart(object);
  const names = (Array.isArray(podSpec(object).containers) ? (podSpec(object).containers as Json[]) : [])
    .filter(isObject)
    .map((c) => String(c.name));
  const state: JsonObject = fails
    ? { waiting: { reason: 'ImagePullBackOff', message: 'the simulator never pulls images tagged fail-' } }
    : { running: { startedAt: now } };
  const ready = (type: string) => ({ type, status: fails ? 'False' : 'True', lastTransitionTime: now });
  return {
    phase: fails ? 'Pending' : 'Running',
    conditions: [
      { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
      ready('ContainersReady'),
      ready('Ready'),
    ],
    containerStatuses: names.map((name) => ({
      name,
      ready: !fails,
      started: !fails,
      restartCount: 0,
      state,
    })),
    startTime: now,
  };
}

/** The status a controller would have written once the rollout settled, for better or worse. */
export function settledStatus(resource: string, object: JsonObject, now = timestamp()): JsonObject {
  if (resource === 'pods') return podStatus(object, now);
  if (resource === 'persistentvolumeclaims') {
    const spec = isObject(object.spec) ? object.spec : {};
    const requests =
      isObject(spec.resources) && isObject(spec.resources.requests) ? spec.resources.requests : {};
    return { phase: 'Bound', accessModes: spec.accessModes ?? ['ReadWriteOnce'], capacity: requests };
  }
  const meta = metaOf(object);
  const fails = failsToStart(object);
  const spec = isObject(object.spec) ? object.spec : {};
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const ready = fails ? 0 : replicas;
  const revision = `${meta.name}-${createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 10)}`;
  if (resource === 'jobs') {
    return fails
      ? {
          failed: 1,
          startTime: now,
          conditions: [
            condition(
              'Failed',
              true,
              'BackoffLimitExceeded',
              'Job has reached the specified backoff limit',
              now,
            ),
          ],
        }
      : {
          succeeded: 1,
          startTime: now,
          completionTime: now,
          conditions: [condition('Complete', true, '', '', now)],
        };
  }
  const conditions: Json[] = [
    fails
      ? condition(
          'Available',
          false,
          'MinimumReplicasUnavailable',
          `${object.kind} does not have minimum availability.`,
          now,
        )
      : condition(
          'Available',
          true,
          'MinimumReplicasAvailable',
          `${object.kind} has minimum availability.`,
          now,
        ),
    fails
      ? condition(
          'Progressing',
          false,
          'ProgressDeadlineExceeded',
          `ReplicaSet "${revision}" has timed out progressing.`,
          now,
        )
      : condition(
          'Progressing',
          true,
          'NewReplicaSetAvailable',
          `ReplicaSet "${revision}" has successfully progressed.`,
          now,
        ),
  ];
  const common = { observedGeneration: meta.generation, conditions };
  if (resource === 'daemonsets') {
    const scheduled = {
      currentNumberScheduled: 1,
      desiredNumberScheduled: 1,
      updatedNumberScheduled: 1,
      numberMisscheduled: 0,
    };
    return {
      ...common,
      ...scheduled,
      numberReady: fails ? 0 : 1,
      numberAvailable: fails ? 0 : 1,
      ...(fails ? { numberUnavailable: 1 } : {}),
    };
  }
  if (resource === 'replicasets') {
    const labelled = { fullyLabeledReplicas: replicas };
    return {
      observedGeneration: meta.generation,
      replicas,
      ...labelled,
      readyReplicas: ready,
      availableReplicas: ready,
    };
  }
  const counts = { replicas, updatedReplicas: replicas, readyReplicas: ready, availableReplicas: ready };
  if (resource === 'statefulsets') {
    return {
      ...common,
      ...counts,
      currentReplicas: replicas,
      currentRevision: revision,
      updateRevision: revision,
    };
  }
  return { ...common, ...counts, ...(fails ? { unavailableReplicas: replicas } : {}) };
}

function pending(resource: ResourceType, object: JsonObject): boolean {
  const status = isObject(object.status) ? object.status : {};
  if (resource.resource === 'jobs')
    return !Array.isArray(status.conditions) || status.conditions.length === 0;
  if (resource.resource === 'pods' || resource.resource === 'persistentvolumeclaims')
    return status.phase === undefined;
  return status.observedGeneration !== metaOf(object).generation;
}

/**
 * Plays the part of the workload controllers, the kubelet and the volume provisioner: a rollout
 * settles `delayMs` after each new generation (a pod starts, a claim binds), available unless an
 * image tag starts with `fail-`, so health checks can pass and fail.
 */
export class WorkloadSimulator {
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #unsubscribe: () => void;

  constructor(store: ObjectStore, delayMs: number) {
    this.#unsubscribe = store.subscribe((change: Change) => {
      const { resource, object } = change;
      if (!WORKLOADS.has(`${resource.group}/${resource.resource}`)) return;
      const { uid, namespace, name } = metaOf(object);
      clearTimeout(this.#timers.get(uid));
      this.#timers.delete(uid);
      if (change.type === 'DELETED' || !pending(resource, object)) return;
      const timer = setTimeout(() => {
        this.#timers.delete(uid);
        const live = store.get(resource, namespace, name);
        if (!live || metaOf(live).uid !== uid) return;
        store.put(resource, { ...live, status: settledStatus(resource.resource, live) }, live);
      }, delayMs);
      this.#timers.set(uid, timer);
    });
  }

  stop(): void {
    this.#unsubscribe();
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
