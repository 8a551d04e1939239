/**
 * When an ImagePolicy must look up the digest of the tag it selected (spec.digestReflectionPolicy),
 * as Flux's image-reflector-controller decides before its manifest HEAD:
 *
 * - Never: never; the recorded ref carries no digest.
 * - IfNotPresent: only when there is no recorded ref, the tag changed, or no digest was recorded; an
 *   unchanged tag keeps the digest it has, which suits immutable tags.
 * - Always: on every evaluation, so a moved mutable tag (`latest`) is noticed.
 *
 * Flux also refetches when the recorded image name differs; a caller whose ImageRepository changed
 * its image passes `previous` as undefined.
 */
export type DigestReflectionPolicy = 'Never' | 'IfNotPresent' | 'Always';

export interface RecordedRef {
  readonly tag: string;
  readonly digest?: string | undefined;
}

export function shouldReflectDigest(
  policy: DigestReflectionPolicy,
  previous: RecordedRef | undefined,
  latestTag: string,
): boolean {
  switch (policy) {
    case 'Never':
      return false;
    case 'Always':
      return true;
    case 'IfNotPresent':
      return previous === undefined || previous.tag !== latestTag || !previous.digest;
  }
}
