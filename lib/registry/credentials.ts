/**
 * How ferry gets into an ImageRepository's registry, resolved from the object as Flux resolves it:
 * `spec.secretRef` (a dockerconfigjson Secret) first, else `spec.provider` (`aws`: an ECR token),
 * else anonymous; `spec.insecure` allows plain HTTP. Every misconfiguration is terminal and names
 * the object, the Secret and the host, so the Stalled condition tells the user what to fix.
 */
import type { ConfigSet, ImageRepository } from '../config/index.ts';
import { objectKey } from '../config/index.ts';
import { credentialsFromDockerConfig } from './docker-config.ts';
import { EcrTokenSource, parseEcrHost } from './ecr-token-source.ts';
import type { ImageName } from './image-name.ts';
import { ImageNameError, parseImageName, registryApiHost } from './image-name.ts';
import { RegistryAccessError } from './registry-errors.ts';

export interface RegistryCredentials {
  username: string;
  password: string;
}

/** The per-request options of RegistryClient that come from an ImageRepository. */
export interface RegistryAccess {
  image: ImageName;
  credentials?: RegistryCredentials;
  insecure: boolean;
}

export const DOCKER_CONFIG_JSON_TYPE = 'kubernetes.io/dockerconfigjson';

/** Fields Flux reads that ferry cannot honour yet: failing loudly beats scanning without them. */
const UNSUPPORTED = ['certSecretRef', 'proxySecretRef', 'serviceAccountName'] as const;

let sharedEcr: EcrTokenSource | undefined;

/**
 * The image, credentials and transport of an ImageRepository. `ecr` is the token source for
 * `provider: aws`; one shared per process unless given, so tokens are cached across scans.
 */
export async function credentialsForImageRepository(
  repo: ImageRepository,
  config: ConfigSet,
  options: { ecr?: EcrTokenSource } = {},
): Promise<RegistryAccess> {
  const referrer = objectKey(repo);
  const image = imageOf(repo, referrer);
  const host = registryApiHost(image.registry);
  const insecure = repo.spec.insecure ?? false;
  for (const field of UNSUPPORTED) {
    if (repo.spec[field] !== undefined) {
      throw new RegistryAccessError(`${referrer}: spec.${field} is not supported by ferry yet`, {
        object: referrer,
        field: `spec.${field}`,
      });
    }
  }
  const ref = repo.spec.secretRef;
  if (ref !== undefined) {
    const namespace = repo.metadata.namespace;
    return { image, insecure, credentials: secretCredentials(config, namespace, ref.name, image, referrer) };
  }
  switch (repo.spec.provider) {
    case 'generic':
      return { image, insecure };
    case 'aws': {
      if (parseEcrHost(host) === undefined) {
        throw new RegistryAccessError(
          `${referrer} has provider aws, but ${host} is not an Amazon ECR registry (<account>.dkr.ecr.<region>.amazonaws.com)`,
          { object: referrer, host },
        );
      }
      const ecr = options.ecr ?? sharedEcrTokenSource();
      return { image, insecure, credentials: await ecr.credentials(host) };
    }
    default:
      throw new RegistryAccessError(`${referrer}: provider ${repo.spec.provider} is not supported by ferry`, {
        object: referrer,
        provider: repo.spec.provider,
      });
  }
}

function sharedEcrTokenSource(): EcrTokenSource {
  sharedEcr ??= new EcrTokenSource();
  return sharedEcr;
}

function imageOf(repo: ImageRepository, referrer: string): ImageName {
  try {
    return parseImageName(repo.spec.image);
  } catch (error) {
    if (!(error instanceof ImageNameError)) throw error;
    throw new RegistryAccessError(`${referrer}: spec.image ${error.message}`, {
      object: referrer,
      field: 'spec.image',
    });
  }
}

function secretCredentials(
  config: ConfigSet,
  namespace: string,
  name: string,
  image: ImageName,
  referrer: string,
): RegistryCredentials {
  const values = config.secretValues(namespace, name, { referrer });
  const secret = config.get('Secret', namespace, name)!;
  const data = { object: referrer, secret: `${namespace}/${name}`, host: image.registry };
  if (secret.type !== DOCKER_CONFIG_JSON_TYPE) {
    throw new RegistryAccessError(
      `Secret ${namespace}/${name} (needed by ${referrer} for ${image.registry}) has type ${secret.type}, not ${DOCKER_CONFIG_JSON_TYPE}`,
      data,
    );
  }
  let credentials: RegistryCredentials | undefined;
  try {
    credentials = credentialsFromDockerConfig(values, image.registry);
  } catch (error) {
    const problem = error instanceof Error ? error.message : 'is unreadable';
    throw new RegistryAccessError(`Secret ${namespace}/${name} (needed by ${referrer}): ${problem}`, data);
  }
  if (credentials === undefined) {
    throw new RegistryAccessError(
      `Secret ${namespace}/${name} (needed by ${referrer}) has no credentials for ${image.registry}`,
      data,
    );
  }
  return credentials;
}
