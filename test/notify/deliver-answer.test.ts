import { describe, expect, it } from 'vitest';
import {
  type AnswerContext,
  checkAnswer,
  cleanAnswer,
  DEFAULT_RETRY_AFTER_SECONDS,
  type ReceiverAnswer,
  retryAfterSeconds,
} from '../../lib/notify/receiver-answer.ts';
import { NOW } from './providers/fixtures.ts';

const context: AnswerContext = {
  provider: 'Provider/ns/p',
  host: 'hooks.example',
  secrets: ['s3cr3t'],
  now: NOW,
};

function answer(status: number, body = '', headers: Record<string, string> = {}): ReceiverAnswer {
  return { status, body, headers: new Headers(headers) };
}

function outcome(a: ReceiverAnswer): string {
  try {
    checkAnswer(a, context);
    return 'delivered';
  } catch (error) {
    const e = error as { name: string; failure: string; retryAfterSeconds?: number };
    return `${e.name} (${e.failure})${e.retryAfterSeconds === undefined ? '' : ` ${e.retryAfterSeconds}s`}`;
  }
}

describe('what an answer means', () => {
  it.each([
    ['200', answer(200, 'ok'), 'delivered'],
    ['204 without a body', answer(204), 'delivered'],
    ['200 with ok:true', answer(200, '{"ok":true}'), 'delivered'],
    [
      '200 with ok:false',
      answer(200, '{"ok":false,"error":"not_in_channel"}'),
      'DeliveryRejectedError (terminal)',
    ],
    [
      '200 with ok:false ratelimited',
      answer(200, '{"ok":false,"error":"ratelimited"}', { 'retry-after': '4' }),
      'DeliveryRateLimitedError (transient) 4s',
    ],
    [
      '429 with Retry-After',
      answer(429, '', { 'retry-after': '30' }),
      'DeliveryRateLimitedError (transient) 30s',
    ],
    [
      '429 with retry_after',
      answer(429, '{"retry_after":0.25,"global":true}'),
      'DeliveryRateLimitedError (transient) 0.25s',
    ],
    [
      '403 with an exhausted rate limit',
      answer(403, '{}', {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(NOW.getTime() / 1000 + 90),
      }),
      'DeliveryRateLimitedError (transient) 90s',
    ],
    [
      '403 otherwise',
      answer(403, 'forbidden', { 'x-ratelimit-remaining': '10' }),
      'DeliveryRejectedError (terminal)',
    ],
    ['404', answer(404, 'no_service'), 'DeliveryRejectedError (terminal)'],
    ['408', answer(408), 'DeliveryFailedError (transient)'],
    ['500', answer(500), 'DeliveryFailedError (transient)'],
    ['503', answer(503), 'DeliveryFailedError (transient)'],
  ])('%s', (_label, a, expected) => {
    expect(outcome(a)).toBe(expected);
  });
});

describe('how long to wait', () => {
  it.each([
    ['seconds', answer(429, '', { 'retry-after': '12' }), 12],
    ['fractional seconds', answer(429, '', { 'retry-after': '1.5' }), 1.5],
    ['an HTTP date', answer(429, '', { 'retry-after': new Date(NOW.getTime() + 45_000).toUTCString() }), 45],
    [
      'an HTTP date already past',
      answer(429, '', { 'retry-after': new Date(NOW.getTime() - 5000).toUTCString() }),
      0,
    ],
    ['the JSON body first', answer(429, '{"retry_after":1.5}', { 'retry-after': '2' }), 1.5],
    ['nothing said', answer(429), DEFAULT_RETRY_AFTER_SECONDS],
  ])('%s', (_label, a, seconds) => {
    let json: unknown;
    try {
      json = JSON.parse(a.body);
    } catch {}
    expect(retryAfterSeconds(a, json, NOW)).toBe(seconds);
  });
});

describe('the answer as logged', () => {
  it('cuts out our secrets, longest first, and folds whitespace', () => {
    expect(
      cleanAnswer('url https://h/x/s3cr3t-long\n\n token s3cr3t', ['s3cr3t', 'https://h/x/s3cr3t-long']),
    ).toBe('url [redacted] token [redacted]');
  });
});
