import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OciDescriptor } from './oci-image.ts';
import { buildOciImage, buildOciIndex, OCI_INDEX, OCI_MANIFEST, writeOciLayout } from './oci-image.ts';
import { freePort, waitFor } from './ports.ts';
import { makeTempDir, removeTempDir, runCommand, spawnTracked, stopChild } from './processes.ts';
import { requireTool } from './tools.ts';

/**
 * One notification endpoint, in the registry's own terms (durations as Go durations, e.g. `500ms`).
 * `events.includeReferences` is registry-wide: set on any endpoint, it applies to all.
 */
export type RegistryNotificationEndpoint = {
  url: string;
  name?: string;
  headers?: Record<string, string[]>;
  timeout?: string;
  threshold?: number;
  backoff?: string;
  ignoredMediaTypes?: string[];
  ignore?: { mediaTypes?: string[]; actions?: string[] };
  events?: { includeReferences?: boolean };
};

export type RegistryOptions = {
  notifications?: RegistryNotificationEndpoint | RegistryNotificationEndpoint[];
  /** Lets `DELETE /v2/<name>/manifests/<digest>` (and `deleteManifest`) work. */
  deleteEnabled?: boolean;
  startupTimeoutMs?: number;
};

export type PushedImage = {
  digest: string;
  mediaType: string;
  /** For an index: its platform manifests, each with `platform`. */
  manifests?: OciDescriptor[];
};

export type Registry = {
  /** `127.0.0.1:PORT`, as an image reference's host. */
  host: string;
  url: string;
  /** Pushes a tiny image built from `seed` (default `<repository>:<tag>`), or an index with `index`. */
  pushImage(
    repository: string,
    tag: string,
    options?: { seed?: string; index?: boolean },
  ): Promise<PushedImage>;
  /** Tags of a repository, sorted (the registry lists them in storage order); [] when it is unknown. */
  tags(repository: string): Promise<string[]>;
  /** What a tag or digest points at, or undefined when the registry does not know it. */
  manifest(repository: string, reference: string): Promise<{ digest: string; mediaType: string } | undefined>;
  /** Deletes a manifest by digest through the API, with every tag on it; needs `deleteEnabled`. */
  deleteManifest(repository: string, digest: string): Promise<void>;
  /** Removes one tag from storage; the registry has no API for that, and sends no event. */
  deleteTag(repository: string, tag: string): Promise<void>;
  close(): Promise<void>;
};

/** Every manifest type the registry may answer with; it says "unknown" to a client that does not list it. */
export const MANIFEST_ACCEPT = [
  OCI_MANIFEST,
  OCI_INDEX,
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

/** Thrown when the registry exits or never answers; `output` is what it printed meanwhile. */
export class RegistryStartError extends Error {
  override readonly name = 'RegistryStartError';
  readonly output: string;

  constructor(message: string, output: string, cause?: unknown) {
    super(`${message}\n--- registry output ---\n${output.trim() || '(none)'}`, { cause });
    this.output = output;
  }
}

/**
 * Starts a real registry (CNCF distribution, Debian `docker-registry`) on a free loopback port with
 * filesystem storage in a temp dir, optionally notifying endpoints on every push, and pushes images to it
 * with skopeo.
 */
export async function startRegistry(options: RegistryOptions = {}): Promise<Registry> {
  requireTool('docker-registry', 'docker-registry');
  requireTool('skopeo', 'skopeo');
  const root = await makeTempDir('ferry-registry-');
  try {
    await writeFile(join(root, 'registries.conf'), '');
    const { child, host } = await launch(root, options);
    return registryAt(root, child, host, options);
  } catch (error) {
    await removeTempDir(root);
    throw error;
  }
}

/** Starts the process, retrying on a fresh port when another process took the one chosen. */
async function launch(
  root: string,
  options: RegistryOptions,
): Promise<{ child: ChildProcess; host: string }> {
  for (let attempt = 1; ; attempt++) {
    const host = `127.0.0.1:${await freePort()}`;
    const configPath = join(root, 'config.yml');
    await writeFile(configPath, JSON.stringify(registryConfig(root, host, options), null, 2));
    const child = spawnTracked('docker-registry', ['serve', configPath], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-16_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let exited: string | undefined;
    child.once('exit', (code, signal) => {
      exited = `exited with ${signal ?? code}`;
    });
    child.once('error', (error) => {
      exited = `failed to start: ${error.message}`;
    });
    const timeoutMs = options.startupTimeoutMs ?? 20_000;
    try {
      await waitFor(
        `registry on ${host}`,
        async () =>
          exited !== undefined ||
          (await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(2_000) })).status === 200,
        timeoutMs,
      );
    } catch (error) {
      await stopChild(child);
      throw new RegistryStartError(
        `registry on ${host} did not answer GET /v2/ within ${timeoutMs} ms`,
        output,
        error,
      );
    }
    if (exited === undefined) return { child, host };
    if (attempt < 3 && output.includes('address already in use')) continue;
    throw new RegistryStartError(`registry on ${host} ${exited} during startup`, output);
  }
}

