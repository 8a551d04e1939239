/**
 * Manifest media types. A registry answers "manifest unknown" to a client whose Accept header does
 * not list the type a tag points at, so every request for a manifest lists all four: a client that
 * asked only for Docker types would see OCI images as missing.
 */

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

export const MANIFEST_MEDIA_TYPES: readonly string[] = [
  OCI_MANIFEST,
  OCI_INDEX,
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
];

/** The Accept header of every manifest request. */
export const MANIFEST_ACCEPT = MANIFEST_MEDIA_TYPES.join(', ');

/** Whether a manifest lists other manifests (one per platform) rather than layers. */
export function isIndexMediaType(mediaType: string): boolean {
  return mediaType === OCI_INDEX || mediaType === DOCKER_MANIFEST_LIST;
}

/** The bare media type of a Content-Type header: no parameters, lower case. */
export function bareMediaType(contentType: string | null | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

export interface OciPlatform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface OciDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: OciPlatform;
  annotations?: Record<string, string>;
}

/** An image manifest (OCI or Docker v2 schema 2): the fields ferry reads. */
export interface ImageManifest {
  schemaVersion: number;
  mediaType?: string;
  config: OciDescriptor;
  layers: OciDescriptor[];
  annotations?: Record<string, string>;
}

/** An image index (OCI) or manifest list (Docker): one manifest per platform. */
export interface ImageIndex {
  schemaVersion: number;
  mediaType?: string;
  manifests: OciDescriptor[];
  annotations?: Record<string, string>;
}
