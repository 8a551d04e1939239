export { type AuthChallenge, parseAuthChallenges, pickAuthChallenge } from './auth-challenge.ts';
export {
  credentialsForImageRepository,
  DOCKER_CONFIG_JSON_TYPE,
  type RegistryAccess,
  type RegistryCredentials,
} from './credentials.ts';
export { credentialsFromDockerConfig, DOCKER_CONFIG_JSON_KEY, dockerConfigKeyHost } from './docker-config.ts';
export {
  type EcrClientLike,
  type EcrRegistry,
  EcrTokenSource,
  type EcrTokenSourceOptions,
  parseEcrHost,
} from './ecr-token-source.ts';
export {
  canonicalImageName,
  canonicalRegistry,
  DOCKER_HUB,
  DOCKER_HUB_API_HOST,
  type ImageName,
  ImageNameError,
  type ImageReference,
  parseImageName,
  parseImageReference,
  registryApiHost,
} from './image-name.ts';
export { nextPageUrl } from './link-header.ts';
export {
  bareMediaType,
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
  type ImageIndex,
  type ImageManifest,
  isIndexMediaType,
  MANIFEST_ACCEPT,
  MANIFEST_MEDIA_TYPES,
  OCI_INDEX,
  OCI_MANIFEST,
  type OciDescriptor,
  type OciPlatform,
} from './media-types.ts';
export {
  HostRateLimiter,
  parseRetryAfter,
  type RateLimitOptions,
  realSleep,
  type Sleep,
} from './rate-limiter.ts';
export {
  DEFAULT_PAGE_SIZE,
  type FetchedManifest,
  type ListTagsOptions,
  RegistryClient,
  type RegistryClientOptions,
  type ResolvedManifest,
} from './registry-client.ts';
export {
  RegistryAccessError,
  RegistryAuthError,
  type RegistryErrorData,
  RegistryNotFoundError,
  RegistryProtocolError,
  RegistryUnavailableError,
} from './registry-errors.ts';
export {
  type RegistryRequestOptions,
  RegistryTransport,
  type RegistryTransportOptions,
} from './registry-transport.ts';
export {
  DEFAULT_TOKEN_LIFETIME_SECONDS,
  TokenCache,
  type TokenCacheOptions,
  tokenCacheKey,
} from './token-cache.ts';
