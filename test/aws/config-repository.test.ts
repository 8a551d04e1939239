/** The config of a deployed ferry, read from a config repository on the git server. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigRepository } from '../../lib/aws/config-repository.ts';
import { SecretParameterError } from '../../lib/aws/secret-parameter.ts';
import { ConfigError } from '../../lib/config/index.ts';
import type { TerminalError } from '../../lib/errors.ts';
import type { GitServer } from '../support/git-server.ts';
import { startGitServer } from '../support/git-server.ts';
import { captureLogs } from '../support/log-capture.ts';
import { MemoryParameters } from './memory-parameters.ts';

const gitRepository = (name: string, secret?: string) => `---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: ${name} }
spec: { url: https://example.com/${name}.git, interval: 5m${secret ? `, secretRef: { name: ${secret} }` : ''} }
`;

describe('config repository', () => {
  let git: GitServer;
  let dir: string;
  let count = 0;
  /** The server reads it on every request, so a test can rotate the password. */
  const serverAuth = { username: 'ferry', password: 'config-pass' };

  beforeAll(async () => {
    git = await startGitServer({ auth: serverAuth });
    dir = await mkdtemp(join(tmpdir(), 'ferry-config-repo-'));
  });
  afterAll(async () => {
    await git?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const setup = async (files: Record<string, string>) => {
    const repo = await git.createRepo(`config-${++count}`);
    const sha = await git.commitFiles(repo, files);
    const parameters = new MemoryParameters();
    parameters.values.set(
      '/ferry/test/config-repository',
      JSON.stringify({ username: 'ferry', password: 'config-pass' }),
    );
    const logs = captureLogs();
    let now = 1_000;
    const configs = new ConfigRepository({
      url: repo.url,
      branch: 'main',
      path: 'clusters/prod',
      cacheDir: join(dir, `cache-${count}`),
      parameters,
      prefix: '/ferry/test',
      log: logs.log,
      recheckMs: 60_000,
      now: () => now,
    });
    return { repo, sha, parameters, logs, configs, tick: (ms: number) => (now += ms) };
  };

  it('loads the YAML under the path at the branch head, with the credentials from the parameter store', async () => {
    const { configs, sha } = await setup({
      'clusters/prod/sources.yaml': gitRepository('fleet'),
      'clusters/prod/nested/more.yml': gitRepository('more'),
      'clusters/prod/.github/workflow.yaml': 'not: [valid',
      'clusters/prod/README.md': '# not config',
      'clusters/staging/other.yaml': gitRepository('staging-only'),
    });
    const { config, revision } = await configs.load();
    expect(revision).toBe(`main@sha1:${sha}`);
    expect(config.list('GitRepository').map((r) => [r.metadata.name, r.source.file])).toEqual([
      ['fleet', 'sources.yaml'],
      ['more', 'nested/more.yml'],
    ]);
  });

  it('adds the referenced Secrets the repository lacks from <prefix>/<namespace>/<name>, and no others', async () => {
    const { configs, parameters } = await setup({
      'clusters/prod/sources.yaml':
        gitRepository('fleet', 'fleet-creds') +
        gitRepository('local', 'in-repo') +
        '---\napiVersion: v1\nkind: Secret\nmetadata: { name: in-repo }\nstringData: { bearerToken: t }\n',
    });
    parameters.values.set('/ferry/test/flux-system/fleet-creds', '{"username":"bot","password":"pw"}');
    const { config } = await configs.load();
    expect(config.secretValues('flux-system', 'fleet-creds')).toEqual({ username: 'bot', password: 'pw' });
    expect(config.secretValues('flux-system', 'in-repo')).toEqual({ bearerToken: 't' });
    expect(parameters.reads).not.toContain('/ferry/test/flux-system/in-repo');
  });

  it('fails a first load whose Secret is in neither place, naming the Secret and the referrer', async () => {
    const { configs } = await setup({ 'clusters/prod/sources.yaml': gitRepository('fleet', 'nowhere') });
    const error = await configs.load().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('Secret flux-system/nowhere does not exist');
    expect((error as Error).message).toContain('sources.yaml');
  });

  it('refuses credentials that are not a JSON object, naming the parameter and never quoting it', async () => {
    const { configs, parameters } = await setup({ 'clusters/prod/sources.yaml': gitRepository('fleet') });
    parameters.values.set('/ferry/test/config-repository', 'ferry:config-pass');
    const error = await configs.load().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretParameterError);
    expect((error as Error).message).toContain('/ferry/test/config-repository');
    expect(
      JSON.stringify({ message: (error as Error).message, data: (error as TerminalError).data }),
    ).not.toContain('config-pass');
  });

  it('looks at the branch again once recheckMs has passed; a bad new revision keeps the config in force', async () => {
    const { configs, repo, logs, tick } = await setup({
      'clusters/prod/sources.yaml': gitRepository('fleet'),
    });
    const first = await configs.load();
    const second = await git.commitFiles(repo, { 'clusters/prod/more.yaml': gitRepository('more') });
    tick(59_999);
    expect(await configs.load()).toBe(first);
    tick(1);
    const moved = await configs.load();
    expect(moved.revision).toBe(`main@sha1:${second}`);
    expect(moved.config.list('GitRepository')).toHaveLength(2);

    await git.commitFiles(repo, {
      'clusters/prod/broken.yaml':
        'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: { name: x }\nspec: {}\n',
    });
    const kept = await configs.load({ force: true });
    expect(kept.revision).toBe(moved.revision);
    expect(kept.config).toBe(moved.config);
    expect(logs.lines().map((l) => l.msg)).toContain('config reload failed; keeping the config in force');
  });

  it('uses rotated repository credentials at the next look', async () => {
    const { configs, parameters, repo, tick } = await setup({
      'clusters/prod/sources.yaml': gitRepository('fleet'),
    });
    await configs.load();
    const second = await git.commitFiles(repo, { 'clusters/prod/more.yaml': gitRepository('more') });
    try {
      serverAuth.password = 'rotated-pass';
      parameters.values.set(
        '/ferry/test/config-repository',
        JSON.stringify({ username: 'ferry', password: 'rotated-pass' }),
      );
      tick(60_000);
      expect((await configs.load()).revision).toBe(`main@sha1:${second}`);
    } finally {
      serverAuth.password = 'config-pass';
    }
  });

  it('picks up a rotated Secret at the next look, without a new commit', async () => {
    const { configs, parameters, tick } = await setup({
      'clusters/prod/sources.yaml': gitRepository('fleet', 'creds'),
    });
    parameters.values.set('/ferry/test/flux-system/creds', '{"bearerToken":"old"}');
    const first = await configs.load();
    parameters.values.set('/ferry/test/flux-system/creds', '{"bearerToken":"new"}');
    tick(60_000);
    const rotated = await configs.load();
    expect(rotated.revision).toBe(first.revision);
    expect(rotated.config.secretValues('flux-system', 'creds')).toEqual({ bearerToken: 'new' });
  });
});
