/**
 * Kustomizations in dependsOn order: every Kustomization after the ones it depends on, ties broken
 * by namespace/name so the order is stable. The loader has already refused dependency cycles.
 */
import type { Kustomization } from '../config/index.ts';
import { objectKey } from '../config/index.ts';

export function dependencyOrder(kustomizations: readonly Kustomization[]): Kustomization[] {
  const byKey = new Map(kustomizations.map((k) => [objectKey(k), k]));
  const ordered: Kustomization[] = [];
  const placed = new Set<string>();
  const visit = (k: Kustomization, path: Set<string>) => {
    const key = objectKey(k);
    if (placed.has(key) || path.has(key)) return;
    path.add(key);
    for (const dep of k.spec.dependsOn ?? []) {
      const target = byKey.get(`Kustomization/${dep.namespace ?? k.metadata.namespace}/${dep.name}`);
      if (target) visit(target, path);
    }
    placed.add(key);
    ordered.push(k);
  };
  for (const k of [...kustomizations].sort((a, b) => objectKey(a).localeCompare(objectKey(b))))
    visit(k, new Set());
  return ordered;
}
