import type { KubernetesObject } from '@kubernetes/client-node';
import type { Cluster } from './connect-cluster.ts';
import { CrdNotEstablishedError, isNotFound, kubeErrorFor } from './kube-errors.ts';
import type { ObjectRef } from './object-ref.ts';
import { describeRef, headerOf } from './object-ref.ts';

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

function conditionsOf(object: KubernetesObject | undefined): Condition[] {
  const status = (object as { status?: { conditions?: Condition[] } } | undefined)?.status;
  return Array.isArray(status?.conditions) ? status.conditions : [];
}

function established(object: KubernetesObject): boolean {
  return conditionsOf(object).some((c) => c.type === 'Established' && c.status === 'True');
}

/**
 * Waits until every CRD is Established, so the custom resources of the next stage find their
 * kind. This is the one wait in the library and it is bounded: a CRD that stays unestablished
 * fails the apply as transient, and the job retries.
 */
export async function waitForEstablished(
  cluster: Cluster,
  crds: readonly ObjectRef[],
  timeoutMs: number,
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = [...crds];
  for (;;) {
    const states = await Promise.all(
      pending.map(async (ref) => {
        try {
          return established(await cluster.api.read(headerOf(ref)));
        } catch (error) {
          if (isNotFound(error)) return false;
          throw kubeErrorFor(error, ref, 'read');
        }
      }),
    );
    pending = pending.filter((_, i) => !states[i]);
    if (pending.length === 0) return;
    if (Date.now() >= deadline) {
      const names = pending.map(describeRef);
      throw new CrdNotEstablishedError(`CRDs not established after ${timeoutMs} ms: ${names.join(', ')}`, {
        data: { objects: names },
      });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
