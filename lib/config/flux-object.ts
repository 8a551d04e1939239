/**
 * The in-memory Flux objects every later stage reads: validated, defaults applied, durations kept as
 * written, and each stamped with the file and document it came from so a problem found much later
 * (a failed apply, a bad policy) can still point at the line of config to fix.
 */
import { parseDuration } from './duration.ts';
import type { AlertSpec } from './schemas/alert.ts';
import type { GitRepositorySpec } from './schemas/git-repository.ts';
import type { ImagePolicySpec } from './schemas/image-policy.ts';
import type { ImageRepositorySpec } from './schemas/image-repository.ts';
import type { ImageUpdateAutomationSpec } from './schemas/image-update-automation.ts';
import type { KustomizationSpec } from './schemas/kustomization.ts';
import type { ProviderSpec } from './schemas/provider.ts';
import type { ReceiverSpec } from './schemas/receiver.ts';

export type FluxKind =
  | 'GitRepository'
  | 'Kustomization'
  | 'ImageRepository'
  | 'ImagePolicy'
  | 'ImageUpdateAutomation'
  | 'Provider'
  | 'Alert'
  | 'Receiver'
  | 'Secret'
  | 'ConfigMap';

export const FLUX_KINDS: readonly FluxKind[] = [
  'GitRepository',
  'Kustomization',
  'ImageRepository',
  'ImagePolicy',
  'ImageUpdateAutomation',
  'Provider',
  'Alert',
  'Receiver',
  'Secret',
  'ConfigMap',
];

export interface ObjectMeta {
  name: string;
  /** `flux-system` when the manifest leaves it out. */
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface SourceLocation {
  /** Path relative to the config directory, `/`-separated. */
  file: string;
  /** 0-based index of the YAML document within the file. */
  document: number;
}

interface ObjectOf<K extends FluxKind, S> {
  /** As written, e.g. `image.toolkit.fluxcd.io/v1beta2`; the spec has one shape whatever the version. */
  apiVersion: string;
  kind: K;
  metadata: ObjectMeta;
  spec: S;
  source: SourceLocation;
}

export type GitRepository = ObjectOf<'GitRepository', GitRepositorySpec>;
export type Kustomization = ObjectOf<'Kustomization', KustomizationSpec>;
export type ImageRepository = ObjectOf<'ImageRepository', ImageRepositorySpec>;
export type ImagePolicy = ObjectOf<'ImagePolicy', ImagePolicySpec>;
export type ImageUpdateAutomation = ObjectOf<'ImageUpdateAutomation', ImageUpdateAutomationSpec>;
export type Provider = ObjectOf<'Provider', ProviderSpec>;
export type Alert = ObjectOf<'Alert', AlertSpec>;
export type Receiver = ObjectOf<'Receiver', ReceiverSpec>;

export interface Secret {
  apiVersion: string;
  kind: 'Secret';
  metadata: ObjectMeta;
  /** `Opaque` unless the manifest says otherwise. */
  type: string;
  /** `data` base64-decoded, then `stringData` on top (it wins a shared key, as in Kubernetes). */
  values: Record<string, string>;
  source: SourceLocation;
}

/** Core v1 ConfigMap, read for `postBuild.substituteFrom`; `values` is its `data`. */
export interface ConfigMap {
  apiVersion: string;
  kind: 'ConfigMap';
  metadata: ObjectMeta;
  values: Record<string, string>;
  source: SourceLocation;
}

export type FluxObject =
  | GitRepository
  | Kustomization
  | ImageRepository
  | ImagePolicy
  | ImageUpdateAutomation
  | Provider
  | Alert
  | Receiver
  | Secret
  | ConfigMap;

export type ObjectOfKind<K extends FluxKind> = Extract<FluxObject, { kind: K }>;

/** `Kind/namespace/name`: the identity of an object in issues, state keys and events. */
export function objectKey(o: { kind: string; metadata: { namespace: string; name: string } }): string {
  return `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;
}

/** Whether the object asks not to be reconciled (`spec.suspend: true`); a Secret or ConfigMap never is. */
export function isSuspended(o: FluxObject): boolean {
  return 'spec' in o && o.spec.suspend === true;
}

/**
 * How often the object is reconciled on schedule, in milliseconds; undefined for kinds that are not
 * (Provider, Alert, Secret) and for an ImagePolicy without digest reflection, which follows its
 * ImageRepository instead of a clock.
 */
export function reconcileIntervalMs(o: FluxObject): number | undefined {
  switch (o.kind) {
    case 'GitRepository':
    case 'Kustomization':
    case 'ImageRepository':
    case 'ImageUpdateAutomation':
    case 'Receiver':
      return parseDuration(o.spec.interval);
    case 'ImagePolicy':
      return o.spec.interval === undefined ? undefined : parseDuration(o.spec.interval);
    default:
      return undefined;
  }
}

const SECOND = 1000;

/**
 * The time limit Flux gives one reconciliation of the object, in milliseconds, with Flux's derived
 * defaults: a Kustomization gets its timeout or its interval minus 30s, never below 30s; an
 * ImageRepository its timeout or its interval, never below 1s; a Provider 15s; a GitRepository 60s.
 * Undefined for kinds without one.
 */
export function timeoutMs(o: FluxObject): number | undefined {
  switch (o.kind) {
    case 'GitRepository':
      return parseDuration(o.spec.timeout);
    case 'Kustomization': {
      const ms =
        o.spec.timeout === undefined
          ? parseDuration(o.spec.interval) - 30 * SECOND
          : parseDuration(o.spec.timeout);
      return Math.max(ms, 30 * SECOND);
    }
    case 'ImageRepository':
      return Math.max(parseDuration(o.spec.timeout ?? o.spec.interval), SECOND);
    case 'Provider':
      return o.spec.timeout === undefined ? 15 * SECOND : parseDuration(o.spec.timeout);
    default:
      return undefined;
  }
}
