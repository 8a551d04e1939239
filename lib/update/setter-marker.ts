/**
 * Setter markers: `# {"$imagepolicy": "<namespace>:<name>"}` after a scalar, optionally with a
 * `:tag`, `:name` or `:digest` suffix. Flux strips the leading `#`s and reads the rest as a JSON
 * object of strings; a comment that is not such an object is just a comment, so it is ignored
 * here too, silently.
 */

/** Marks setter comments; only files holding it are read. */
export const SETTER_TOKEN = '$imagepolicy';

/** Which part of the policy's latest image a marker writes. */
export type SetterField = 'image' | 'tag' | 'name' | 'digest';

export interface SetterMarker {
  /** The marker's value as written, e.g. `flux-system:app:tag`; Flux reports it as the setter. */
  setter: string;
  /** `namespace:name` of the ImagePolicy, or undefined when the setter names none. */
  policy: string | undefined;
  field: SetterField;
}

/** The latest image an ImagePolicy selected (its `status.latestRef`). */
export interface LatestImage {
  image: string;
  tag: string;
  digest?: string;
}

const SUFFIXES: ReadonlySet<string> = new Set(['tag', 'name', 'digest']);

/** Reads a comment (from its `#` to the end of its line); undefined when it is no setter marker. */
export function parseSetterMarker(comment: string): SetterMarker | undefined {
  let i = 0;
  while (comment[i] === '#') i++;
  let parsed: unknown;
  try {
    parsed = JSON.parse(comment.slice(i));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const values = Object.values(parsed);
  if (!values.every((v) => typeof v === 'string')) return undefined;
  const setter = (parsed as Record<string, string>)[SETTER_TOKEN];
  if (!setter) return undefined;
  const parts = setter.split(':');
  if (parts.some((p) => p === '')) return { setter, policy: undefined, field: 'image' };
  if (parts.length === 2) return { setter, policy: setter, field: 'image' };
  const suffix = parts[2] as string;
  if (parts.length === 3 && SUFFIXES.has(suffix)) {
    return { setter, policy: `${parts[0]}:${parts[1]}`, field: suffix as SetterField };
  }
  return { setter, policy: undefined, field: 'image' };
}

/**
 * The value a marker writes: `image:tag` (with `@digest` when the policy reflects one), the tag,
 * the image name, or the digest. Undefined when the policy has no digest for a `:digest` marker.
 */
export function setterValue(field: SetterField, latest: LatestImage): string | undefined {
  switch (field) {
    case 'image':
      return latest.digest
        ? `${latest.image}:${latest.tag}@${latest.digest}`
        : `${latest.image}:${latest.tag}`;
    case 'tag':
      return latest.tag;
    case 'name':
      return latest.image;
    case 'digest':
      return latest.digest || undefined;
  }
}
