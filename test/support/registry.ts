import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import bcrypt from 'bcryptjs';
import { importPKCS8, SignJWT } from 'jose';
import type { Pki } from './certificate.ts';
import { selfSignedCertificate } from './certificate.ts';
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

/**
 * Who may use the registry. `htpasswd`: the registry's own Basic auth, users written to an htpasswd
 * file with bcrypt (the only hash it accepts; it needs no TLS for it). `token`: the registry's token
 * auth, with a token server run here that issues JWTs signed by a key whose certificate is the
 * registry's `rootcertbundle`. The first user is the one pushes and the helpers act as.
 */
export type RegistryAuth =
  | { htpasswd: { users: Record<string, string> } }
  | {
      token: {
        users: Record<string, string>;
        /** Repositories anonymous clients may pull (public ones, as on Docker Hub); others grant them nothing. */
        publicRepositories?: string[];
        /** `expires_in` of issued tokens; 300 by default. */
        expiresInSeconds?: number;
      };
    };

/** One request the token server answered: who asked (undefined when anonymous) and for what. */
export type TokenRequest = {
  account: string | undefined;
  service: string | null;
  scopes: string[];
  status: number;
};

export type RegistryOptions = {
  notifications?: RegistryNotificationEndpoint | RegistryNotificationEndpoint[];
  auth?: RegistryAuth;
  /**
   * Serve HTTPS with a self-signed certificate (made with `openssl`), which this process then trusts
   * for every TLS client (`tls.setDefaultCACertificates`), as a machine trusts a CA installed on it.
   */
  tls?: boolean;
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
  /** `http://` or, with `tls`, `https://` and the host. */
  url: string;
  /** The token server's requests, oldest first; always empty unless `auth.token`. */
  tokenRequests: TokenRequest[];
  /**
   * Pushes a tiny image built from `seed` (default `<repository>:<tag>`), or an index with `index`.
   * `format: 'docker'` converts it on the way to Docker's types (manifest v2 schema 2, manifest list),
   * which changes its digests.
   */
  pushImage(
    repository: string,
    tag: string,
    options?: { seed?: string; index?: boolean; format?: 'oci' | 'docker' },
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

const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

/** Every manifest type the registry may answer with; it says "unknown" to a client that does not list it. */
export const MANIFEST_ACCEPT = [OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST].join(', ');

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
  let tokenServer: TokenServer | undefined;
  try {
    await writeFile(join(root, 'registries.conf'), '');
    const pki =
      options.tls || (options.auth && 'token' in options.auth)
        ? await selfSignedCertificate(root)
        : undefined;
    if (options.tls) trustCertificate(pki!.certificate);
    const auth = options.auth;
    let authConfig: unknown;
    if (auth && 'htpasswd' in auth) {
      authConfig = {
        htpasswd: { realm: 'ferry-test', path: await writeHtpasswd(root, auth.htpasswd.users) },
      };
    } else if (auth && 'token' in auth) {
      tokenServer = await startTokenServer(auth.token, pki!);
      authConfig = {
        token: {
          realm: tokenServer.realm,
          service: TOKEN_SERVICE,
          issuer: TOKEN_ISSUER,
          rootcertbundle: pki!.certificatePath,
        },
      };
    }
    const setup: LaunchSetup = { authConfig, tlsConfig: options.tls ? pki : undefined };
    const { child, host } = await launch(root, options, setup);
    return registryAt(root, child, host, options, tokenServer);
  } catch (error) {
    await tokenServer?.close();
    await removeTempDir(root);
    throw error;
  }
}

/** What the registry config gets beyond storage and notifications. */
type LaunchSetup = { authConfig: unknown; tlsConfig: Pki | undefined };

const TOKEN_SERVICE = 'ferry-test-registry';
const TOKEN_ISSUER = 'ferry-test-token-server';

function trustCertificate(certificate: string): void {
  setDefaultCACertificates([...getCACertificates('default'), certificate]);
}

async function writeHtpasswd(root: string, users: Record<string, string>): Promise<string> {
  const path = join(root, 'htpasswd');
  const lines = Object.entries(users).map(([user, password]) => `${user}:${bcrypt.hashSync(password, 4)}\n`);
  await writeFile(path, lines.join(''));
  return path;
}

type TokenServer = {
  realm: string;
  requests: TokenRequest[];
  /** A token for the fixture's own calls: every action on the repository. */
  mint(repository: string): Promise<string>;
  close(): Promise<void>;
};

/**
 * The token server of the registry's token auth (the distribution token spec): Basic credentials
 * checked against `users`, each requested `repository:<name>:<actions>` scope granted in full to a
 * user, and to anonymous clients pull on public repositories and nothing else, as a JWT whose `x5c` header carries the
 * certificate the registry trusts.
 */
async function startTokenServer(
  options: { users: Record<string, string>; publicRepositories?: string[]; expiresInSeconds?: number },
  pki: Pki,
): Promise<TokenServer> {
  const key = await importPKCS8(await readFile(pki.keyPath, 'utf8'), 'ES256');
  const der = pki.certificate.replace(/-----[A-Z ]+-----/g, '').replace(/\s/g, '');
  const expiresIn = options.expiresInSeconds ?? 300;
  const requests: TokenRequest[] = [];
  const sign = async (subject: string, access: { type: string; name: string; actions: string[] }[]) => {
    const now = Math.floor(Date.now() / 1000);
    return await new SignJWT({ access })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', x5c: [der] })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_SERVICE)
      .setSubject(subject)
      .setIssuedAt(now)
      .setNotBefore(now - 5)
      .setExpirationTime(now + expiresIn)
      .setJti(randomUUID())
      .sign(key);
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://token.invalid');
      const scopes = url.searchParams.getAll('scope');
      const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const [user, password] = basic ? splitOnce(Buffer.from(basic, 'base64').toString('utf8'), ':') : [];
      const account = user !== undefined && options.users[user] === password ? user : undefined;
      const record = { account, service: url.searchParams.get('service'), scopes };
      if (url.pathname !== '/token' || (basic !== undefined && account === undefined)) {
        requests.push({ ...record, status: url.pathname === '/token' ? 401 : 404 });
        res.writeHead(url.pathname === '/token' ? 401 : 404, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ details: 'invalid credentials' }));
        return;
      }
      const access = scopes.flatMap((scope) => {
        const match = /^repository:([^:]+):([a-z*,]+)$/.exec(scope);
        if (match === null) return [];
        const [, name, actions] = match as unknown as [string, string, string];
        const wanted = actions.split(',');
        const granted =
          account !== undefined
            ? wanted
            : options.publicRepositories?.includes(name)
              ? wanted.filter((a) => a === 'pull')
              : [];
        return [{ type: 'repository', name, actions: granted }];
      });
      const token = await sign(account ?? '', access);
      requests.push({ ...record, status: 200 });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          token,
          access_token: token,
          expires_in: expiresIn,
          issued_at: new Date().toISOString(),
        }),
      );
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const realm = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  return {
    realm,
    requests,
    mint: (repository) =>
      sign(Object.keys(options.users)[0] ?? 'fixture', [
        { type: 'repository', name: repository, actions: ['pull', 'push', 'delete', '*'] },
      ]),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** `user:pass:word` → `[user, pass:word]`; a text without the separator is `[text]`. */
function splitOnce(text: string, separator: string): [string, string] | [string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text] : [text.slice(0, at), text.slice(at + separator.length)];
}

