/**
 * Ignore rules as Flux applies them to an artifact: gitignore syntax, the last matching rule winning,
 * `!` re-including, directory-only rules, anchoring, `.sourceignore` rules scoped to their directory,
 * and the default excludes that `spec.ignore` replaces (git's own files excepted).
 */
import { describe, expect, it } from 'vitest';
import { baseIgnoreRules, isIgnored, parseIgnoreRules } from '../../lib/source/index.ts';

type Case = { label: string; rules: string; path: string; directory?: boolean; ignored: boolean };

const cases: Case[] = [
  {
    label: 'a bare name matches at any depth',
    rules: 'secret.yaml',
    path: 'apps/a/secret.yaml',
    ignored: true,
  },
  { label: 'a bare name matches at the root', rules: 'secret.yaml', path: 'secret.yaml', ignored: true },
  { label: 'a star does not cross a slash', rules: 'apps/*.yaml', path: 'apps/a/x.yaml', ignored: false },
  { label: 'a star matches within a directory', rules: 'apps/*.yaml', path: 'apps/x.yaml', ignored: true },
  { label: 'a leading slash anchors to the root', rules: '/x.yaml', path: 'apps/x.yaml', ignored: false },
  { label: 'an anchored name matches at the root', rules: '/x.yaml', path: 'x.yaml', ignored: true },
  { label: 'a middle slash anchors too', rules: 'a/x.yaml', path: 'b/a/x.yaml', ignored: false },
  { label: 'double star spans directories', rules: 'deploy/**/*.md', path: 'deploy/a/b/c.md', ignored: true },
  { label: 'double star matches no directory', rules: 'deploy/**/*.md', path: 'deploy/c.md', ignored: true },
  { label: 'a dir rule excludes what is below', rules: 'docs/', path: 'docs/a/b.yaml', ignored: true },
  { label: 'a dir-only rule skips a file', rules: 'docs/', path: 'docs', directory: false, ignored: false },
  {
    label: 'a dir-only rule takes a directory',
    rules: 'docs/',
    path: 'docs',
    directory: true,
    ignored: true,
  },
  { label: 'negation re-includes a file', rules: '*.yaml\n!keep.yaml', path: 'a/keep.yaml', ignored: false },
  { label: 'the last match wins', rules: '!keep.yaml\n*.yaml', path: 'keep.yaml', ignored: true },
  {
    label: 'no re-include under an excluded dir',
    rules: 'a/\n!a/keep.yaml',
    path: 'a/keep.yaml',
    ignored: true,
  },
  {
    label: 're-include of the dir itself works',
    rules: '/*\n!/deploy',
    path: 'deploy/x.yaml',
    ignored: false,
  },
  { label: 'exclude all but deploy', rules: '/*\n!/deploy', path: 'apps/x.yaml', ignored: true },
  { label: 'comments are not rules', rules: '# x.yaml', path: 'x.yaml', ignored: false },
  { label: 'an escaped hash is a name', rules: '\\#x', path: '#x', ignored: true },
  { label: 'an escaped bang is a name', rules: '\\!x', path: '!x', ignored: true },
  { label: 'trailing spaces are dropped', rules: 'x.yaml   ', path: 'x.yaml', ignored: true },
  { label: 'a star matches dotfiles', rules: '*', path: '.env', ignored: true },
  { label: 'character classes', rules: 'v[12].yaml', path: 'v2.yaml', ignored: true },
];

describe('gitignore rules', () => {
  it.each(cases)('$label', ({ rules, path, directory = false, ignored }) => {
    expect(isIgnored(parseIgnoreRules(rules), path, directory)).toBe(ignored);
  });

  it('applies a .sourceignore rule only below its own directory, relative to it', () => {
    const rules = parseIgnoreRules('/local.yaml\n*.txt', 'apps');
    expect(isIgnored(rules, 'apps/local.yaml')).toBe(true);
    expect(isIgnored(rules, 'apps/a/local.yaml')).toBe(false);
    expect(isIgnored(rules, 'local.yaml')).toBe(false);
    expect(isIgnored(rules, 'apps/a/notes.txt')).toBe(true);
    expect(isIgnored(rules, 'notes.txt')).toBe(false);
  });
});

describe('default excludes', () => {
  const defaults: [string, boolean][] = [
    ['.git/config', true],
    ['.gitignore', true],
    ['apps/.gitattributes', true],
    ['.gitmodules', true],
    ['logo.png', true],
    ['apps/photo.JPG', false],
    ['apps/bundle.tar.gz', true],
    ['release.zip', true],
    ['.github/workflows/ci.yaml', true],
    ['.circleci/config.yml', true],
    ['.travis.yml', true],
    ['.gitlab-ci.yml', true],
    ['appveyor.yml', true],
    ['.drone.yml', true],
    ['cloudbuild.yaml', true],
    ['codeship-services.yml', true],
    ['codeship-steps.yml', true],
    ['tools/.goreleaser.yml', true],
    ['apps/.sops.yaml', true],
    ['.flux.yaml', true],
    ['apps/deployment.yaml', false],
    ['.sourceignore', false],
  ];

  it.each(defaults)('%s is excluded: %s', (path, ignored) => {
    expect(isIgnored(baseIgnoreRules(undefined), path)).toBe(ignored);
  });

  it('are replaced by spec.ignore, all but git files', () => {
    const rules = [...baseIgnoreRules('*.md'), ...parseIgnoreRules('*.md')];
    expect(isIgnored(rules, 'logo.png')).toBe(false);
    expect(isIgnored(rules, '.github/workflows/ci.yaml')).toBe(false);
    expect(isIgnored(rules, 'README.md')).toBe(true);
    expect(isIgnored(rules, '.git/config')).toBe(true);
    expect(isIgnored(rules, '.gitignore')).toBe(true);
  });

  it('can be overruled by a later rule', () => {
    const rules = [...baseIgnoreRules(undefined), ...parseIgnoreRules('!logo.png')];
    expect(isIgnored(rules, 'logo.png')).toBe(false);
    expect(isIgnored(rules, 'other.png')).toBe(true);
  });
});
