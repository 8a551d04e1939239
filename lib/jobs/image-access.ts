/**
 * How to reach an image's registry. With ImageRepositories, the first one's settings (secretRef,
 * provider, insecure) serve the scan: they name the same image, so any of them lists the same tags.
 * An image only v1 workloads use has no object to say: as fluxd did, credentials are looked up by
 * registry host among the config's dockerconfigjson Secrets, and plain HTTP is used for a host some
 * ImageRepository already marks insecure.
 */
import type { ConfigSet, ImageRepository } from '../config/index.ts';
import { isSuspended } from '../config/index.ts';
import type { EcrTokenSource, RegistryAccess } from '../registry/index.ts';
import {
  canonicalImageName,
  credentialsForImageRepository,
  credentialsFromDockerConfig,
  DOCKER_CONFIG_JSON_TYPE,
  parseImageName,
} from '../registry/index.ts';

export async function registryAccessFor(
  image: string,
  config: ConfigSet,
  ecr?: EcrTokenSource,
): Promise<RegistryAccess> {
  const [first] = repositoriesOf(image, config);
  if (first) return await credentialsForImageRepository(first, config, ecr ? { ecr } : {});
  const name = parseImageName(image);
  const insecure = config
    .list('ImageRepository')
    .some((r) => r.spec.insecure === true && parseImageName(r.spec.image).registry === name.registry);
  for (const secret of config.list('Secret')) {
    if (secret.type !== DOCKER_CONFIG_JSON_TYPE) continue;
    const credentials = credentialsFromDockerConfig(secret.values, name.registry);
    if (credentials) return { image: name, credentials, insecure };
  }
  return { image: name, insecure };
}

/** The ImageRepositories of a canonical image that are not suspended. */
export function repositoriesOf(image: string, config: ConfigSet): ImageRepository[] {
  return config
    .list('ImageRepository')
    .filter((r) => !isSuspended(r) && canonicalImageName(r.spec.image) === image);
}
