import { describe, expect, it } from 'vitest';
import {
  canonicalImageName,
  ImageNameError,
  parseImageReference,
  registryApiHost,
} from '../../lib/registry/image-name.ts';

describe('image names', () => {
  it.each([
    ['nginx', 'docker.io/library/nginx'],
    ['nginx:1.25', 'docker.io/library/nginx'],
    ['library/nginx', 'docker.io/library/nginx'],
    ['docker.io/nginx', 'docker.io/library/nginx'],
    ['index.docker.io/library/nginx:latest', 'docker.io/library/nginx'],
    ['registry-1.docker.io/stefanprodan/podinfo', 'docker.io/stefanprodan/podinfo'],
    ['stefanprodan/podinfo:6.5.0', 'docker.io/stefanprodan/podinfo'],
    ['ghcr.io/fluxcd/flux-cli:v2.3.0', 'ghcr.io/fluxcd/flux-cli'],
    ['GHCR.IO/fluxcd/flux-cli', 'ghcr.io/fluxcd/flux-cli'],
    ['127.0.0.1:5000/team/app:1.2.3', '127.0.0.1:5000/team/app'],
    ['localhost/app', 'localhost/app'],
    [
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app',
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app',
    ],
    [
      `europe-docker.pkg.dev/project/repo/app@sha256:${'a'.repeat(64)}`,
      'europe-docker.pkg.dev/project/repo/app',
    ],
  ])('%s is %s', (input, canonical) => {
    expect(canonicalImageName(input)).toBe(canonical);
  });

  it('splits tag and digest', () => {
    const digest = `sha256:${'b'.repeat(64)}`;
    expect(parseImageReference(`127.0.0.1:5000/team/app:1.2.3@${digest}`)).toEqual({
      registry: '127.0.0.1:5000',
      repository: 'team/app',
      canonical: '127.0.0.1:5000/team/app',
      tag: '1.2.3',
      digest,
    });
  });

  it.each([
    ['', /empty/],
    ['Team/App', /"Team" is not a valid repository path component/],
    ['app:-bad', /"-bad" is not a valid tag/],
    ['app@sha256:xyz', /is not a digest/],
  ])('rejects %j', (input, message) => {
    expect(() => parseImageReference(input)).toThrow(ImageNameError);
    expect(() => parseImageReference(input)).toThrow(message);
  });

  it('talks to Docker Hub at its API host', () => {
    expect(registryApiHost('docker.io')).toBe('registry-1.docker.io');
    expect(registryApiHost('ghcr.io')).toBe('ghcr.io');
  });
});

describe('image hints', () => {
  it('turns hints into one scan per image and tag, by canonical name', async () => {
    const { scanJobsForHints } = await import('../../lib/receivers/image-hints.ts');
    expect(
      scanJobsForHints([
        { image: 'team/app', tag: '1.2.3' },
        { image: 'docker.io/team/app', tag: '1.2.3', digest: `sha256:${'c'.repeat(64)}` },
        { image: 'nginx', tag: '1.25' },
      ]),
    ).toEqual([
      { kind: 'scan-image', image: 'docker.io/team/app', hintTag: '1.2.3' },
      { kind: 'scan-image', image: 'docker.io/library/nginx', hintTag: '1.25' },
    ]);
  });
});
