/**
 * The config of a deployed ferry: the Flux objects under a path of a branch of the config
 * repository, plus the Secrets they reference that the repository does not hold, read from the
 * parameter store. A function loads it at cold start and keeps it: the branch is looked at again
 * when `recheckMs` has passed since the last look (one ref advertisement, nothing fetched when
 * the head did not move), so a push to the config repository is in force everywhere within that
 * time. The files are kept per revision and the loaded ConfigSet per revision and Secret texts, so
 * a warm function re-validates only when something changed. A new config that fails validation, or
 * a fetch that fails, keeps the one in force (logged); only the first load throws.
 */
import { createHash } from 'node:crypto';
import type { ConfigFile, ConfigSet } from '../config/index.ts';
import { loadConfigFiles } from '../config/index.ts';
import type { GitAuth, GitRepository } from '../git/index.ts';
import { gitAuthFromSecret, normalizeTreePath, openGitRepository } from '../git/index.ts';
import type { Logger } from '../observe/logger.ts';
import type { ParameterSource } from './parameter-source.ts';
import { referencedSecrets } from './referenced-secrets.ts';
import { SecretParameterError, secretConfigFile, secretParameterName } from './secret-parameter.ts';

export interface ConfigRepositoryOptions {
  url: string;
  branch: string;
  /** The directory of the config in the repository (`.` for all of it). */
  path: string;
  /** Parent of the git object caches (under /tmp in a function). */
  cacheDir: string;
  /** Where Secrets and the repository's own credentials live; cache it (cachedParameterSource). */
  parameters: ParameterSource;
  /** `/ferry/<stage>`. */
  prefix: string;
  log: Logger;
  /** How long a loaded config is used before the branch is looked at again; 60 s by default. */
  recheckMs?: number;
  now?: () => number;
}

export interface LoadedConfig {
  config: ConfigSet;
  /** `<branch>@sha1:<commit>`, as Flux writes a revision. */
  revision: string;
}

export class ConfigRepository {
  readonly #options: ConfigRepositoryOptions;
  /** The repository opened with the credentials parameter's text it was opened with. */
  #repository: { credentials: string | undefined; handle: Promise<GitRepository> } | undefined;
  #files: { commit: string; files: ConfigFile[] } | undefined;
  #loaded: (LoadedConfig & { fingerprint: string; at: number }) | undefined;
  #loading: Promise<LoadedConfig> | undefined;

  constructor(options: ConfigRepositoryOptions) {
    this.#options = options;
  }

  /** The config in force, or undefined before the first load. */
  get current(): LoadedConfig | undefined {
    return this.#loaded;
  }

  /** The config, looked at again when `recheckMs` has passed or `force` is set. */
  async load(options: { force?: boolean } = {}): Promise<LoadedConfig> {
    const { recheckMs = 60_000, now = Date.now } = this.#options;
    const loaded = this.#loaded;
    if (loaded && !options.force && now() - loaded.at < recheckMs) return loaded;
    this.#loading ??= this.#reload().finally(() => {
      this.#loading = undefined;
    });
    return await this.#loading;
  }

  async #reload(): Promise<LoadedConfig> {
    const { branch, log, now = Date.now } = this.#options;
    const previous = this.#loaded;
    try {
      const repository = await this.#repositoryHandle();
      const commit = await repository.fetchBranch(branch);
      const files = await this.#filesAt(repository, commit);
      const secrets = await this.#secretFiles(files);
      const fingerprint = createHash('sha256')
        .update(JSON.stringify([commit, secrets]))
        .digest('hex');
      const revision = `${branch}@sha1:${commit}`;
      const config =
        previous?.fingerprint === fingerprint ? previous.config : loadConfigFiles([...files, ...secrets]);
      if (previous?.fingerprint !== fingerprint)
        log.info({ revision, objects: config.size }, 'config loaded from the config repository');
      this.#loaded = { config, revision, fingerprint, at: now() };
      return this.#loaded;
    } catch (error) {
      if (!previous) throw error;
      log.error({ err: error }, 'config reload failed; keeping the config in force');
      this.#loaded = { ...previous, at: now() };
      return this.#loaded;
    }
  }

  /** Opened again when the credentials parameter changed, so that rotated credentials take effect. */
  async #repositoryHandle(): Promise<GitRepository> {
    const { url, cacheDir, log, parameters, prefix } = this.#options;
    const parameter = `${prefix.replace(/\/+$/, '')}/config-repository`;
    const credentials = await parameters.get(parameter);
    const held = this.#repository;
    if (held && held.credentials === credentials) return await held.handle;
    const handle = (async () => {
      const auth: GitAuth | undefined = credentials
        ? gitAuthFromSecret(credentialsOf(parameter, credentials))
        : undefined;
      return await openGitRepository({ url, auth, cacheDir, log });
    })();
    this.#repository = { credentials, handle };
    handle.catch(() => {
      if (this.#repository?.handle === handle) this.#repository = undefined;
    });
    return await handle;
  }

  /**
   * The config as it was at an earlier revision of the branch (`<branch>@sha1:<commit>`), with
   * today's Secrets: what a removed Kustomization was, to reach its cluster and prune it.
   */
  async configAt(revision: string): Promise<ConfigSet> {
    const commit = revision.slice(revision.lastIndexOf(':') + 1);
    const repository = await this.#repositoryHandle();
    await repository.fetchCommit(commit, { branch: this.#options.branch });
    const files = await this.#readFiles(repository, commit);
    return loadConfigFiles([...files, ...(await this.#secretFiles(files))]);
  }

  async #filesAt(repository: GitRepository, commit: string): Promise<ConfigFile[]> {
    if (this.#files?.commit === commit) return this.#files.files;
    const files = await this.#readFiles(repository, commit);
    this.#files = { commit, files };
    return files;
  }

  async #readFiles(repository: GitRepository, commit: string): Promise<ConfigFile[]> {
    const root = normalizeTreePath(this.#options.path);
    const decoder = new TextDecoder();
    const tree = await repository.readFiles(commit, root, (path) => isConfigFile(root, path));
    const files = tree
      .map((f) => ({
        path: root === '' ? f.path : f.path.slice(root.length + 1),
        content: decoder.decode(f.bytes),
      }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return files;
  }

  /** The referenced Secrets the files do not define, from the parameter store; absent ones are left out. */
  async #secretFiles(files: readonly ConfigFile[]): Promise<ConfigFile[]> {
    const { parameters, prefix } = this.#options;
    const { referenced, defined } = referencedSecrets(files);
    const wanted = [...referenced.values()].filter((r) => !defined.has(`${r.namespace}/${r.name}`));
    const found = await Promise.all(
      wanted.map(async ({ namespace, name }) => {
        const parameter = secretParameterName(prefix, namespace, name);
        const text = await parameters.get(parameter);
        return text === undefined ? undefined : secretConfigFile(parameter, namespace, name, text);
      }),
    );
    return found.filter((f) => f !== undefined);
  }
}

/** YAML files under the config path, skipping dot-directories, as the local loader does. */
function isConfigFile(root: string, path: string): boolean {
  const inside = root === '' ? path : path.slice(root.length + 1);
  const segments = inside.split('/');
  return /\.ya?ml$/.test(inside) && segments.slice(0, -1).every((s) => !s.startsWith('.'));
}

/** The repository's credentials as a JSON object; the parser's own message would quote the secret. */
function credentialsOf(parameter: string, text: string): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new SecretParameterError(
      `parameter ${parameter} is not a JSON object of git credentials (username and password, or bearerToken)`,
      { data: { parameter } },
    );
  return value as Record<string, string>;
}
