/**
 * What a receiver's answer means for the notify job, decided from status, headers and body alone.
 * 2xx is delivered, except Slack's Web API, which answers 200 with `{"ok": false, "error": ...}`;
 * 429 (and GitHub's 403 with an exhausted rate limit) is "wait", for as long as `retry_after` in the
 * JSON body (Discord, seconds, fractional), `Retry-After` (seconds or an HTTP date) or GitHub's
 * `x-ratelimit-reset` says; 408 and 5xx are "retry"; any other status is "refused", with the answer
 * kept for the log, cut to 500 characters and cleaned of anything secret we sent. Pure.
 */
import {
  type DeliveryErrorData,
  DeliveryFailedError,
  DeliveryRateLimitedError,
  DeliveryRejectedError,
} from './delivery-errors.ts';
import { truncate } from './truncate.ts';

export interface ReceiverAnswer {
  status: number;
  headers: Headers;
  body: string;
}

export interface AnswerContext extends DeliveryErrorData {
  /** Strings that must not appear in an error: the token, the address and its path. */
  secrets: readonly string[];
  now: Date;
}

/** When a receiver asks to wait and does not say how long. */
export const DEFAULT_RETRY_AFTER_SECONDS = 30;

export const ANSWER_MAX = 500;

/** Returns when the answer means delivered; throws the typed error otherwise. */
export function checkAnswer(answer: ReceiverAnswer, context: AnswerContext): void {
  const data: DeliveryErrorData = { provider: context.provider, host: context.host, status: answer.status };
  const json = parseJson(answer.body);
  if (answer.status >= 200 && answer.status < 300) {
    if (isSlackFailure(json)) {
      if (json.error === 'ratelimited') {
        throw new DeliveryRateLimitedError({
          ...data,
          retryAfterSeconds: retryAfterSeconds(answer, json, context.now),
        });
      }
      throw new DeliveryRejectedError({
        ...data,
        status: answer.status,
        answer: cleanAnswer(String(json.error), context.secrets),
      });
    }
    return;
  }
  if (answer.status === 429 || isGitHubRateLimit(answer)) {
    throw new DeliveryRateLimitedError({
      ...data,
      retryAfterSeconds: retryAfterSeconds(answer, json, context.now),
    });
  }
  if (answer.status === 408 || answer.status >= 500) {
    throw new DeliveryFailedError(`HTTP ${answer.status}`, data);
  }
  throw new DeliveryRejectedError({
    ...data,
    status: answer.status,
    answer: cleanAnswer(answer.body, context.secrets),
  });
}

/** Seconds to wait, from the body's `retry_after`, `Retry-After`, or `x-ratelimit-reset`; never negative. */
export function retryAfterSeconds(answer: ReceiverAnswer, json: unknown, now: Date): number {
  const fromBody = isObject(json) ? Number(json.retry_after) : Number.NaN;
  if (Number.isFinite(fromBody) && fromBody >= 0) return fromBody;
  const header = answer.headers.get('retry-after')?.trim();
  if (header) {
    const seconds = /^\d+(?:\.\d+)?$/.test(header)
      ? Number(header)
      : (Date.parse(header) - now.getTime()) / 1000;
    if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds * 1000) / 1000);
  }
  const reset = Number(answer.headers.get('x-ratelimit-reset'));
  if (Number.isFinite(reset) && reset > 0) return Math.max(0, Math.ceil(reset - now.getTime() / 1000));
  return DEFAULT_RETRY_AFTER_SECONDS;
}

/** The answer as it may be logged: secrets cut out, whitespace folded, at most 500 characters. */
export function cleanAnswer(body: string, secrets: readonly string[]): string {
  let text = body;
  for (const secret of [...secrets].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length)) {
    text = text.replaceAll(secret, '[redacted]');
  }
  return truncate(text.replace(/\s+/g, ' ').trim(), ANSWER_MAX);
}

function isGitHubRateLimit(answer: ReceiverAnswer): boolean {
  return (
    answer.status === 403 &&
    (answer.headers.get('x-ratelimit-remaining') === '0' || answer.headers.has('retry-after'))
  );
}

function isSlackFailure(json: unknown): json is { ok: false; error?: unknown } {
  return isObject(json) && json.ok === false;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
