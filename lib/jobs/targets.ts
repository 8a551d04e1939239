/**
 * Which job reconciles which Flux object: the mapping behind schedules, `ferry reconcile` and the
 * generic receiver. Kinds that are only read by others (Secret, Provider, Alert, Receiver) have
 * no job of their own; an ImagePolicy is evaluated by a scan of its ImageRepository's image.
 */
import type { ConfigSet, FluxObject } from '../config/index.ts';
import { canonicalImageName } from '../registry/image-name.ts';
import type { Job, JobKind } from './job.ts';

/** The job of an object; `config` resolves what it refers to (an ImagePolicy's repository). */
export function jobForObject(object: FluxObject, config: Pick<ConfigSet, 'get'>): Job | undefined {
  const { namespace, name } = object.metadata;
  switch (object.kind) {
    case 'GitRepository':
      return { kind: 'sync-source', gitRepository: { namespace, name } };
    case 'Kustomization':
      return { kind: 'apply', kustomization: { namespace, name } };
    case 'ImageRepository':
      return { kind: 'scan-image', image: canonicalImageName(object.spec.image) };
    case 'ImagePolicy': {
      const ref = object.spec.imageRepositoryRef;
      const repository = config.get('ImageRepository', ref.namespace ?? namespace, ref.name);
      return repository ? jobForObject(repository, config) : undefined;
    }
    case 'ImageUpdateAutomation':
      return { kind: 'update', automation: { namespace, name } };
    default:
      return undefined;
  }
}

/** The job kind an object's schedule enqueues, if it has one of its own. */
export function scheduledJobKind(object: FluxObject): JobKind | undefined {
  switch (object.kind) {
    case 'GitRepository':
      return 'sync-source';
    case 'Kustomization':
      return 'apply';
    case 'ImageRepository':
      return 'scan-image';
    case 'ImageUpdateAutomation':
      return 'update';
    default:
      return undefined;
  }
}
