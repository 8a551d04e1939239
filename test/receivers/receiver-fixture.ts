import { createHmac } from 'node:crypto';
import { stringify } from 'yaml';
import { loadConfigFiles } from '../../lib/config/index.ts';
import type { ReceiverHandler, ReceiverOutcome, ReceiverRequest } from '../../lib/receivers/index.ts';

export const TOKEN = 'receiver-token-9f2c41';

export interface FixtureOptions {
  /** Keys of the Receiver's Secret besides `token`. */
  secret?: Record<string, string>;
  events?: string[];
}

/**
 * A config with one Receiver of `type` (named `hook`, resources: the ImageRepository `app`) and
 * its Secret, loaded through the real loader; `request` builds what the HTTP layer hands a handler.
 */
export function receiverFixture(type: string, options: FixtureOptions = {}) {
  const documents = [
    {
      apiVersion: 'image.toolkit.fluxcd.io/v1',
      kind: 'ImageRepository',
      metadata: { name: 'app' },
      spec: { image: 'registry.example.com/team/app', interval: '5m' },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'hook-token' },
      stringData: { ...options.secret, token: TOKEN },
    },
    {
      apiVersion: 'notification.toolkit.fluxcd.io/v1',
      kind: 'Receiver',
      metadata: { name: 'hook' },
      spec: {
        type,
        ...(options.events ? { events: options.events } : {}),
        secretRef: { name: 'hook-token' },
        resources: [{ kind: 'ImageRepository', name: 'app' }],
      },
    },
  ];
  const content = documents.map((d) => stringify(d)).join('---\n');
  const config = loadConfigFiles([{ path: 'receiver.yaml', content }]);
  const receiver = config.get('Receiver', 'flux-system', 'hook');
  if (!receiver) throw new Error('the fixture Receiver did not load');
  return {
    config,
    receiver,
    request(body: string | Uint8Array, headers: Record<string, string> = {}): ReceiverRequest {
      const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
      return { receiver, token: TOKEN, headers: new Headers(headers), body: bytes, config };
    },
  };
}

/** Runs a handler, sync or async, as a promise: a throw becomes a rejection. */
export function run(handler: ReceiverHandler, request: ReceiverRequest): Promise<ReceiverOutcome> {
  return Promise.resolve().then(() => handler(request));
}

/** Hex HMAC of a body, as senders sign it. */
export function hmacHex(algorithm: string, body: string | Uint8Array, key = TOKEN): string {
  return createHmac(algorithm, key).update(body).digest('hex');
}

/** One byte of the body changed, the rest as sent. */
export function tamper(body: string): string {
  const i = Math.floor(body.length / 2);
  return body.slice(0, i) + (body[i] === 'a' ? 'b' : 'a') + body.slice(i + 1);
}

/** The scan jobs of an outcome as `image:tag`, sorted. */
export function scans(outcome: ReceiverOutcome): string[] {
  return outcome.jobs
    .map((job) => (job.kind === 'scan-image' ? `${job.image}:${job.hintTag}` : job.kind))
    .sort();
}
