import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { compilePattern } from '../../lib/notify/alert-matcher.ts';

const patterns = [
  'socket',
  '^Applied',
  'ready$',
  '^exact message$',
  '^$',
  '',
  '^Applied revision: (?P<branch>[a-z]+)@sha1:',
  '^ab?c',
  '^abc+',
  '^a|socket',
  'waiting.*socket',
  '(?i)DEV',
  'dependency .* is not ready',
  'resolved to \\d+\\.\\d+',
  'price \\$5',
  '(foo)+bar',
  '^\\^caret',
  'ünïcödé',
];

const messages = [
  'Applied revision: main@sha1:0a1b',
  'Applied revision: Main@sha1:0a1b',
  'unable to clone: error waiting on socket',
  'dependency flux-system/infra is not ready',
  'Latest tag resolved to 1.4.2',
  'exact message',
  'exact message\n',
  '',
  'ac',
  'abbbc',
  'abc',
  'it costs price $5 now',
  'a dev build',
  'foofoobar',
  '^caret first',
  'naïve ünïcödé text',
  'deployment is ready',
];

describe('message patterns', () => {
  it.each(patterns)('%j answers as RE2 does on every message', (pattern) => {
    const re2 = RE2JS.compile(pattern);
    const compiled = compilePattern(pattern);
    for (const message of messages)
      expect([message, compiled.test(message)]).toEqual([message, re2.test(message)]);
  });

  it('compiles a pattern once for every Alert that lists it', () => {
    const cache = new Map();
    expect(compilePattern('waiting.*socket', cache)).toBe(compilePattern('waiting.*socket', cache));
    expect(cache.size).toBe(1);
  });
});
