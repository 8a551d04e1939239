/**
 * Which job reconciles which Flux object: the mapping behind schedules, `ferry reconcile` and the
 * generic receiver. Kinds that are only read by others (Secret, Provider, Alert, Receiver) have
 * no job of their own; an ImagePolicy is evaluated by a scan of its ImageRepository.
 */
import type { FluxObject } from '../config/index.ts';
import type { Job, JobKind } from './job.ts';

export function jobForObject(object: FluxObject): Job | undefined {
  const { namespace, name } = object.metadata;
  switch (object.kind) {
    case 'GitRepository':
      return { kind: 'sync-source', gitRepository: { namespace, name } };
    case 'Kustomization':
      return { kind: 'apply', kustomization: { namespace, name } };
    case 'ImageRepository':
      return { kind: 'scan-image', imageRepository: { namespace, name } };
    case 'ImagePolicy': {
      const ref = object.spec.imageRepositoryRef;
      return {
        kind: 'scan-image',
        imageRepository: { namespace: ref.namespace ?? namespace, name: ref.name },
      };
    }
    case 'ImageUpdateAutomation':
      return { kind: 'update', automation: { namespace, name } };
    default:
      return undefined;
  }
}

/** The job kind an object's schedule enqueues, if it has one of its own. */
export function scheduledJobKind(object: FluxObject): JobKind | undefined {
  if (object.kind === 'ImagePolicy') return undefined;
  return jobForObject(object)?.kind;
}
