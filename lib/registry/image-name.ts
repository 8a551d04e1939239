/**
 * Image references as Docker and Flux read them. `nginx` is `docker.io/library/nginx`; a first
 * segment with a dot or a port, or `localhost`, is a registry host; Docker Hub's API lives at
 * `registry-1.docker.io` whichever alias the user wrote. One canonical name per image lets a
 * webhook for `team/app` find every ImageRepository and workload that uses it, however written.
 */

export const DOCKER_HUB = 'docker.io';
/** Where Docker Hub answers the distribution API. */
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';
const DOCKER_HUB_ALIASES = new Set([
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io',
  'registry.hub.docker.com',
]);

export interface ImageName {
  /** The registry as users name it: `docker.io`, `ghcr.io`, `127.0.0.1:5000`. */
  registry: string;
  /** The repository path inside the registry: `library/nginx`, `team/app`. */
  repository: string;
  /** `registry/repository`. */
  canonical: string;
}

export interface ImageReference extends ImageName {
  tag?: string;
  digest?: string;
}

export class ImageNameError extends TypeError {
  constructor(input: string, reason: string) {
    super(`invalid image reference ${JSON.stringify(input)}: ${reason}`);
    this.name = 'ImageNameError';
  }
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;

/** Parses `[registry/]repository[:tag][@digest]`. */
export function parseImageReference(input: string): ImageReference {
  let rest = input.trim();
  if (rest === '') throw new ImageNameError(input, 'it is empty');
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new ImageNameError(input, `"${digest}" is not a digest`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw new ImageNameError(input, `"${tag}" is not a valid tag`);
  }
  const name = parseImageName(rest, input);
  return { ...name, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) };
}

/** Parses a name without tag or digest into its canonical form. */
export function parseImageName(input: string, original = input): ImageName {
  const segments = input.split('/');
  const first = segments[0] ?? '';
  const hasHost =
    segments.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasHost ? canonicalRegistry(first) : DOCKER_HUB;
  const path = hasHost ? segments.slice(1) : segments;
  if (registry === DOCKER_HUB && path.length === 1) path.unshift('library');
  for (const component of path) {
    if (!COMPONENT.test(component)) {
      throw new ImageNameError(original, `"${component}" is not a valid repository path component`);
    }
  }
  const repository = path.join('/');
  return { registry, repository, canonical: `${registry}/${repository}` };
}

/** The canonical name of an image reference: `nginx:1.25` → `docker.io/library/nginx`. */
export function canonicalImageName(reference: string): string {
  return parseImageReference(reference).canonical;
}

/** A registry host as image names spell it: lower case, every Docker Hub alias as `docker.io`. */
export function canonicalRegistry(host: string): string {
  const lower = host.toLowerCase();
  return DOCKER_HUB_ALIASES.has(lower) ? DOCKER_HUB : lower;
}

/** The host that serves the distribution API for a registry name. */
export function registryApiHost(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_API_HOST : registry;
}
