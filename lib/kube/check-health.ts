import type { Cluster } from './connect-cluster.ts';
import { isNotFound, kubeErrorFor } from './kube-errors.ts';
import { settleLimited, valuesOrThrow } from './map-limit.ts';
import type { Health } from './object-health.ts';
import { healthOf } from './object-health.ts';
import type { ObjectRef } from './object-ref.ts';
import { describeRef, headerOf } from './object-ref.ts';

export interface ObjectHealth extends ObjectRef, Health {}

/**
 * One pass over the objects: reads each and judges it. A missing object is progressing (it may
 * still be on its way); the apply job requeues itself with a delay rather than sleeping here.
 */
export async function checkHealth(
  cluster: Cluster,
  refs: readonly ObjectRef[],
  concurrency = 8,
): Promise<ObjectHealth[]> {
  const settled = await settleLimited(refs, concurrency, async (ref): Promise<ObjectHealth> => {
    try {
      return { ...ref, ...healthOf(await cluster.api.read(headerOf(ref))) };
    } catch (error) {
      if (isNotFound(error)) return { ...ref, status: 'progressing', reason: 'not found' };
      throw kubeErrorFor(error, ref, 'read');
    }
  });
  return valuesOrThrow(settled, (i) => describeRef(refs[i] as ObjectRef));
}
