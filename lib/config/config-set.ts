/**
 * A loaded, fully valid config: every Flux object and Secret of a config directory, looked up by
 * kind, namespace and name. It is immutable; a changed directory is loaded into a new ConfigSet.
 */
import { TerminalError } from '../errors.ts';
import {
  FLUX_KINDS,
  type FluxKind,
  type FluxObject,
  type ObjectOfKind,
  objectKey,
  type Secret,
} from './flux-object.ts';

/** A Secret, or a key of it, that an object needs and the config does not have. */
export class MissingSecretError extends TerminalError {
  constructor(message: string, data: { namespace: string; name: string; key?: string; referrer?: string }) {
    super(message, { data });
  }
}

export interface SecretValuesOptions {
  /** Keys that must be present; a missing one throws, naming it. */
  required?: readonly string[];
  /** The object that needs the Secret (`Kind/namespace/name`), named in the error. */
  referrer?: string;
}

export class ConfigSet {
  readonly #byKey = new Map<string, FluxObject>();
  readonly #byKind = new Map<FluxKind, FluxObject[]>();

  /** Objects must be unique by kind, namespace and name; the loader guarantees it. */
  constructor(objects: Iterable<FluxObject>) {
    for (const o of objects) {
      const key = objectKey(o);
      if (this.#byKey.has(key)) throw new Error(`ConfigSet: duplicate object ${key}`);
      this.#byKey.set(key, o);
    }
    const sorted = [...this.#byKey.values()].sort(byNamespaceAndName);
    for (const kind of FLUX_KINDS)
      this.#byKind.set(
        kind,
        sorted.filter((o) => o.kind === kind),
      );
  }

  get size(): number {
    return this.#byKey.size;
  }

  get<K extends FluxKind>(kind: K, namespace: string, name: string): ObjectOfKind<K> | undefined {
    return this.#byKey.get(`${kind}/${namespace}/${name}`) as ObjectOfKind<K> | undefined;
  }

  /** Every object of the kind, sorted by namespace, then name. */
  list<K extends FluxKind>(kind: K): ObjectOfKind<K>[] {
    return [...(this.#byKind.get(kind) ?? [])] as ObjectOfKind<K>[];
  }

  /** Every object, Secrets included, in FLUX_KINDS order and then by namespace and name. */
  all(): FluxObject[] {
    return FLUX_KINDS.flatMap((kind) => this.#byKind.get(kind) ?? []);
  }

  /**
   * The values of a Secret named by a secretRef (a copy). Throws MissingSecretError, which is terminal,
   * naming the Secret, the missing key and the object that needed it; never a value.
   */
  secretValues(namespace: string, name: string, options: SecretValuesOptions = {}): Record<string, string> {
    const { required = [], referrer } = options;
    const needed = referrer === undefined ? '' : ` (needed by ${referrer})`;
    const secret: Secret | undefined = this.get('Secret', namespace, name);
    if (secret === undefined) {
      throw new MissingSecretError(`Secret ${namespace}/${name} does not exist${needed}`, {
        namespace,
        name,
        referrer,
      });
    }
    for (const key of required) {
      if (!(key in secret.values)) {
        throw new MissingSecretError(
          `Secret ${namespace}/${name} has no key ${JSON.stringify(key)}${needed}`,
          {
            namespace,
            name,
            key,
            referrer,
          },
        );
      }
    }
    return { ...secret.values };
  }
}

function byNamespaceAndName(a: FluxObject, b: FluxObject): number {
  return compare(a.metadata.namespace, b.metadata.namespace) || compare(a.metadata.name, b.metadata.name);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
