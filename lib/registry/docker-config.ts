/**
 * Credentials from a `kubernetes.io/dockerconfigjson` Secret, read as kubelet and Flux read it. Keys
 * of `auths` are written every way people paste them (`ghcr.io`, `https://ghcr.io`,
 * `https://index.docker.io/v1/`, `*.azurecr.io`), so each is reduced to a host before matching; an
 * exact host wins over a wildcard. Errors say what is wrong with the entry, never what is in it.
 */
import type { RegistryCredentials } from './credentials.ts';
import { canonicalRegistry } from './image-name.ts';
import { RegistryAccessError } from './registry-errors.ts';

export const DOCKER_CONFIG_JSON_KEY = '.dockerconfigjson';

type Entry = Record<string, unknown>;

/**
 * The credentials a Docker config holds for a registry (`docker.io`, `ghcr.io`, `host:port`), or
 * undefined when it has no entry for it. Throws RegistryAccessError when the config is malformed.
 */
export function credentialsFromDockerConfig(
  values: Record<string, string>,
  registry: string,
): RegistryCredentials | undefined {
  const raw = values[DOCKER_CONFIG_JSON_KEY];
  if (raw === undefined) throw accessError(`has no ${DOCKER_CONFIG_JSON_KEY} key`, registry);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // No cause: the parser's message quotes the input, which holds passwords.
    throw accessError(`has a ${DOCKER_CONFIG_JSON_KEY} that is not JSON`, registry);
  }
  const auths = isRecord(parsed) ? parsed.auths : undefined;
  if (!isRecord(auths))
    throw accessError(`has a ${DOCKER_CONFIG_JSON_KEY} without an "auths" object`, registry);
  const entry = findEntry(auths, canonicalRegistry(registry));
  return entry === undefined ? undefined : entryCredentials(entry, registry);
}

/** `https://index.docker.io/v1/` → `docker.io`; `ghcr.io/team` → `ghcr.io`. */
export function dockerConfigKeyHost(key: string): string {
  const withoutScheme = key.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  return canonicalRegistry(withoutScheme.split('/')[0]!);
}

function findEntry(auths: Record<string, unknown>, host: string): Entry | undefined {
  const entries = Object.entries(auths).filter((e): e is [string, Entry] => isRecord(e[1]));
  const exact = entries.find(([key]) => dockerConfigKeyHost(key) === host);
  if (exact !== undefined) return exact[1];
  return entries.find(([key]) => wildcardMatches(dockerConfigKeyHost(key), host))?.[1];
}

/** kubelet's rule: `*` stands for one whole label, labels and port must otherwise be equal. */
function wildcardMatches(pattern: string, host: string): boolean {
  if (!pattern.includes('*')) return false;
  const [patternName, patternPort] = pattern.split(':');
  const [hostName, hostPort] = host.split(':');
  if (patternPort !== hostPort) return false;
  const patternLabels = patternName!.split('.');
  const hostLabels = hostName!.split('.');
  return (
    patternLabels.length === hostLabels.length &&
    patternLabels.every((label, i) => label === '*' || label === hostLabels[i])
  );
}

function entryCredentials(entry: Entry, registry: string): RegistryCredentials {
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0)
      throw accessError(`has an "auth" for ${registry} that is not base64 of user:password`, registry);
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (typeof entry.username === 'string' && entry.username !== '' && typeof entry.password === 'string') {
    return { username: entry.username, password: entry.password };
  }
  throw accessError(
    `has an entry for ${registry} with neither "auth" nor "username" and "password"`,
    registry,
  );
}

function accessError(problem: string, registry: string): RegistryAccessError {
  return new RegistryAccessError(`the Docker config ${problem}`, { registry });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
