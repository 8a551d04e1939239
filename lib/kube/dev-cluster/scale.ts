import type { JsonObject } from './field-paths.ts';
import { isObject } from './field-paths.ts';
import { metaOf } from './object-store.ts';
import { invalid } from './status-errors.ts';

/** The `autoscaling/v1` Scale view of a Deployment, StatefulSet or ReplicaSet. */
export function scaleOf(object: JsonObject): JsonObject {
  const meta = metaOf(object);
  const spec = isObject(object.spec) ? object.spec : {};
  const status = isObject(object.status) ? object.status : {};
  const selector =
    isObject(spec.selector) && isObject(spec.selector.matchLabels) ? spec.selector.matchLabels : {};
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: meta.name,
      namespace: meta.namespace ?? null,
      uid: meta.uid,
      resourceVersion: meta.resourceVersion,
      creationTimestamp: meta.creationTimestamp,
    },
    spec: { replicas: typeof spec.replicas === 'number' ? spec.replicas : 1 },
    status: {
      replicas: typeof status.replicas === 'number' ? status.replicas : 0,
      selector: Object.entries(selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    },
  };
}

/** The object with the replica count a written Scale asks for. */
export function withScale(object: JsonObject, scale: unknown): JsonObject {
  const spec = isObject(scale) && isObject(scale.spec) ? scale.spec : {};
  const replicas = spec.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid('autoscaling', 'Scale', metaOf(object).name, [
      {
        field: 'spec.replicas',
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
      },
    ]);
  }
  return { ...object, spec: { ...(isObject(object.spec) ? object.spec : {}), replicas } };
}
