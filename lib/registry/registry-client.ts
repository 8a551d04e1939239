/**
 * The OCI distribution API as ferry uses it: list a repository's tags (every page, whatever page
 * size the registry grants), confirm a tag with one manifest HEAD, read a manifest, and read when an
 * image was built. Requests go through a RegistryTransport (rate limit, auth, retries).
 */
import { createHash } from 'node:crypto';
import type { ImageName } from './image-name.ts';
import { registryApiHost } from './image-name.ts';
import { nextPageUrl } from './link-header.ts';
import type { ImageIndex, ImageManifest, OciDescriptor } from './media-types.ts';
import { bareMediaType, isIndexMediaType, MANIFEST_ACCEPT, MANIFEST_MEDIA_TYPES } from './media-types.ts';
import type { RateLimitOptions } from './rate-limiter.ts';
import { HostRateLimiter, realSleep } from './rate-limiter.ts';
import type { RegistryErrorData } from './registry-errors.ts';
import { RegistryNotFoundError, RegistryProtocolError } from './registry-errors.ts';
import type { RegistryRequestOptions, RegistryTransportOptions } from './registry-transport.ts';
import { RegistryTransport } from './registry-transport.ts';
import {
  discardBody,
  MAX_CONFIG_BYTES,
  MAX_MANIFEST_BYTES,
  MAX_TAG_PAGE_BYTES,
  parseJson,
  readBody,
  readJson,
} from './response-body.ts';

export interface RegistryClientOptions extends RegistryTransportOptions {
  /** Per-host limits of the client's own limiter; ignored when `limiter` is given. */
  rateLimit?: Omit<RateLimitOptions, 'now' | 'sleep'>;
}

export interface ListTagsOptions extends RegistryRequestOptions {
  /** Tags asked for per page (`n`); 1000 by default. A registry may send fewer, or ignore it. */
  pageSize?: number;
  /** Called after each page with the number of tags listed so far. */
  onProgress?: (count: number) => void;
}

export interface ResolvedManifest {
  digest: string;
  mediaType: string;
}

export interface FetchedManifest extends ResolvedManifest {
  manifest: ImageManifest | ImageIndex;
}

export const DEFAULT_PAGE_SIZE = 1000;

const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
/** An index of indexes is legal; a chain longer than this is not an image anyone pushed. */
const MAX_INDEX_DEPTH = 3;

export class RegistryClient {
  readonly #transport: RegistryTransport;

  constructor(options: RegistryClientOptions = {}) {
    const limiter =
      options.limiter ??
      new HostRateLimiter({
        ...options.rateLimit,
        now: options.now ?? Date.now,
        sleep: options.sleep ?? realSleep,
      });
    this.#transport = new RegistryTransport({ ...options, limiter });
  }

  /**
   * Every tag of a repository, following `Link: rel="next"` until there is none. Memory grows with
   * the tags alone: each page is parsed, appended and dropped.
   */
  async listTags(image: ImageName, options: ListTagsOptions = {}): Promise<string[]> {
    const tags: string[] = [];
    for await (const page of this.tagPages(image, options)) {
      for (const tag of page) tags.push(tag);
      options.onProgress?.(tags.length);
    }
    return tags;
  }

