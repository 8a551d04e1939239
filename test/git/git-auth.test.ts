import { describe, expect, it } from 'vitest';
import type { GitAuth } from '../../lib/git/git-auth.ts';
import {
  authorizationHeader,
  gitAuthFromSecret,
  redactUrl,
  splitUrlCredentials,
} from '../../lib/git/git-auth.ts';
import { GitConfigError } from '../../lib/git/git-errors.ts';
import { normalizeTreePath } from '../../lib/git/read-tree.ts';

describe('git credentials from a GitRepository Secret', () => {
  it.each<[string, Record<string, string>, GitAuth | undefined]>([
    [
      'username and password are basic auth',
      { username: 'git', password: 's3cret' },
      { type: 'basic', username: 'git', password: 's3cret' },
    ],
    [
      'a username alone is basic auth with an empty password',
      { username: 'git' },
      { type: 'basic', username: 'git', password: '' },
    ],
    ['bearerToken is a token', { bearerToken: 'tok' }, { type: 'bearer', token: 'tok' }],
    [
      'bearerToken wins over basic auth, as in Flux',
      { bearerToken: 'tok', username: 'u', password: 'p' },
      { type: 'bearer', token: 'tok' },
    ],
    ['a Secret with only a CA holds no credentials', { 'ca.crt': '-----BEGIN CERTIFICATE-----' }, undefined],
  ])('%s', (_label, values, auth) => {
    expect(gitAuthFromSecret(values)).toEqual(auth);
  });

  it.each([
    ['a password without a username', { password: 'p' }, /"password" but no "username"/],
    ['an empty bearerToken', { bearerToken: '' }, /"bearerToken" is empty/],
  ])('refuses %s, naming the key and not the value', (_label, values, message) => {
    expect(() => gitAuthFromSecret(values)).toThrow(GitConfigError);
    expect(() => gitAuthFromSecret(values)).toThrow(message);
  });

  it.each<[GitAuth, string]>([
    [
      { type: 'basic', username: 'git', password: 's3cret' },
      `Basic ${Buffer.from('git:s3cret').toString('base64')}`,
    ],
    [{ type: 'bearer', token: 'tok' }, 'Bearer tok'],
  ])('sends %j as one Authorization header', (auth, header) => {
    expect(authorizationHeader(auth)).toBe(header);
  });
});

describe('repository URLs', () => {
  it.each([
    ['https://git.example.com/fleet.git', 'https://git.example.com/fleet.git', undefined],
    ['https://git.example.com/fleet.git/', 'https://git.example.com/fleet.git', undefined],
    [
      'https://bot:p%40ss@git.example.com/fleet.git',
      'https://git.example.com/fleet.git',
      { type: 'basic', username: 'bot', password: 'p@ss' },
    ],
  ])('%s is %s without its credentials', (raw, url, auth) => {
    expect(splitUrlCredentials(raw)).toEqual({ url, auth });
  });

  it.each([
    ['ssh://git@example.com/fleet.git', /only http:\/\/ and https:\/\//],
    ['not a url', /not a valid URL/],
  ])('refuses %s', (raw, message) => {
    expect(() => splitUrlCredentials(raw)).toThrow(message);
  });

  it('redacts userinfo from a URL that may not even parse', () => {
    expect(redactUrl('https://user:pw@host/x.git')).toBe('https://host/x.git');
    expect(redactUrl('https://host/x.git')).toBe('https://host/x.git');
  });
});

describe('paths in a tree', () => {
  it.each([
    ['./', ''],
    ['.', ''],
    ['', ''],
    ['/', ''],
    ['./apps', 'apps'],
    ['apps/', 'apps'],
    ['./apps/./team-a//', 'apps/team-a'],
    ['/clusters/prod/app.yaml', 'clusters/prod/app.yaml'],
  ])('%j names %j', (path, normalized) => {
    expect(normalizeTreePath(path)).toBe(normalized);
  });

  it.each(['../secrets', 'apps/../../x'])('refuses %j, which leaves the repository', (path) => {
    expect(() => normalizeTreePath(path)).toThrow(GitConfigError);
  });
});
