/**
 * Whether a Kustomization's dependencies let it apply now, as Flux decides it: each Ready, and at
 * the revision about to be applied when it shares the source.
 */
import type { Kustomization } from '../config/index.ts';
import type { JobContext } from './run-job.ts';
import { conditionOf } from './status.ts';

/**
 * The first dependency not Ready, or, given the revision about to be applied, (sharing this one's
 * source, as Flux checks) Ready at an older one: its apply of this revision has not finished yet.
 * Without a revision only Ready is looked at, which needs no fetch.
 */
export async function firstUnreadyDependency(
  k: Kustomization,
  ctx: JobContext,
  revision?: string,
): Promise<string | undefined> {
  const config = ctx.config();
  for (const dep of k.spec.dependsOn ?? []) {
    const namespace = dep.namespace ?? k.metadata.namespace;
    const status = await ctx.status.read({ kind: 'Kustomization', namespace, name: dep.name });
    if (conditionOf(status, 'Ready')?.status !== 'True') return `${namespace}/${dep.name}`;
    const other = config.get('Kustomization', namespace, dep.name);
    if (revision !== undefined && other && sameSource(other, k) && status?.lastAppliedRevision !== revision) {
      return `${namespace}/${dep.name}`;
    }
  }
  return undefined;
}

function sameSource(a: Kustomization, b: Kustomization): boolean {
  return (
    a.spec.sourceRef.name === b.spec.sourceRef.name &&
    (a.spec.sourceRef.namespace ?? a.metadata.namespace) ===
      (b.spec.sourceRef.namespace ?? b.metadata.namespace)
  );
}
