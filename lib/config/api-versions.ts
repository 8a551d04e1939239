/**
 * Which apiVersion/kind pairs ferry reads. A config directory is usually a whole cluster's manifests,
 * so anything outside the Flux groups ferry speaks (Deployments, Services, kustomize's own
 * `kustomization.yaml`) is passed over; core Secrets and ConfigMaps are read, for the objects that
 * name them. Inside those groups nothing is passed over: a HelmRepository
 * or a v1alpha1 ImagePolicy is something the user expects ferry to act on, and it will not, so the
 * load fails and says what is supported.
 */
import type * as z from 'zod';
import type { FluxKind } from './flux-object.ts';
import { alertSpecSchema } from './schemas/alert.ts';
import { gitRepositorySpecSchema } from './schemas/git-repository.ts';
import { imagePolicySpecSchemaV1, imagePolicySpecSchemaV1beta2 } from './schemas/image-policy.ts';
import { imageRepositorySpecSchema } from './schemas/image-repository.ts';
import {
  imageUpdateAutomationSpecSchemaV1,
  imageUpdateAutomationSpecSchemaV1beta2,
} from './schemas/image-update-automation.ts';
import { kustomizationSpecSchema } from './schemas/kustomization.ts';
import { providerSpecSchema } from './schemas/provider.ts';
import { receiverSpecSchema } from './schemas/receiver.ts';

export type SpecKind = Exclude<FluxKind, 'Secret' | 'ConfigMap'>;

type VersionTable = Record<string, Partial<Record<SpecKind, Record<string, z.ZodType>>>>;

/** group → kind → version → spec schema. */
const SUPPORTED: VersionTable = {
  'source.toolkit.fluxcd.io': {
    GitRepository: { v1: gitRepositorySpecSchema },
  },
  'kustomize.toolkit.fluxcd.io': {
    Kustomization: { v1: kustomizationSpecSchema },
  },
  'image.toolkit.fluxcd.io': {
    ImageRepository: { v1: imageRepositorySpecSchema, v1beta2: imageRepositorySpecSchema },
    ImagePolicy: { v1: imagePolicySpecSchemaV1, v1beta2: imagePolicySpecSchemaV1beta2 },
    ImageUpdateAutomation: {
      v1: imageUpdateAutomationSpecSchemaV1,
      v1beta2: imageUpdateAutomationSpecSchemaV1beta2,
    },
  },
  'notification.toolkit.fluxcd.io': {
    Provider: { v1beta3: providerSpecSchema },
    Alert: { v1beta3: alertSpecSchema },
    Receiver: { v1: receiverSpecSchema },
  },
};

export type Resolution =
  | { action: 'spec'; kind: SpecKind; spec: z.ZodType }
  | { action: 'secret' }
  | { action: 'config-map' }
  | { action: 'ignore' }
  | { action: 'reject'; path: 'apiVersion' | 'kind'; message: string };

/** Kinds that are never anything but Flux's (or core's Secret), so a missing apiVersion is a mistake. */
const UNMISTAKABLE_KINDS: readonly string[] = [
  'GitRepository',
  'ImageRepository',
  'ImagePolicy',
  'ImageUpdateAutomation',
  'Provider',
  'Alert',
  'Receiver',
  'Secret',
];

/** What to do with a document of this apiVersion and kind. */
export function resolveApiVersion(apiVersion: unknown, kind: unknown): Resolution {
  if (apiVersion === undefined) {
    // kustomize's kustomization.yaml may omit apiVersion and still say `kind: Kustomization`.
    return typeof kind === 'string' && UNMISTAKABLE_KINDS.includes(kind)
      ? { action: 'reject', path: 'apiVersion', message: 'is required' }
      : { action: 'ignore' };
  }
  if (typeof apiVersion !== 'string')
    return { action: 'reject', path: 'apiVersion', message: 'must be a string' };

  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  if (group === '' && version === 'v1') {
    if (kind === 'Secret') return { action: 'secret' };
    return kind === 'ConfigMap' ? { action: 'config-map' } : { action: 'ignore' };
  }

  const kinds = SUPPORTED[group];
  if (kinds === undefined) return { action: 'ignore' };
  if (kind === undefined) return { action: 'reject', path: 'kind', message: 'is required' };
  if (typeof kind !== 'string') return { action: 'reject', path: 'kind', message: 'must be a string' };

  const versions = kinds[kind as SpecKind];
  if (versions === undefined) {
    const supported = Object.entries(kinds).map(([k, v]) => `${k} (${Object.keys(v ?? {}).join(', ')})`);
    return {
      action: 'reject',
      path: 'kind',
      message: `${kind} of ${group} is not supported by ferry; supported kinds: ${supported.join(', ')}`,
    };
  }
  const spec = versions[version];
  if (spec === undefined) {
    const supported = Object.keys(versions).map((v) => `${group}/${v}`);
    return {
      action: 'reject',
      path: 'apiVersion',
      message: `${apiVersion} is not supported for ${kind} by ferry; supported: ${supported.join(', ')}`,
    };
  }
  return { action: 'spec', kind: kind as SpecKind, spec };
}
