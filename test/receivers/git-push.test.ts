import { describe, expect, it } from 'vitest';
import {
  followedRef,
  gitPushOutcome,
  isDeletion,
  normaliseGitUrl,
  revisionOf,
} from '../../lib/receivers/index.ts';
import { gitPushFixture, syncs } from './git-push-fixture.ts';

const SHA = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
const ZERO = '0000000000000000000000000000000000000000';
const PUSHED = ['https://github.com/Codertocat/Hello-World.git', 'git@github.com:Codertocat/Hello-World.git'];

describe('normalised git URLs', () => {
  it.each([
    ['https with .git', 'https://github.com/Codertocat/Hello-World.git'],
    ['https without .git, trailing slash', 'https://github.com/codertocat/hello-world/'],
    ['http with user and port', 'http://user@GitHub.com:8080/Codertocat/Hello-World'],
    ['ssh URL', 'ssh://git@github.com/Codertocat/Hello-World.git'],
    ['ssh URL with port', 'ssh://git@github.com:22/Codertocat/Hello-World.git'],
    ['scp-like', 'git@github.com:Codertocat/Hello-World.git'],
    ['scp-like without user', 'github.com:Codertocat/Hello-World'],
    ['git protocol', 'git://github.com/Codertocat/Hello-World.git'],
  ])('reads the %s form as host/path', (_label, url) => {
    expect(normaliseGitUrl(url)).toBe('github.com/codertocat/hello-world');
  });

  it.each([
    ['a subgroup path', 'git@gitlab.com:group/sub/project.git', 'gitlab.com/group/sub/project'],
    ['a Bitbucket Server clone', 'ssh://git@bb.example.com:7999/proj/repo.git', 'bb.example.com/proj/repo'],
    ['no path', 'https://github.com/', undefined],
    ['not a URL', 'not a url', undefined],
  ])('reads %s', (_label, url, expected) => {
    expect(normaliseGitUrl(url)).toBe(expected);
  });
});

describe('which ref a GitRepository follows', () => {
  it.each([
    ['no ref: master', undefined, 'refs/heads/master', 'master'],
    ['no ref: not main', undefined, 'refs/heads/main', undefined],
    ['its branch', { branch: 'main' }, 'refs/heads/main', 'main'],
    ['a branch with slashes', { branch: 'release/1.x' }, 'refs/heads/release/1.x', 'release/1.x'],
    ['not another branch', { branch: 'main' }, 'refs/heads/dev', undefined],
    ['not a tag of its branch name', { branch: 'main' }, 'refs/tags/main', undefined],
    ['its tag', { tag: 'v1.0.0' }, 'refs/tags/v1.0.0', 'v1.0.0'],
    ['not another tag', { tag: 'v1.0.0' }, 'refs/tags/v1.0.1', undefined],
    ['any tag under semver', { semver: '>=1.0.0' }, 'refs/tags/v0.1.0', 'v0.1.0'],
    ['no branch under semver', { semver: '>=1.0.0', branch: 'main' }, 'refs/heads/main', undefined],
    ['tag over branch', { tag: 'v1', branch: 'main' }, 'refs/heads/main', undefined],
    ['never a pinned commit', { commit: SHA, branch: 'main' }, 'refs/heads/main', undefined],
    ['its full name exactly', { name: 'refs/heads/main' }, 'refs/heads/main', 'refs/heads/main'],
    ['not a name by its short form', { name: 'refs/pull/1/head' }, 'refs/heads/main', undefined],
  ])('%s', (_label, ref, pushed, expected) => {
    expect(followedRef(ref, pushed)).toBe(expected);
  });

  it('writes revisions as Flux does and knows a deletion', () => {
    expect(revisionOf('main', SHA.toUpperCase())).toBe(`main@sha1:${SHA}`);
    expect(revisionOf('v1', 'a'.repeat(64))).toBe(`v1@sha256:${'a'.repeat(64)}`);
    expect([ZERO, '', null, undefined, SHA].map(isDeletion)).toEqual([true, true, true, true, false]);
  });
});