  /** The tags of a repository page by page, for callers that store them as they come. */
  async *tagPages(image: ImageName, options: ListTagsOptions = {}): AsyncGenerator<string[]> {
    const host = registryApiHost(image.registry);
    const data: RegistryErrorData = { host, repository: image.repository };
    let path: string | undefined =
      `/v2/${image.repository}/tags/list?n=${options.pageSize ?? DEFAULT_PAGE_SIZE}`;
    const seen = new Set<string>();
    while (path !== undefined) {
      if (seen.has(path)) throw new RegistryProtocolError(`tag paging of ${image.canonical} loops`, data);
      seen.add(path);
      const res = await this.#transport.request(
        image,
        path,
        { method: 'GET', accept: 'application/json' },
        options,
      );
      if (res.status === 404) {
        await discardBody(res);
        throw new RegistryNotFoundError(`repository ${image.canonical} does not exist`, {
          ...data,
          status: 404,
        });
      }
      const pageUrl = new URL(res.url === '' ? `http://${host}${path}` : res.url);
      const next = nextPageUrl(res.headers.get('link'), pageUrl);
      if (next !== undefined && next.host !== pageUrl.host) {
        await discardBody(res);
        throw new RegistryProtocolError(`tag list of ${image.canonical} links to another host`, data);
      }
      const body = await readJson(res, MAX_TAG_PAGE_BYTES, 'tag list', data);
      const tags = (body as { tags?: unknown } | null)?.tags ?? [];
      if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string')) {
        throw new RegistryProtocolError(`tag list of ${image.canonical} is not a list of strings`, data);
      }
      path = next === undefined ? undefined : `${next.pathname}${next.search}`;
      yield tags;
    }
  }

  /**
   * What a tag points at, from one manifest HEAD; undefined when the registry has no such tag (or
   * the name cannot be a tag). Registries that leave out Docker-Content-Digest get a GET instead.
   */
  async resolveTag(
    image: ImageName,
    tag: string,
    options: RegistryRequestOptions = {},
  ): Promise<ResolvedManifest | undefined> {
    if (!TAG.test(tag) && !DIGEST.test(tag)) return undefined;
    const res = await this.#transport.request(
      image,
      manifestPath(image, tag),
      { method: 'HEAD', accept: MANIFEST_ACCEPT },
      options,
    );
    await discardBody(res);
    if (res.status === 404) return undefined;
    const digest = res.headers.get('docker-content-digest');
    const mediaType = bareMediaType(res.headers.get('content-type'));
    if (digest === null || !DIGEST.test(digest) || !MANIFEST_MEDIA_TYPES.includes(mediaType)) {
      const { manifest: _, ...resolved } = await this.getManifest(image, tag, options);
      return resolved;
    }
    return { digest, mediaType };
  }

  /** A manifest or index by tag or digest, its digest checked against its bytes. */
  async getManifest(
    image: ImageName,
    reference: string,
    options: RegistryRequestOptions = {},
  ): Promise<FetchedManifest> {
    const data: RegistryErrorData = {
      host: registryApiHost(image.registry),
      repository: image.repository,
      reference,
    };
    if (!TAG.test(reference) && !DIGEST.test(reference)) {
      throw new RegistryNotFoundError(`${reference} is neither a tag nor a digest`, data);
    }
    const res = await this.#transport.request(
      image,
      manifestPath(image, reference),
      { method: 'GET', accept: MANIFEST_ACCEPT },
      options,
    );
    if (res.status === 404) {
      await discardBody(res);
      throw new RegistryNotFoundError(`${imageRef(image, reference)} does not exist`, {
        ...data,
        status: 404,
      });
    }
    const headerDigest = res.headers.get('docker-content-digest');
    const contentType = bareMediaType(res.headers.get('content-type'));
    const bytes = await readBody(res, MAX_MANIFEST_BYTES, 'manifest', data);
    const digest = verifiedDigest(bytes, [reference, headerDigest], imageRef(image, reference), data);
    const manifest = parseJson(bytes, 'manifest', data) as Partial<ImageManifest & ImageIndex> | null;
    const mediaType = MANIFEST_MEDIA_TYPES.includes(contentType)
      ? contentType
      : (manifest?.mediaType ?? contentType);
    const wellFormed = isIndexMediaType(mediaType)
      ? Array.isArray(manifest?.manifests)
      : typeof manifest?.config?.digest === 'string';
    if (!wellFormed)
      throw new RegistryProtocolError(`${imageRef(image, reference)} is not a ${mediaType}`, data);
    return { digest, mediaType, manifest: manifest as ImageManifest | ImageIndex };
  }

  /**
   * When the image was built, from its config's `created`; for an index, the linux/amd64 image's (or
   * the first real platform's). Undefined when the config does not say.
   */
  async imageCreatedAt(
    image: ImageName,
    reference: string,
    options: RegistryRequestOptions = {},
  ): Promise<Date | undefined> {
    let fetched = await this.getManifest(image, reference, options);
    for (let depth = 0; isIndexMediaType(fetched.mediaType); depth++) {
      const chosen = pickPlatform((fetched.manifest as ImageIndex).manifests);
      if (chosen === undefined || depth >= MAX_INDEX_DEPTH) {
        throw new RegistryProtocolError(`${imageRef(image, reference)} is an index without a usable image`, {
          host: registryApiHost(image.registry),
          repository: image.repository,
          reference,
        });
      }
      fetched = await this.getManifest(image, chosen.digest, options);
    }
    const configDigest = (fetched.manifest as ImageManifest).config.digest;
    const config = (await this.#blobJson(image, configDigest, options)) as { created?: unknown } | null;
    const created = typeof config?.created === 'string' ? new Date(config.created) : undefined;
    return created === undefined || Number.isNaN(created.getTime()) ? undefined : created;
  }

  async #blobJson(image: ImageName, digest: string, options: RegistryRequestOptions): Promise<unknown> {
    const data: RegistryErrorData = {
      host: registryApiHost(image.registry),
      repository: image.repository,
      reference: digest,
    };
    if (!DIGEST.test(digest)) throw new RegistryProtocolError(`${digest} is not a digest`, data);
    const res = await this.#transport.request(
      image,
      `/v2/${image.repository}/blobs/${digest}`,
      { method: 'GET', accept: '*/*' },
      options,
    );
    if (res.status === 404) {
      await discardBody(res);
      throw new RegistryNotFoundError(`blob ${imageRef(image, digest)} does not exist`, {
        ...data,
        status: 404,
      });
    }
    const bytes = await readBody(res, MAX_CONFIG_BYTES, 'image config', data);
    verifiedDigest(bytes, [digest], `blob ${imageRef(image, digest)}`, data);
    return parseJson(bytes, 'image config', data);
  }
}

function manifestPath(image: ImageName, reference: string): string {
  return `/v2/${image.repository}/manifests/${reference}`;
}

function imageRef(image: ImageName, reference: string): string {
  return DIGEST.test(reference) ? `${image.canonical}@${reference}` : `${image.canonical}:${reference}`;
}

/** The sha256 of the bytes, which every sha256 digest claimed for them must equal. */
function verifiedDigest(
  bytes: Buffer,
  claimed: (string | null)[],
  what: string,
  data: RegistryErrorData,
): string {
  const actual = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  for (const digest of claimed) {
    if (digest?.startsWith('sha256:') && digest !== actual) {
      throw new RegistryProtocolError(`${what}: the content does not match digest ${digest}`, data);
    }
  }
  return claimed.find((d): d is string => d !== null && DIGEST.test(d)) ?? actual;
}

function pickPlatform(manifests: OciDescriptor[]): OciDescriptor | undefined {
  return (
    manifests.find((m) => m.platform?.os === 'linux' && m.platform.architecture === 'amd64') ??
    manifests.find((m) => m.platform?.os !== 'unknown') ??
    manifests[0]
  );
}
