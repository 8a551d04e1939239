import type { GetAuthorizationTokenCommandOutput } from '@aws-sdk/client-ecr';
import { describe, expect, it } from 'vitest';
import { loadConfigFiles } from '../../lib/config/index.ts';
import { failureClassOf } from '../../lib/errors.ts';
import {
  credentialsForImageRepository,
  EcrTokenSource,
  RegistryAccessError,
} from '../../lib/registry/index.ts';

const ECR = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const dockerConfig = JSON.stringify({
  auths: {
    'ghcr.io': { auth: b64('gh-user:gh-Pa55') },
    'https://index.docker.io/v1/': { username: 'hub-user', password: 'hub-Pa55' },
    [ECR]: { username: 'AWS', password: 'from-the-secret' },
  },
});

const config = loadConfigFiles([
  {
    path: 'images.yaml',
    content: `apiVersion: v1
kind: Secret
metadata: { name: pull }
type: kubernetes.io/dockerconfigjson
stringData:
  .dockerconfigjson: '${dockerConfig}'
---
apiVersion: v1
kind: Secret
metadata: { name: opaque }
stringData: { username: u, password: opaque-Pa55 }
---
apiVersion: v1
kind: Secret
metadata: { name: broken }
type: kubernetes.io/dockerconfigjson
stringData:
  .dockerconfigjson: '{"auths": {"ghcr.io": {"password": "broken-Pa55"'
${[
  ['anonymous', 'ghcr.io/team/app', ''],
  ['insecure', 'registry.local:5000/team/app', 'insecure: true'],
  ['ghcr', 'ghcr.io/team/app', 'secretRef: { name: pull }'],
  ['hub', 'nginx', 'secretRef: { name: pull }'],
  ['quay', 'quay.io/team/app', 'secretRef: { name: pull }'],
  ['opaque', 'ghcr.io/team/app', 'secretRef: { name: opaque }'],
  ['broken', 'ghcr.io/team/app', 'secretRef: { name: broken }'],
  ['ecr', `${ECR}/team/app`, 'provider: aws'],
  ['ecr-secret', `${ECR}/team/app`, 'provider: aws, secretRef: { name: pull }'],
  ['aws-elsewhere', 'ghcr.io/team/app', 'provider: aws'],
  ['gcp', 'europe-docker.pkg.dev/p/r/app', 'provider: gcp'],
  ['ca', 'ghcr.io/team/app', 'certSecretRef: { name: opaque }'],
  ['bad-image', 'ghcr.io/Team/App', ''],
]
  .map(
    ([name, image, extra]) => `---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata: { name: ${name} }
spec: { interval: 5m, image: "${image}"${extra ? `, ${extra}` : ''} }
`,
  )
  .join('')}`,
  },
]);

/** AWS cannot run here: a stub answers GetAuthorizationToken as ECR would. */
function ecrStub() {
  const calls: string[] = [];
  const ecr = new EcrTokenSource({
    clientFor: (region) => ({
      async send(): Promise<GetAuthorizationTokenCommandOutput> {
        calls.push(region);
        return {
          $metadata: {},
          authorizationData: [
            { authorizationToken: b64('AWS:from-ecr'), expiresAt: new Date(Date.now() + 12 * 3600_000) },
          ],
        };
      },
    }),
  });
  return { ecr, calls };
}

const repo = (name: string) => config.get('ImageRepository', 'flux-system', name)!;

describe('how an ImageRepository reaches its registry', () => {
  it.each([
    ['anonymously without secretRef or provider', 'anonymous', 'ghcr.io', undefined, false],
    ['over plain HTTP when insecure', 'insecure', 'registry.local:5000', undefined, true],
    [
      'with the Secret entry for its host',
      'ghcr',
      'ghcr.io',
      { username: 'gh-user', password: 'gh-Pa55' },
      false,
    ],
    [
      "with Docker Hub's entry for a Docker Hub image",
      'hub',
      'docker.io',
      { username: 'hub-user', password: 'hub-Pa55' },
      false,
    ],
    [
      'with the Secret before the provider',
      'ecr-secret',
      ECR,
      { username: 'AWS', password: 'from-the-secret' },
      false,
    ],
    ['with an ECR token for provider aws', 'ecr', ECR, { username: 'AWS', password: 'from-ecr' }, false],
  ])('reaches it %s', async (_, name, registry, credentials, insecure) => {
    const { ecr } = ecrStub();
    const access = await credentialsForImageRepository(repo(name), config, { ecr });
    expect(access).toEqual({
      image: expect.objectContaining({ registry }),
      insecure,
      ...(credentials && { credentials }),
    });
  });

  it('asks ECR only for provider aws without a Secret', async () => {
    const { ecr, calls } = ecrStub();
    await credentialsForImageRepository(repo('ecr-secret'), config, { ecr });
    await credentialsForImageRepository(repo('ecr'), config, { ecr });
    await credentialsForImageRepository(repo('ecr'), config, { ecr });
    expect(calls).toEqual(['eu-west-1']);
  });

  it.each([
    [
      'a Secret of another type',
      'opaque',
      'Secret flux-system/opaque (needed by ImageRepository/flux-system/opaque for ghcr.io) has type Opaque, not kubernetes.io/dockerconfigjson',
    ],
    [
      'a Secret without an entry for the host',
      'quay',
      'Secret flux-system/pull (needed by ImageRepository/flux-system/quay) has no credentials for quay.io',
    ],
    [
      'a Secret that is not a Docker config',
      'broken',
      'Secret flux-system/broken (needed by ImageRepository/flux-system/broken): the Docker config has a .dockerconfigjson that is not JSON',
    ],
    [
      'provider aws for a host that is not ECR',
      'aws-elsewhere',
      'ImageRepository/flux-system/aws-elsewhere has provider aws, but ghcr.io is not an Amazon ECR registry (<account>.dkr.ecr.<region>.amazonaws.com)',
    ],
    [
      'a provider ferry does not support',
      'gcp',
      'ImageRepository/flux-system/gcp: provider gcp is not supported by ferry',
    ],
    [
      'a field ferry does not honour yet',
      'ca',
      'ImageRepository/flux-system/ca: spec.certSecretRef is not supported by ferry yet',
    ],
    [
      'an image that is not an image name',
      'bad-image',
      'ImageRepository/flux-system/bad-image: spec.image invalid image reference',
    ],
  ])('fails terminally on %s, naming what to fix', async (_, name, message) => {
    const error = await credentialsForImageRepository(repo(name), config, { ecr: ecrStub().ecr }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RegistryAccessError);
    expect(failureClassOf(error)).toBe('terminal');
    expect((error as Error).message).toContain(message);
    expect(JSON.stringify([(error as Error).message, (error as RegistryAccessError).data])).not.toMatch(
      /Pa55/,
    );
  });
});
