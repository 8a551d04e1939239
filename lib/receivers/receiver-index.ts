/**
 * Finds the Receiver a webhook is for. Flux exposes each Receiver at `/hook/` followed by the hex
 * sha256 of token + name + namespace, so the path itself is a credential: it is compared in
 * constant time against every Receiver (no early exit) and never logged whole.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ConfigSet, Receiver } from '../config/index.ts';

export interface IndexedReceiver {
  receiver: Receiver;
  /** The Secret's `token`, needed again by senders that sign their payloads with it. */
  token: string;
  digest: string;
}

/** The digest Flux computes for a Receiver's webhook path. */
export function receiverDigest(token: string, name: string, namespace: string): string {
  return createHash('sha256')
    .update(token + name + namespace)
    .digest('hex');
}

export class ReceiverIndex {
  readonly #entries: IndexedReceiver[];

  constructor(entries: IndexedReceiver[]) {
    this.#entries = entries;
  }

  /** Every Receiver of the config with its token; the loader has already checked the Secret exists. */
  static fromConfig(config: ConfigSet): ReceiverIndex {
    return new ReceiverIndex(
      config.list('Receiver').map((receiver) => {
        const { name, namespace } = receiver.metadata;
        const { token } = config.secretValues(namespace, receiver.spec.secretRef.name, {
          required: ['token'],
          referrer: `Receiver ${namespace}/${name}`,
        });
        return { receiver, token: token as string, digest: receiverDigest(token as string, name, namespace) };
      }),
    );
  }

  get size(): number {
    return this.#entries.length;
  }

  list(): readonly IndexedReceiver[] {
    return this.#entries;
  }

  /** The Receiver whose digest equals the presented one; time depends only on the number of Receivers. */
  find(presented: string): IndexedReceiver | undefined {
    const candidate = Buffer.alloc(32);
    const valid = /^[0-9a-f]{64}$/.test(presented);
    if (valid) candidate.write(presented, 'hex');
    let found: IndexedReceiver | undefined;
    for (const entry of this.#entries) {
      const equal = timingSafeEqual(candidate, Buffer.from(entry.digest, 'hex'));
      if (equal && valid) found = entry;
    }
    return found;
  }
}

/** A digest shortened for logs: enough to tell receivers apart, useless to an attacker. */
export function redactDigest(digest: string): string {
  return `${digest.slice(0, 6)}…`;
}
