import { describe, expect, it } from 'vitest';
import {
  DurationError,
  formatDuration,
  formatDurationNanos,
  parseDuration,
  parseDurationNanos,
} from '../../lib/config/duration.ts';

const ns = 1n;
const us = 1_000n * ns;
const ms = 1_000n * us;
const s = 1_000n * ms;
const m = 60n * s;
const h = 60n * m;
const MAX = (1n << 63n) - 1n;
const MIN = -(1n << 63n);

// The table Go's own tests hold ParseDuration to.
const valid: [string, bigint][] = [
  ['0', 0n],
  ['5s', 5n * s],
  ['30s', 30n * s],
  ['1478s', 1478n * s],
  ['-5s', -5n * s],
  ['+5s', 5n * s],
  ['-0', 0n],
  ['+0', 0n],
  ['5.0s', 5n * s],
  ['5.6s', 5n * s + 600n * ms],
  ['5.s', 5n * s],
  ['.5s', 500n * ms],
  ['1.0s', 1n * s],
  ['1.00s', 1n * s],
  ['1.004s', 1n * s + 4n * ms],
  ['1.0040s', 1n * s + 4n * ms],
  ['100.00100s', 100n * s + 1n * ms],
  ['10ns', 10n * ns],
  ['11us', 11n * us],
  ['12µs', 12n * us],
  ['12μs', 12n * us],
  ['13ms', 13n * ms],
  ['14s', 14n * s],
  ['15m', 15n * m],
  ['16h', 16n * h],
  ['3h30m', 3n * h + 30n * m],
  ['10.5s4m', 4n * m + 10n * s + 500n * ms],
  ['-2m3.4s', -(2n * m + 3n * s + 400n * ms)],
  ['1h2m3s4ms5us6ns', 1n * h + 2n * m + 3n * s + 4n * ms + 5n * us + 6n * ns],
  ['39h9m14.425s', 39n * h + 9n * m + 14n * s + 425n * ms],
  ['52763797000ns', 52763797000n * ns],
  ['0.3333333333333333333h', 20n * m],
  ['9007199254740993ns', (1n << 53n) + 1n],
  ['9223372036854775807ns', MAX],
  ['9223372036854775.807us', MAX],
  ['9223372036s854ms775us807ns', MAX],
  ['-9223372036854775808ns', MIN],
  ['-9223372036854775.808us', MIN],
  ['-9223372036s854ms775us808ns', MIN],
  ['-2562047h47m16.854775808s', MIN],
  ['0.100000000000000000000h', 6n * m],
  ['0.830103483285477580700h', 49n * m + 48n * s + 372539827n * ns],
  // The spellings Flux manifests use.
  ['1m30s', 90n * s],
  ['1.5h', 90n * m],
  ['2h45m', 2n * h + 45n * m],
  ['300ms', 300n * ms],
  ['10m0s', 10n * m],
];

const invalid: [string, string][] = [
  ['', 'invalid duration ""'],
  ['3', 'missing unit in duration "3"'],
  ['-', 'invalid duration "-"'],
  ['s', 'invalid duration "s"'],
  ['.', 'invalid duration "."'],
  ['-.', 'invalid duration "-."'],
  ['.s', 'invalid duration ".s"'],
  ['+.s', 'invalid duration "+.s"'],
  ['1d', 'unknown unit "d" in duration "1d"'],
  ['1w', 'unknown unit "w" in duration "1w"'],
  ['1m 30s', 'unknown unit "m " in duration "1m 30s"'],
  ['1M', 'unknown unit "M" in duration "1M"'],
  ['5 m', 'unknown unit " m" in duration "5 m"'],
  ['1h-5m', 'unknown unit "h-" in duration "1h-5m"'],
  ['9223372036854775808ns', 'invalid duration "9223372036854775808ns"'],
  ['9223372036854775.808us', 'invalid duration "9223372036854775.808us"'],
  ['9223372036854ms775us808ns', 'invalid duration "9223372036854ms775us808ns"'],
  ['-9223372036854775809ns', 'invalid duration "-9223372036854775809ns"'],
  ['3000000h', 'invalid duration "3000000h"'],
];

describe('parseDuration', () => {
  it.each(valid)('parses %s as Go does', (text, nanos) => {
    expect(parseDurationNanos(text)).toBe(nanos);
  });

  it.each(invalid)('rejects %j with Go’s reason', (text, reason) => {
    expect(() => parseDurationNanos(text)).toThrow(DurationError);
    expect(() => parseDurationNanos(text)).toThrow(reason);
  });

  it.each([
    ['1m30s', 90_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1.5h', 5_400_000],
    ['300ms', 300],
    ['2h45m', 9_900_000],
    ['0', 0],
    ['1500us', 1.5],
    ['1ns', 0.000001],
    ['-1s', -1000],
  ])('gives %s in milliseconds as %d', (text, millis) => {
    expect(parseDuration(text)).toBe(millis);
  });

  it('is a terminal error, carrying the text it rejected', () => {
    const error = (() => {
      try {
        parseDuration('1d');
      } catch (e) {
        return e as DurationError;
      }
    })();
    expect(error?.failure).toBe('terminal');
    expect(error?.text).toBe('1d');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [90_000, '1m30s'],
    [300_000, '5m0s'],
    [3_600_000, '1h0m0s'],
    [9_900_000, '2h45m0s'],
    [1_500, '1.5s'],
    [300, '300ms'],
    [2.2, '2.2ms'],
    [0.0011, '1.1µs'],
    [0.000001, '1ns'],
    [3_300, '3.3s'],
    [245_000, '4m5s'],
    [245_001, '4m5.001s'],
    [18_367_001, '5h6m7.001s'],
    [-90_000, '-1m30s'],
  ])('prints %d ms as %s, like Go’s Duration.String', (millis, text) => {
    expect(formatDuration(millis)).toBe(text);
  });

  it.each([
    [8n * m + 1n, '8m0.000000001s'],
    [MAX, '2562047h47m16.854775807s'],
    [MIN, '-2562047h47m16.854775808s'],
  ])('prints exact nanoseconds %d as %s', (nanos, text) => {
    expect(formatDurationNanos(nanos)).toBe(text);
  });

  it('round-trips through parseDuration', () => {
    for (const text of ['1h2m3.004s', '1m30s', '5m0s', '750ms', '1.5µs']) {
      expect(formatDuration(parseDuration(text))).toBe(text);
    }
  });

  it('refuses a number that is not finite', () => {
    expect(() => formatDuration(Number.NaN)).toThrow(RangeError);
  });
});
