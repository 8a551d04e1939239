import { BuildError } from './build-error.ts';
import { groupVersionOf, isMap, kindOf, metadataOf } from './manifest.ts';
import type { Resource } from './resource.ts';
import { namesOf, namespacesOf } from './resource.ts';

/** A patch's `target`: names and namespaces are anchored regular expressions, as in kustomize. */
export interface PatchTarget {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

function anchored(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

/** Does a `key=value,key!=value,key in (a,b),!key,key` selector match these labels? */
export function matchesSelector(selector: string, labels: Record<string, unknown>): boolean {
  const terms = selector.match(/[^,(]+(?:\([^)]*\))?/g) ?? [];
  return terms.every((raw) => {
    const term = raw.trim();
    if (term === '') return true;
    const set = term.match(/^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/);
    if (set) {
      const values = (set[3] as string).split(',').map((v) => v.trim());
      const has = (set[1] as string) in labels && values.includes(String(labels[set[1] as string]));
      return set[2] === 'in' ? has : !has;
    }
    const pair = term.match(/^([^!=]+?)\s*(==|!=|=)\s*(.*)$/);
    if (pair) {
      const equal = String(labels[(pair[1] as string).trim()] ?? '\u0000') === (pair[3] as string).trim();
      return pair[2] === '!=' ? !equal : equal;
    }
    if (term.startsWith('!')) return !(term.slice(1).trim() in labels);
    return term in labels;
  });
}

/** The resources a target selects; an earlier name or namespace counts, as kustomize's original ids do. */
export function selectTargets(resources: Resource[], target: PatchTarget): Resource[] {
  const name = target.name ? anchored(target.name) : undefined;
  const namespace = target.namespace ? anchored(target.namespace) : undefined;
  return resources.filter((res) => {
    const { obj } = res;
    const gv = groupVersionOf(obj);
    if (target.kind && target.kind !== kindOf(obj)) return false;
    if (target.group !== undefined && target.group !== '' && target.group !== gv.group) return false;
    if (target.version && target.version !== gv.version) return false;
    if (name && ![...namesOf(res)].some((n) => name.test(n))) return false;
    if (namespace && ![...namespacesOf(res)].some((n) => namespace.test(n))) return false;
    const meta = metadataOf(obj);
    if (target.labelSelector && !matchesSelector(target.labelSelector, isMap(meta.labels) ? meta.labels : {}))
      return false;
    if (
      target.annotationSelector &&
      !matchesSelector(target.annotationSelector, isMap(meta.annotations) ? meta.annotations : {})
    ) {
      return false;
    }
    return true;
  });
}

export function checkTarget(target: unknown, file: string): PatchTarget {
  if (!isMap(target))
    throw new BuildError(`${file}: a patch target must be a mapping`, { data: { file, field: 'target' } });
  const known = ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'];
  for (const key of Object.keys(target)) {
    if (!known.includes(key)) {
      throw new BuildError(`${file}: unknown field "target.${key}" in a patch`, {
        data: { file, field: `target.${key}` },
      });
    }
  }
  return target as PatchTarget;
}
