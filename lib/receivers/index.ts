import { acrReceiver } from './acr.ts';
import { bitbucketReceiver } from './bitbucket.ts';
import { distributionReceiver } from './distribution.ts';
import { dockerhubReceiver } from './dockerhub.ts';
import { ecrReceiver } from './ecr.ts';
import { gcrReceiver } from './gcr.ts';
import { genericReceiver } from './generic.ts';
import { genericHmacReceiver } from './generic-hmac.ts';
import { giteaReceiver } from './gitea.ts';
import { githubReceiver } from './github.ts';
import { gitlabReceiver } from './gitlab.ts';
import { harborReceiver } from './harbor.ts';
import { nexusReceiver } from './nexus.ts';
import { quayReceiver } from './quay.ts';
import type { ReceiverHandler } from './receiver-handler.ts';

export { acrReceiver } from './acr.ts';
export { bitbucketReceiver } from './bitbucket.ts';
export { distributionReceiver } from './distribution.ts';
export { dockerhubReceiver } from './dockerhub.ts';
export type { EcrImageActionDetail } from './ecr.ts';
export { ecrEventHints, ecrReceiver } from './ecr.ts';
export type { GcrReceiverOptions } from './gcr.ts';
export { createGcrReceiver, GOOGLE_JWKS_URL, gcrReceiver } from './gcr.ts';
export { genericHmacReceiver } from './generic-hmac.ts';
export type { GitPush } from './git-push.ts';
export {
  followedRef,
  gitPushOutcome,
  isDeletion,
  normaliseGitUrl,
  requireListedEvent,
  revisionOf,
} from './git-push.ts';
export { giteaReceiver } from './gitea.ts';
export type { GitHubEventHandler } from './github.ts';
export { GITHUB_EVENTS, githubReceiver } from './github.ts';
export { gitlabReceiver } from './gitlab.ts';
export { harborReceiver } from './harbor.ts';
export type { ImageHint } from './image-hints.ts';
export { scanJobsForHints } from './image-hints.ts';
export { nexusReceiver } from './nexus.ts';
export { quayReceiver } from './quay.ts';
export type { ReceiverHandler, ReceiverOutcome, ReceiverRequest } from './receiver-handler.ts';
export { ReceiverAuthError, ReceiverPayloadError } from './receiver-handler.ts';
export type { IndexedReceiver } from './receiver-index.ts';
export { ReceiverIndex, receiverDigest, redactDigest } from './receiver-index.ts';
export { resolveResources } from './resources.ts';
export { genericReceiver };

/** The senders ferry verifies, by Receiver `spec.type`. */
export const RECEIVER_HANDLERS: Readonly<Record<string, ReceiverHandler>> = {
  generic: genericReceiver,
  'generic-hmac': genericHmacReceiver,
  github: githubReceiver,
  ghcr: githubReceiver,
  gitlab: gitlabReceiver,
  bitbucket: bitbucketReceiver,
  bitbucketserver: bitbucketReceiver,
  gitea: giteaReceiver,
  distribution: distributionReceiver,
  dockerhub: dockerhubReceiver,
  quay: quayReceiver,
  harbor: harborReceiver,
  acr: acrReceiver,
  nexus: nexusReceiver,
  gcr: gcrReceiver,
  artifactregistry: gcrReceiver,
  ecr: ecrReceiver,
};
