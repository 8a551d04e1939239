import { describe, expect, it } from 'vitest';
import { ReceiverAuthError } from '../../lib/receivers/index.ts';
import {
  secretsEqual,
  verifyHeaderToken,
  verifyHexHmac,
  verifyPrefixedHmac,
} from '../../lib/receivers/verify.ts';
import { hmacHex, TOKEN } from './receiver-fixture.ts';

const BODY = new TextEncoder().encode('{"events":[]}');

describe('secretsEqual', () => {
  it.each([
    ['equal strings', 'abc', 'abc', true],
    ['equal bytes and string', new TextEncoder().encode('abc'), 'abc', true],
    ['a prefix', 'ab', 'abc', false],
    ['a longer value', 'abcd', 'abc', false],
    ['empty against a value', '', 'abc', false],
    ['a different case', 'ABC', 'abc', false],
  ])('%s', (_label, presented, expected, equal) => {
    expect(secretsEqual(presented, expected)).toBe(equal);
  });
});

describe('verifyHeaderToken', () => {
  const check = (headers: Record<string, string>, header?: string) => () =>
    verifyHeaderToken(new Headers(headers), TOKEN, 'test', header ? { header } : {});

  it.each([
    ['the bare token', { Authorization: TOKEN }],
    ['a Bearer token', { Authorization: `Bearer ${TOKEN}` }],
    ['a bearer token in lower case, padded', { authorization: `  bearer   ${TOKEN} ` }],
  ])('accepts %s in Authorization', (_label, headers) => {
    expect(check(headers)).not.toThrow();
  });

  it('reads the configured header, and only that one', () => {
    expect(check({ 'X-Api-Key': TOKEN }, 'X-Api-Key')).not.toThrow();
    expect(check({ Authorization: TOKEN }, 'X-Api-Key')).toThrow(/no x-api-key header/);
  });

  it.each([
    ['no header', {}, /no authorization header/],
    ['an empty header', { Authorization: '' }, /no authorization header/],
    ['another token', { Authorization: 'Bearer other' }, /does not carry/],
    ['the token with a suffix', { Authorization: `${TOKEN}x` }, /does not carry/],
    ['another scheme', { Authorization: `Basic ${TOKEN}` }, /does not carry/],
  ])('refuses %s', (_label, headers, message) => {
    expect(check(headers)).toThrow(ReceiverAuthError);
    expect(check(headers)).toThrow(message);
  });

  it('never puts the token or what was presented in the error', () => {
    try {
      check({ Authorization: 'Bearer presented-guess' })();
    } catch (error) {
      const text = JSON.stringify({
        message: (error as Error).message,
        data: (error as ReceiverAuthError).data,
      });
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('presented-guess');
    }
    expect.assertions(2);
  });
});

describe('HMAC signatures', () => {
  it.each(['sha1', 'sha256', 'sha384', 'sha512'] as const)(
    'verifies a %s hex signature, any case',
    (algorithm) => {
      const hex = hmacHex(algorithm, BODY);
      expect(() => verifyHexHmac(BODY, TOKEN, hex, algorithm, 'test')).not.toThrow();
      expect(() => verifyHexHmac(BODY, TOKEN, hex.toUpperCase(), algorithm, 'test')).not.toThrow();
    },
  );

  it.each([
    ['no signature', null, /not signed/],
    ['an empty signature', '', /not signed/],
    ['a signature of another key', hmacHex('sha1', BODY, 'other'), /does not match/],
    ['a truncated signature', hmacHex('sha1', BODY).slice(2), /not a hex sha1/],
    ['a signature that is not hex', 'z'.repeat(40), /not a hex sha1/],
    ['a sha256 signature where sha1 is expected', hmacHex('sha256', BODY), /not a hex sha1/],
  ])('refuses %s', (_label, signature, message) => {
    expect(() => verifyHexHmac(BODY, TOKEN, signature, 'sha1', 'test')).toThrow(ReceiverAuthError);
    expect(() => verifyHexHmac(BODY, TOKEN, signature, 'sha1', 'test')).toThrow(message);
  });

  it('refuses a signature of other bytes', () => {
    const other = new TextEncoder().encode('{"events":[ ]}');
    expect(() => verifyHexHmac(other, TOKEN, hmacHex('sha1', BODY), 'sha1', 'test')).toThrow(
      /does not match/,
    );
  });

  it('reads <algorithm>=<hex> and returns the algorithm, among the allowed ones only', () => {
    const allowed = ['sha256', 'sha1'] as const;
    expect(verifyPrefixedHmac(BODY, TOKEN, `sha256=${hmacHex('sha256', BODY)}`, allowed, 'test')).toBe(
      'sha256',
    );
    expect(verifyPrefixedHmac(BODY, TOKEN, `SHA1=${hmacHex('sha1', BODY)}`, allowed, 'test')).toBe('sha1');
    for (const signature of [
      `sha512=${hmacHex('sha512', BODY)}`,
      hmacHex('sha256', BODY),
      `=${hmacHex('sha256', BODY)}`,
    ]) {
      expect(() => verifyPrefixedHmac(BODY, TOKEN, signature, allowed, 'test')).toThrow(/not of the form/);
    }
  });
});
