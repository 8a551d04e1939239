/**
 * The notify job: one event delivered through one Alert to its Provider, as DESIGN.md's last step
 * (`job notify {provider, event} ─► deliver`). It reads the Provider and the Alert as they are now,
 * builds the notification, resolves the endpoint and delivers. What the receiver answers decides
 * what happens next:
 *
 * - 2xx: done; the Provider is Ready.
 * - 429: requeue after what the receiver asked (Retry-After, retry_after), not a failure; after
 *   MAX_RATE_LIMITED_WAITS of them the notification is dropped, terminally, rather than kept forever.
 * - 5xx, a timeout, the network: thrown; the consumer retries with backoff, then dead-letters.
 * - another 4xx, or a Provider that cannot work as written: terminal, logged with the answer.
 *
 * A failed notify job records its Provider's status and raises no event (outcome.ts), or alerts
 * about failed alerts would feed themselves. Logs name objects and hosts, never an address or a token.
 */
import type { ConfigSet } from '../config/index.ts';
import { isSuspended, objectKey } from '../config/index.ts';
import { TerminalError } from '../errors.ts';
import {
  DeliveryRateLimitedError,
  DeliveryRejectedError,
  deliver,
  notificationFor,
  resolveProviderEndpoint,
} from '../notify/index.ts';
import { requeue } from '../queue/requeue.ts';
import type { FluxEvent } from './event.ts';
import type { JobHandler } from './run-job.ts';

/** The least a rate-limited notification waits, whatever the receiver said. */
export const MIN_WAIT_SECONDS = 1;
/** A receiver still rate limiting after this many waits is not going to take this notification. */
export const MAX_RATE_LIMITED_WAITS = 10;

/** A notification dropped because its receiver kept answering 429. */
export class RateLimitedTooLongError extends TerminalError {}

export interface NotifyServices {
  /** Node's fetch by default (tests pass their own). */
  fetch?: typeof fetch;
}

export function notifyHandler(options: NotifyServices = {}): JobHandler<'notify'> {
  return async (job, ctx) => {
    const config = ctx.config();
    const provider = config.get('Provider', job.provider.namespace, job.provider.name);
    const alert = config.get('Alert', job.alert.namespace, job.alert.name);
    if (!provider || isSuspended(provider)) return undefined;
    if (!alert || isSuspended(alert)) {
      ctx.log.info(
        { alert: `${job.alert.namespace}/${job.alert.name}` },
        'Alert gone or suspended; not sent',
      );
      return undefined;
    }
    const log = ctx.log.child({ alert: objectKey(alert), event: describe(job.event) });
    const notification = notificationFor(alert, job.event, annotationsOf(config, job.event), {
      onTemplateError: (error) =>
        log.warn(
          { err: error },
          'messageTemplate failed on this event; sent with the provider’s default text',
        ),
      onMetadataConflicts: (keys) => log.info({ keys }, 'metadata keys set by more than one source'),
    });
    const endpoint = resolveProviderEndpoint(provider, config);
    try {
      const receipt = await deliver(endpoint, notification, {
        fetch: options.fetch,
        now: ctx.now,
        signal: ctx.signal,
      });
      if (receipt.outcome === 'skipped') {
        log.info({ reason: receipt.reason }, 'provider skipped the event');
        return { message: `skipped an event: ${receipt.reason}` };
      }
      log.info({ host: receipt.host, status: receipt.status }, 'alert delivered');
      return { message: `delivered ${describe(job.event).object} to ${receipt.host}` };
    } catch (error) {
      if (error instanceof DeliveryRateLimitedError) {
        log.warn(
          { err: error, retryAfterSeconds: error.retryAfterSeconds },
          'receiver is rate limiting; waiting',
        );
        const waits = (job.rateLimited ?? 0) + 1;
        if (waits > MAX_RATE_LIMITED_WAITS) {
          throw new RateLimitedTooLongError(
            `${objectKey(provider)}: the receiver answered 429 ${waits} times in a row; the alert is dropped`,
            { data: { provider: objectKey(provider), reason: 'RateLimited' } },
          );
        }
        // "Retry-After: 0" answered again and again would be a loop without a pause.
        return requeue(Math.max(MIN_WAIT_SECONDS, error.retryAfterSeconds), { ...job, rateLimited: waits });
      }
      if (error instanceof DeliveryRejectedError)
        log.error({ err: error, answer: error.answer }, 'receiver refused the alert; not retried');
      throw error;
    }
  };
}

/** The involved object's annotations, for the `event.toolkit.fluxcd.io/` metadata it adds. */
function annotationsOf(config: ConfigSet, event: FluxEvent): Record<string, string> {
  const o = event.involvedObject;
  return lookup(config, o.kind, o.namespace, o.name)?.metadata.annotations ?? {};
}

function lookup(config: ConfigSet, kind: string, namespace: string, name: string) {
  switch (kind) {
    case 'GitRepository':
    case 'Kustomization':
    case 'ImageRepository':
    case 'ImagePolicy':
    case 'ImageUpdateAutomation':
      return config.get(kind, namespace, name);
    default:
      return undefined;
  }
}

function describe(e: FluxEvent) {
  const o = e.involvedObject;
  return { object: `${o.kind}/${o.namespace}/${o.name}`, reason: e.reason };
}
