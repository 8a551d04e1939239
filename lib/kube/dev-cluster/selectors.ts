import { badRequest } from './status-errors.ts';

export type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'doesnotexist' };

export type Labels = Record<string, string> | undefined;

/** Splits on commas that are not inside a `( … )` value set. */
function terms(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((t) => t.trim()).filter((t) => t !== '');
}

function requirement(term: string): Requirement {
  const set = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (set?.[1] && set[3] !== undefined) {
    const values = set[3].split(',').map((v) => v.trim());
    return { key: set[1], op: set[2] === 'in' ? 'in' : 'notin', values };
  }
  const cmp = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (cmp?.[1]) return { key: cmp[1], op: cmp[2] === '!=' ? 'notin' : 'in', values: [cmp[3] ?? ''] };
  const absent = /^!\s*([^\s!=]+)$/.exec(term);
  if (absent?.[1]) return { key: absent[1], op: 'doesnotexist' };
  if (/^[^\s!=(),]+$/.test(term)) return { key: term, op: 'exists' };
  throw badRequest(`unable to parse requirement: found '${term}'`);
}

/** Parses a label selector in the equality- and set-based syntax of `?labelSelector=`. */
export function parseLabelSelector(text: string): Requirement[] {
  return terms(text).map(requirement);
}

/** Whether labels satisfy every requirement; a missing label matches only `!=`, `notin` and `!key`. */
export function matchesLabels(requirements: Requirement[], labels: Labels): boolean {
  return requirements.every((r) => {
    const value = labels?.[r.key];
    switch (r.op) {
      case 'exists':
        return value !== undefined;
      case 'doesnotexist':
        return value === undefined;
      case 'in':
        return value !== undefined && r.values.includes(value);
      default:
        return value === undefined || !r.values.includes(value);
    }
  });
}

/** Field selectors the simulator supports: `metadata.name` and `metadata.namespace`, with `=`, `==` and `!=`. */
export function parseFieldSelector(text: string): (meta: { name?: string; namespace?: string }) => boolean {
  const checks = terms(text).map((term) => {
    const match = /^(metadata\.name|metadata\.namespace)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!match)
      throw badRequest(`"${term}" is not a known field selector: only "metadata.name", "metadata.namespace"`);
    const field = match[1] === 'metadata.name' ? 'name' : 'namespace';
    const negate = match[2] === '!=';
    const value = match[3] ?? '';
    return (meta: { name?: string; namespace?: string }) => ((meta[field] ?? '') === value) !== negate;
  });
  return (meta) => checks.every((check) => check(meta));
}