/** Starts the process, retrying on a fresh port when another process took the one chosen. */
async function launch(
  root: string,
  options: RegistryOptions,
  setup: LaunchSetup,
): Promise<{ child: ChildProcess; host: string }> {
  for (let attempt = 1; ; attempt++) {
    const host = `127.0.0.1:${await freePort()}`;
    const configPath = join(root, 'config.yml');
    await writeFile(configPath, JSON.stringify(registryConfig(root, host, options, setup), null, 2));
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
          [200, 401].includes(
            (
              await fetch(`${setup.tlsConfig ? 'https' : 'http'}://${host}/v2/`, {
                signal: AbortSignal.timeout(2_000),
              })
            ).status,
          ),
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
function registryConfig(root: string, host: string, options: RegistryOptions, setup: LaunchSetup): unknown {
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
    http: {
      addr: host,
      secret: 'ferry-test-registry',
      ...(setup.tlsConfig && {
        tls: { certificate: setup.tlsConfig.certificatePath, key: setup.tlsConfig.keyPath },
      }),
    },
    ...(setup.authConfig !== undefined && { auth: setup.authConfig }),
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

function registryAt(
  root: string,
  child: ChildProcess,
  host: string,
  options: RegistryOptions,
  tokenServer: TokenServer | undefined,
): Registry {
  const url = `${options.tls ? 'https' : 'http'}://${host}`;
  const auth = options.auth;
  const users = auth && ('htpasswd' in auth ? auth.htpasswd.users : auth.token.users);
  const [pushUser, pushPassword] = Object.entries(users ?? {})[0] ?? [];
  /** The fixture's own requests, as the first user. */
  const authorized = async (repository: string, init: RequestInit = {}): Promise<RequestInit> => {
    const headers = new Headers(init.headers);
    if (tokenServer) headers.set('Authorization', `Bearer ${await tokenServer.mint(repository)}`);
    else if (pushUser !== undefined) {
      headers.set('Authorization', `Basic ${Buffer.from(`${pushUser}:${pushPassword}`).toString('base64')}`);
    }
    return { ...init, headers };
  };
  const skopeoEnv = {
    PATH: process.env.PATH,
    HOME: root,
    TMPDIR: root,
    CONTAINERS_REGISTRIES_CONF: join(root, 'registries.conf'),
  };

  const manifest: Registry['manifest'] = async (repository, reference) => {
    const res = await fetch(
      `${url}/v2/${repository}/manifests/${reference}`,
      await authorized(repository, { method: 'HEAD', headers: { Accept: MANIFEST_ACCEPT } }),
    );
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
    tokenRequests: tokenServer?.requests ?? [],

    async pushImage(repository, tag, { seed = `${repository}:${tag}`, index = false, format = 'oci' } = {}) {
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
            ...(format === 'docker' ? ['--format', 'v2s2'] : ['--preserve-digests']),
            '--dest-tls-verify=false',
            ...(pushUser === undefined
              ? ['--dest-no-creds']
              : ['--dest-creds', `${pushUser}:${pushPassword}`]),
            '--digestfile',
            digestFile,
            `oci:${join(dir, 'layout')}:${tag}`,
            `docker://${host}/${repository}:${tag}`,
          ],
          { env: skopeoEnv },
        );
        const digest = (await readFile(digestFile, 'utf8')).trim();
        const mediaType =
          format === 'oci' ? image.descriptor.mediaType : index ? DOCKER_LIST : DOCKER_MANIFEST;
        const pushed: PushedImage = { digest, mediaType };
        if (index) {
          const res = await fetch(
            `${url}/v2/${repository}/manifests/${digest}`,
            await authorized(repository, { headers: { Accept: mediaType } }),
          );
          pushed.manifests = ((await res.json()) as { manifests: OciDescriptor[] }).manifests;
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
        const res = await fetch(new URL(next, url), await authorized(repository));
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
      const res = await fetch(
        `${url}/v2/${repository}/manifests/${digest}`,
        await authorized(repository, { method: 'DELETE' }),
      );
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
      await tokenServer?.close();
      await removeTempDir(root);
    },
  };
}
