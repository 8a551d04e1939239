import { describe, expect, it } from 'vitest';
import {
  commitSha,
  commitStatusContext,
  commitStatusDescription,
  commitStatusSkipReason,
} from '../../../lib/notify/commit-status.ts';
import { parseGitAddress } from '../../../lib/notify/git-address.ts';
import { endpoint, event, SHA } from './fixtures.ts';

describe('commit of an event', () => {
  it.each([
    ['branch@sha1:', { revision: `main@sha1:${SHA}` }, SHA],
    ['nested branch', { revision: `release/v1@sha1:${SHA}` }, SHA],
    ['sha1: only', { revision: `sha1:${SHA}` }, SHA],
    ['legacy branch/sha', { revision: `main/${SHA}` }, SHA],
    ['bare sha', { revision: SHA }, SHA],
    ['upper case', { revision: `main@sha1:${SHA.toUpperCase()}` }, SHA],
    ['commit_sha', { commit_sha: SHA }, SHA],
    ['revision before commit_sha', { revision: `main@sha1:${SHA}`, commit_sha: 'abcdef0' }, SHA],
    ['not a sha falls back to commit_sha', { revision: 'v1.2.3', commit_sha: 'abcdef0' }, 'abcdef0'],
    ['tag without sha', { revision: 'v1.2.3' }, undefined],
    ['nothing', {}, undefined],
  ])('%s', (_label, metadata: Record<string, string>, sha) => {
    expect(commitSha(event({ metadata }))).toBe(sha);
  });
});

describe('commit status rules', () => {
  it('skips Progressing events and events without a commit', () => {
    expect(commitStatusSkipReason(event({ reason: 'Progressing' }))).toBe(
      'Progressing events set no commit status',
    );
    expect(commitStatusSkipReason(event({ metadata: {} }))).toMatch(/names no commit/);
    expect(commitStatusSkipReason(event())).toBeUndefined();
  });

  it('names the status kind/name/8 hex of the Provider, lower-cased, distinct per Provider', () => {
    const e = event({ involvedObject: { kind: 'Kustomization', name: 'Apps', namespace: 'x' } });
    const a = commitStatusContext(endpoint('github', 'https://github.com/o/r', { name: 'a' }), e);
    const b = commitStatusContext(endpoint('github', 'https://github.com/o/r', { name: 'b' }), e);
    expect(a).toMatch(/^kustomization\/apps\/[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
  });

  it.each([
    ['ReconciliationSucceeded', 'info', 'reconciliation succeeded'],
    ['HealthCheckFailed', 'error', 'health check failed: boom'],
    ['DependencyNotReady', 'info', 'dependency not ready'],
    ['ArtifactUpToDate', 'info', 'artifact up to date'],
    ['BuildFailed', 'error', 'build failed: boom'],
  ] as const)('describes %s (%s)', (reason, severity, description) => {
    expect(commitStatusDescription(event({ reason, severity }), 'boom\nmore')).toBe(description);
  });
});

describe('git address', () => {
  it.each([
    [
      'https',
      'https://gitlab.com/group/sub/project.git',
      { origin: 'https://gitlab.com', path: 'group/sub/project' },
    ],
    [
      'http with port',
      'http://127.0.0.1:8080/org/repo',
      { origin: 'http://127.0.0.1:8080', path: 'org/repo' },
    ],
    [
      'ssh with port',
      'ssh://git@host.example:2222/org/repo.git',
      { origin: 'https://host.example', path: 'org/repo' },
    ],
    ['scp-like', 'git@host.example:org/repo.git', { origin: 'https://host.example', path: 'org/repo' }],
    ['no path', 'https://github.com/', undefined],
    ['not a URL', 'just words', undefined],
    ['other scheme', 'ftp://host/org/repo', undefined],
  ])('%s', (_label, address, parsed) => {
    expect(parseGitAddress(address)).toEqual(parsed);
  });
});