describe('git push outcome', () => {
  const repositories = {
    fleet: { url: 'https://github.com/codertocat/hello-world', labels: { team: 'a' } },
    'fleet-ssh': { url: 'ssh://git@github.com/Codertocat/Hello-World.git', ref: { branch: 'master' } },
    'fleet-main': { url: 'https://github.com/Codertocat/Hello-World.git', ref: { branch: 'main' } },
    'fleet-semver': { url: 'https://github.com/Codertocat/Hello-World.git', ref: { semver: '1.x' } },
    other: { url: 'https://github.com/other/repo.git', labels: { team: 'a' } },
    elsewhere: { url: 'https://github.com/Codertocat/Hello-World.git', namespace: 'apps' },
  };

  it('syncs every GitRepository of the namespace that fetches the repository and follows the ref', () => {
    const { receiver, config } = gitPushFixture('github', { repositories });
    const outcome = gitPushOutcome({ receiver, config }, [
      { repositoryUrls: PUSHED, ref: 'refs/heads/master', sha: SHA },
    ]);
    expect(syncs(outcome)).toEqual([
      `flux-system/fleet master@sha1:${SHA}`,
      `flux-system/fleet-ssh master@sha1:${SHA}`,
    ]);
    expect(outcome.message).toBe(
      'sync requested for 2 GitRepository(ies): flux-system/fleet, flux-system/fleet-ssh',
    );
  });

  it('narrows `*` by matchLabels, and takes a named GitRepository whatever its URL', () => {
    const { receiver, config } = gitPushFixture('github', {
      repositories,
      resources: [
        { kind: 'GitRepository', name: '*', matchLabels: { team: 'a' } },
        { kind: 'GitRepository', name: 'fleet-main' },
        { kind: 'GitRepository', name: 'other' },
        { kind: 'Kustomization', name: 'apps' },
      ],
    });
    const push = (ref: string) =>
      gitPushOutcome({ receiver, config }, [{ repositoryUrls: PUSHED, ref, sha: SHA }]);
    expect(syncs(push('refs/heads/master'))).toEqual([
      `flux-system/fleet master@sha1:${SHA}`,
      `flux-system/other master@sha1:${SHA}`,
    ]);
    expect(syncs(push('refs/heads/main'))).toEqual([`flux-system/fleet-main main@sha1:${SHA}`]);
  });

  it('gives no hint when two refs of one push reach one GitRepository', () => {
    const { receiver, config } = gitPushFixture('bitbucket', { repositories });
    const outcome = gitPushOutcome({ receiver, config }, [
      { repositoryUrls: PUSHED, ref: 'refs/tags/1.0.0', sha: SHA },
      { repositoryUrls: PUSHED, ref: 'refs/tags/1.1.0', sha: SHA },
      { repositoryUrls: PUSHED, ref: 'refs/heads/feature', sha: SHA },
    ]);
    expect(syncs(outcome)).toEqual(['flux-system/fleet-semver (no hint)']);
  });

  it.each([
    [
      'a branch nobody follows',
      [{ ref: 'refs/heads/feature', sha: SHA }],
      'no GitRepository follows refs/heads/feature',
    ],
    ['a deleted branch', [{ ref: 'refs/heads/master', sha: ZERO }], 'refs/heads/master deleted'],
    ['a push of no ref', [], 'the push changed no ref'],
  ])('changes nothing for %s, and says so', (_label, pushes, message) => {
    const { receiver, config } = gitPushFixture('github', { repositories });
    const outcome = gitPushOutcome(
      { receiver, config },
      pushes.map((p) => ({ ...p, repositoryUrls: PUSHED })),
    );
    expect(outcome).toEqual({ jobs: [], message: `nothing to sync: ${message}` });
  });
});
