/**
 * Resolves a Receiver's `resources` to the Flux objects they name: a name, or `*` with optional
 * matchLabels for every object of that kind in the namespace (the Receiver's by default).
 */
import type { ConfigSet, FluxKind, FluxObject, Receiver } from '../config/index.ts';
import { FLUX_KINDS } from '../config/index.ts';

export interface ResolvedResources {
  objects: FluxObject[];
  /** Resources that matched nothing or name a kind ferry does not reconcile, for the answer. */
  unmatched: string[];
}

export function resolveResources(receiver: Receiver, config: ConfigSet): ResolvedResources {
  const objects: FluxObject[] = [];
  const unmatched: string[] = [];
  for (const resource of receiver.spec.resources) {
    const namespace = resource.namespace ?? receiver.metadata.namespace;
    const label = `${resource.kind}/${namespace}/${resource.name}`;
    if (!(FLUX_KINDS as readonly string[]).includes(resource.kind)) {
      unmatched.push(`${label} (kind not reconciled by ferry)`);
      continue;
    }
    const kind = resource.kind as FluxKind;
    const found =
      resource.name === '*'
        ? config
            .list(kind)
            .filter(
              (o) =>
                o.metadata.namespace === namespace && labelsMatch(o.metadata.labels, resource.matchLabels),
            )
        : [config.get(kind, namespace, resource.name)].filter((o): o is FluxObject => o !== undefined);
    if (found.length === 0) unmatched.push(label);
    objects.push(...found);
  }
  return { objects, unmatched };
}

function labelsMatch(labels: Record<string, string>, selector: Record<string, string> | undefined): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);
}
