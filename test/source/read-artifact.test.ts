/**
 * Reading a GitRepository artifact out of the object cache of a real `git http-backend` repository:
 * only the trees under the requested paths, default excludes, nested `.sourceignore` files and
 * `spec.ignore` applied as Flux does, and other repositories included at a path.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitRepository } from '../../lib/git/index.ts';
import { GitPathNotFoundError, openGitRepository } from '../../lib/git/index.ts';
import type { ArtifactRead } from '../../lib/source/index.ts';
import { readArtifact } from '../../lib/source/index.ts';
import type { GitServer } from '../support/git-server.ts';
import { startGitServer } from '../support/git-server.ts';
import { makeTempDir, removeTempDir } from '../support/processes.ts';

const pinned = { date: '2024-05-01T12:00:00Z' };

const fleetFiles = {
  '.sourceignore': '# drafts stay out\n*.md\n',
  '.github/workflows/ci.yaml': 'on: push\n',
  'apps/team-a/.sourceignore': '/local/\nsecret.yaml\n',
  'apps/team-a/deploy.yaml': 'kind: Deployment\n',
  'apps/team-a/notes.md': '# notes\n',
  'apps/team-a/logo.png': 'not really a png\n',
  'apps/team-a/local/dev.yaml': 'kind: ConfigMap\n',
  'apps/team-a/secret.yaml': 'kind: Secret\n',
  'apps/team-b/deploy.yaml': 'kind: Deployment\nname: b\n',
  'apps/team-b/secret.yaml': 'kind: Secret\n',
  'clusters/prod/kustomization.yaml': 'resources: [../../apps]\n',
  'infra/big/a.yaml': 'kind: Namespace\n',
};

const sharedFiles = {
  'README.md': '# shared\n',
  'deploy/kubernetes/base.yaml': 'kind: Service\n',
  'deploy/kubernetes/icon.png': 'png\n',
  'deploy/other.yaml': 'kind: Other\n',
};

let server: GitServer;
let work: string;
let fleet: GitRepository;
let fleetHead: string;
let shared: GitRepository;
let sharedHead: string;

beforeAll(async () => {
  server = await startGitServer();
  work = await makeTempDir('ferry-read-artifact-test-');
  const fleetRepo = await server.createRepo('fleet');
  await server.commitFiles(fleetRepo, fleetFiles, pinned);
  const sharedRepo = await server.createRepo('shared');
  await server.commitFiles(sharedRepo, sharedFiles, pinned);
  fleet = await openGitRepository({ url: fleetRepo.url, cacheDir: join(work, 'cache') });
  shared = await openGitRepository({ url: sharedRepo.url, cacheDir: join(work, 'cache') });
  fleetHead = await fleet.fetchRef('refs/heads/main');
  sharedHead = await shared.fetchRef('refs/heads/main');
});

afterAll(async () => {
  await server.close();
  await removeTempDir(work);
});

const text = (read: ArtifactRead, path: string) => Buffer.from(read.tree.read(path) ?? []).toString();
const paths = (locations: ArtifactRead['filesRead'], url: string) =>
  locations.filter((location) => location.url === url).map((location) => location.path);

describe('readArtifact', () => {
  it('reads only the trees under the requested paths, with default and .sourceignore excludes', async () => {
    const read = await readArtifact({ repo: fleet, commit: fleetHead, paths: ['./apps'] });
    expect(read.tree.list()).toEqual([
      'apps/team-a/.sourceignore',
      'apps/team-a/deploy.yaml',
      'apps/team-b/deploy.yaml',
      'apps/team-b/secret.yaml',
    ]);
    expect(text(read, 'apps/team-b/secret.yaml')).toBe('kind: Secret\n');
    expect(read.tree.read('apps/team-a/secret.yaml')).toBeUndefined();
    // The root's rules were read on the way down; nothing outside apps/, nothing excluded.
    expect(paths(read.filesRead, fleet.url).sort()).toEqual([
      '.sourceignore',
      'apps/team-a/.sourceignore',
      'apps/team-a/deploy.yaml',
      'apps/team-b/deploy.yaml',
      'apps/team-b/secret.yaml',
    ]);
    expect(paths(read.directoriesRead, fleet.url).sort()).toEqual(['', 'apps', 'apps/team-a', 'apps/team-b']);
  });

  it('reads the whole tree when no path is given, the defaults leaving out CI and images', async () => {
    const read = await readArtifact({ repo: fleet, commit: fleetHead });
    expect(read.tree.list()).toEqual([
      '.sourceignore',
      'apps/team-a/.sourceignore',
      'apps/team-a/deploy.yaml',
      'apps/team-b/deploy.yaml',
      'apps/team-b/secret.yaml',
      'clusters/prod/kustomization.yaml',
      'infra/big/a.yaml',
    ]);
    expect(read.tree.list('clusters')).toEqual(['clusters/prod/kustomization.yaml']);
  });

  it('lets spec.ignore replace the defaults and overrule .sourceignore files', async () => {
    const read = await readArtifact({
      repo: fleet,
      commit: fleetHead,
      ignore: '/infra/\n!apps/team-a/notes.md\n',
    });
    expect(read.tree.list()).toEqual([
      '.github/workflows/ci.yaml',
      '.sourceignore',
      'apps/team-a/.sourceignore',
      'apps/team-a/deploy.yaml',
      'apps/team-a/logo.png',
      'apps/team-a/notes.md',
      'apps/team-b/deploy.yaml',
      'apps/team-b/secret.yaml',
      'clusters/prod/kustomization.yaml',
    ]);
    expect(paths(read.directoriesRead, fleet.url)).not.toContain('infra');
  });

  it('reads nothing under a requested path that is excluded, and fails on one that is missing', async () => {
    const read = await readArtifact({ repo: fleet, commit: fleetHead, paths: ['apps/team-a/local'] });
    expect(read.tree.size).toBe(0);
    expect(paths(read.directoriesRead, fleet.url)).not.toContain('apps/team-a/local');
    await expect(readArtifact({ repo: fleet, commit: fleetHead, paths: ['apps/team-z'] })).rejects.toThrow(
      GitPathNotFoundError,
    );
  });

  it('includes another repository from fromPath at toPath, under its own rules', async () => {
    const include = [{ repo: shared, commit: sharedHead, fromPath: 'deploy/kubernetes', toPath: 'base/app' }];
    const read = await readArtifact({ repo: fleet, commit: fleetHead, paths: ['clusters', 'base'], include });
    expect(read.tree.list()).toEqual(['base/app/base.yaml', 'clusters/prod/kustomization.yaml']);
    expect(text(read, 'base/app/base.yaml')).toBe('kind: Service\n');
    expect(paths(read.filesRead, shared.url)).toEqual(['deploy/kubernetes/base.yaml']);

    // A path below toPath narrows into the include; one beside it leaves the include unread.
    const narrow = await readArtifact({
      repo: fleet,
      commit: fleetHead,
      paths: ['base/app/base.yaml'],
      include,
    });
    expect(narrow.tree.list()).toEqual(['base/app/base.yaml']);
    const beside = await readArtifact({ repo: fleet, commit: fleetHead, paths: ['apps/team-b'], include });
    expect(paths(beside.directoriesRead, shared.url)).toEqual([]);
    expect(beside.tree.list()).toEqual(['apps/team-b/deploy.yaml', 'apps/team-b/secret.yaml']);
  });

  it('includes a whole repository at its toPath when fromPath is not set, under the main rules too', async () => {
    const include = [{ repo: shared, commit: sharedHead, toPath: 'shared' }];
    const read = await readArtifact({ repo: fleet, commit: fleetHead, paths: ['shared'], include });
    // icon.png falls to the included repository's defaults, README.md to the main root's `*.md`.
    expect(read.tree.list()).toEqual(['shared/deploy/kubernetes/base.yaml', 'shared/deploy/other.yaml']);
    expect(paths(read.filesRead, shared.url)).toContain('README.md');
    const unruled = await readArtifact({
      repo: fleet,
      commit: fleetHead,
      paths: ['shared'],
      include,
      ignore: '!*.md',
    });
    expect(unruled.tree.list()).toContain('shared/README.md');
  });
});