/** The registry's config.yml, written as JSON (which YAML reads as is) so no YAML writer is needed. */
function registryConfig(root: string, host: string, options: RegistryOptions): unknown {
  const endpoints = [options.notifications ?? []].flat();
  return {
    version: '0.1',
    log: { level: 'warn', formatter: 'text', accesslog: { disabled: true } },
    storage: {
      filesystem: { rootdirectory: join(root, 'storage') },
      delete: { enabled: options.deleteEnabled ?? false },
      maintenance: { uploadpurging: { enabled: false } },
      redirect: { disable: true },
    },
    http: { addr: host, secret: 'ferry-test-registry' },
    health: { storagedriver: { enabled: false } },
    ...(endpoints.length > 0 && {
      notifications: {
        events: { includereferences: endpoints.some((e) => e.events?.includeReferences) },
        endpoints: endpoints.map((endpoint, i) => ({
          name: endpoint.name ?? `endpoint-${i}`,
          url: endpoint.url,
          headers: endpoint.headers ?? {},
          timeout: endpoint.timeout ?? '2s',
          threshold: endpoint.threshold ?? 3,
          backoff: endpoint.backoff ?? '100ms',
          ignoredmediatypes: endpoint.ignoredMediaTypes ?? [],
          ignore: { mediatypes: endpoint.ignore?.mediaTypes ?? [], actions: endpoint.ignore?.actions ?? [] },
        })),
      },
    }),
  };
}

function registryAt(root: string, child: ChildProcess, host: string, options: RegistryOptions): Registry {
  const url = `http://${host}`;
  const skopeoEnv = {
    PATH: process.env.PATH,
    HOME: root,
    TMPDIR: root,
    CONTAINERS_REGISTRIES_CONF: join(root, 'registries.conf'),
  };

  const manifest: Registry['manifest'] = async (repository, reference) => {
    const res = await fetch(`${url}/v2/${repository}/manifests/${reference}`, {
      method: 'HEAD',
      headers: { Accept: MANIFEST_ACCEPT },
    });
    if (res.status === 404) return undefined;
    if (!res.ok) throw new Error(`HEAD ${repository}:${reference} answered ${res.status}`);
    return {
      digest: res.headers.get('docker-content-digest') ?? '',
      mediaType: (res.headers.get('content-type') ?? '').split(';')[0]!,
    };
  };

  return {
    host,
    url,
    manifest,

    async pushImage(repository, tag, { seed = `${repository}:${tag}`, index = false } = {}) {
      const image = index ? buildOciIndex(seed) : buildOciImage(seed);
      const dir = await mkdtemp(join(root, 'push-'));
      try {
        await writeOciLayout(join(dir, 'layout'), { [tag]: image });
        const digestFile = join(dir, 'digest');
        await runCommand(
          'skopeo',
          [
            '--insecure-policy',
            'copy',
            '--quiet',
            ...(index ? ['--all'] : []),
            '--preserve-digests',
            '--dest-tls-verify=false',
            '--dest-no-creds',
            '--digestfile',
            digestFile,
            `oci:${join(dir, 'layout')}:${tag}`,
            `docker://${host}/${repository}:${tag}`,
          ],
          { env: skopeoEnv },
        );
        const digest = (await readFile(digestFile, 'utf8')).trim();
        const pushed: PushedImage = { digest, mediaType: image.descriptor.mediaType };
        if (index) {
          const body = image.blobs.get(image.descriptor.digest)!.toString('utf8');
          pushed.manifests = (JSON.parse(body) as { manifests: OciDescriptor[] }).manifests;
        }
        return pushed;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },

    async tags(repository) {
      const tags: string[] = [];
      let next: string | undefined = `/v2/${repository}/tags/list`;
      while (next) {
        const res = await fetch(new URL(next, url));
        if (res.status === 404) return [];
        if (!res.ok) throw new Error(`listing tags of ${repository} answered ${res.status}`);
        tags.push(...(((await res.json()) as { tags: string[] | null }).tags ?? []));
        next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
      }
      return tags.sort();
    },

    async deleteManifest(repository, digest) {
      if (!options.deleteEnabled)
        throw new Error('deleteManifest needs startRegistry({ deleteEnabled: true })');
      const res = await fetch(`${url}/v2/${repository}/manifests/${digest}`, { method: 'DELETE' });
      if (res.status !== 202) throw new Error(`DELETE ${repository}@${digest} answered ${res.status}`);
    },

    async deleteTag(repository, tag) {
      const component = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
      if (!/^\w[\w.-]{0,127}$/.test(tag) || !repository.split('/').every((part) => component.test(part))) {
        throw new Error(`bad reference ${repository}:${tag}`);
      }
      const tagDir = join(
        root,
        'storage',
        'docker/registry/v2/repositories',
        repository,
        '_manifests/tags',
        tag,
      );
      await rm(tagDir, { recursive: true, force: true });
    },

    async close() {
      await stopChild(child);
      await removeTempDir(root);
    },
  };
}
