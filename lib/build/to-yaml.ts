import type { KObject } from './manifest.ts';
import { isMap } from './manifest.ts';
import { formatNumber, formatString } from './yaml-scalar.ts';

/**
 * The objects as `kubectl kustomize` prints them: documents separated by `---`, map keys sorted,
 * two-space indentation with sequences at their key's indentation, scalars quoted only where
 * YAML needs it. Golden outputs compare byte for byte.
 */
export function toYaml(objects: readonly KObject[]): string {
  return objects.map((obj) => lines(obj, 0).join('\n')).join('\n---\n') + (objects.length > 0 ? '\n' : '');
}

function scalar(value: unknown, column: number, indent: number): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return formatString(value, column, indent);
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return formatString(String(value), column, indent);
}

function isEmptyCollection(value: unknown): string | undefined {
  if (Array.isArray(value) && value.length === 0) return '[]';
  if (isMap(value) && Object.keys(value).length === 0) return '{}';
  return undefined;
}

/** A value that does not fit on its key's line. */
function isBlock(value: unknown): boolean {
  return isEmptyCollection(value) === undefined && (Array.isArray(value) || isMap(value));
}

function sortedKeys(map: Record<string, unknown>): string[] {
  return Object.keys(map).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Lines of a collection printed at `indent`; the first line may be joined to a `- ` by the caller. */
function lines(value: unknown, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const out: string[] = [];
  if (isMap(value)) {
    for (const key of sortedKeys(value)) {
      const child = value[key];
      const head = `${pad}${formatString(key, indent, indent, true)}:`;
      if (child === undefined) continue;
      if (Array.isArray(child) && isBlock(child)) out.push(head, ...lines(child, indent));
      else if (isBlock(child)) out.push(head, ...lines(child, indent + 2));
      else {
        const text = isEmptyCollection(child) ?? scalar(child, head.length + 1, indent + 2);
        out.push(`${head} ${text}`);
      }
    }
    return out;
  }
  for (const item of value as unknown[]) {
    if (isBlock(item)) {
      const inner = lines(item, indent + 2);
      out.push(`${pad}- ${(inner[0] as string).slice(indent + 2)}`, ...inner.slice(1));
    } else {
      out.push(`${pad}- ${isEmptyCollection(item) ?? scalar(item, indent + 2, indent + 2)}`);
    }
  }
  return out;
}
