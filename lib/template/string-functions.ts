/**
 * The string helpers Flux adds to commit message templates (from the Sprig library's hermetic set),
 * limited to those its documented examples and common commit templates use. Argument order is
 * Sprig's, built for pipelines: the subject comes last (`contains "5.0.3" $change.NewValue`,
 * `.Kind | lower`). Each checks its `string` and `int` parameters as Go's reflection would.
 */
import { createHash } from 'node:crypto';
import { RENDER_LIMITS } from './evaluator.ts';
import { formatPlain, quote, stringerText } from './format-value.ts';
import { FunctionError, intArg, stringArg, type TemplateFunction } from './function-error.ts';
import { kindOf, mapSize, sliceItems, utf8Bytes } from './go-values.ts';

/** Sprig's strval: strings as they are, Stringers through String(), anything else as `%v`. */
function strval(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return stringerText(value) ?? formatPlain(value);
}

/** Sprig's empty: nil, zero numbers, false, and empty strings, slices and maps. */
function empty(value: unknown): boolean {
  switch (kindOf(value)) {
    case 'invalid':
    case 'nil':
      return true;
    case 'bool':
      return value === false;
    case 'int':
    case 'float':
      return Number(value) === 0;
    case 'string':
      return value === '';
    case 'slice':
      return sliceItems(value).length === 0;
    case 'map':
      return mapSize(value) === 0;
    default:
      return false;
  }
}

/** Go maps case rune by rune (`ß` stays `ß`); JavaScript may turn one character into two. */
function mapRunes(text: string, map: (char: string) => string): string {
  let out = '';
  for (const char of text) {
    const mapped = map(char);
    out += [...mapped].length === 1 ? mapped : char;
  }
  return out;
}

function isSeparator(char: string): boolean {
  if (char.charCodeAt(0) <= 0x7f) return !/[0-9A-Za-z_]/.test(char);
  if (/[\p{L}\p{Nd}]/u.test(char)) return false;
  return /\s/u.test(char);
}

/** strings.Title: upper-cases each letter that follows a separator. */
function title(text: string): string {
  let previous = ' ';
  let out = '';
  for (const char of text) {
    out += isSeparator(previous) ? mapRunes(char, (c) => c.toUpperCase()) : char;
    previous = char;
  }
  return out;
}

function cutset(text: string, chars: string): string {
  const set = new Set(chars);
  const runes = [...text];
  let start = 0;
  let end = runes.length;
  while (start < end && set.has(runes[start] as string)) start++;
  while (end > start && set.has(runes[end - 1] as string)) end--;
  return runes.slice(start, end).join('');
}

function byteSlice(text: string, from: number, to?: number): string {
  return new TextDecoder().decode(utf8Bytes(text).slice(from, to));
}

function truncate(count: number, text: string): string {
  const size = utf8Bytes(text).length;
  if (count < 0 && size + count > 0) return byteSlice(text, size + count);
  if (count >= 0 && size > count) return byteSlice(text, 0, count);
  return text;
}

function substring(start: number, end: number, text: string): string {
  if (start < 0) return byteSlice(text, 0, end);
  if (end < 0 || end > utf8Bytes(text).length) return byteSlice(text, start);
  return byteSlice(text, start, end);
}

function strslice(value: unknown): string[] {
  if (kindOf(value) === 'slice') {
    return sliceItems(value)
      .filter((item) => item !== null && item !== undefined)
      .map(strval);
  }
  return value === null || value === undefined ? [] : [strval(value)];
}

/** Bounded by the output limit, so that one call cannot allocate what rendering would refuse. */
function repeat(count: number, text: string): string {
  if (count * text.length > RENDER_LIMITS.maxOutput) {
    throw new FunctionError(`repeat count ${count} exceeds the output limit`);
  }
  return text.repeat(Math.max(count, 0));
}

function indent(spaces: number, text: string): string {
  const padding = ' '.repeat(Math.max(spaces, 0));
  return padding + text.replaceAll('\n', `\n${padding}`);
}

const unary = (fn: (text: string) => unknown): TemplateFunction => ({
  minArgs: 1,
  maxArgs: 1,
  call: ([text]) => fn(stringArg(text)),
});

const binary = (fn: (a: string, b: string) => unknown): TemplateFunction => ({
  minArgs: 2,
  maxArgs: 2,
  call: ([a, b]) => fn(stringArg(a), stringArg(b)),
});

export const STRING_FUNCTIONS: Record<string, TemplateFunction> = {
  lower: unary((s) => mapRunes(s, (c) => c.toLowerCase())),
  upper: unary((s) => mapRunes(s, (c) => c.toUpperCase())),
  title: unary(title),
  trim: unary((s) => s.replace(/^\s+|\s+$/gu, '')),
  trimAll: binary((chars, s) => cutset(s, chars)),
  trimPrefix: binary((prefix, s) => (s.startsWith(prefix) ? s.slice(prefix.length) : s)),
  trimSuffix: binary((suffix, s) => (suffix && s.endsWith(suffix) ? s.slice(0, -suffix.length) : s)),
  contains: binary((substr, s) => s.includes(substr)),
  hasPrefix: binary((prefix, s) => s.startsWith(prefix)),
  hasSuffix: binary((suffix, s) => s.endsWith(suffix)),
  replace: {
    minArgs: 3,
    maxArgs: 3,
    call: ([from, to, s]) => stringArg(s).replaceAll(stringArg(from), stringArg(to)),
  },
  repeat: { minArgs: 2, maxArgs: 2, call: ([count, s]) => repeat(intArg(count), stringArg(s)) },
  trunc: { minArgs: 2, maxArgs: 2, call: ([count, s]) => truncate(intArg(count), stringArg(s)) },
  substr: {
    minArgs: 3,
    maxArgs: 3,
    call: ([start, end, s]) => substring(intArg(start), intArg(end), stringArg(s)),
  },
  indent: { minArgs: 2, maxArgs: 2, call: ([spaces, s]) => indent(intArg(spaces), stringArg(s)) },
  nindent: { minArgs: 2, maxArgs: 2, call: ([spaces, s]) => `\n${indent(intArg(spaces), stringArg(s))}` },
  splitList: binary((separator, s) => s.split(separator)),
  join: { minArgs: 2, maxArgs: 2, call: ([separator, list]) => strslice(list).join(stringArg(separator)) },
  quote: {
    minArgs: 0,
    call: (args) =>
      args
        .filter((arg) => arg !== null && arg !== undefined)
        .map((arg) => quote(strval(arg), '"', false))
        .join(' '),
  },
  squote: {
    minArgs: 0,
    call: (args) =>
      args
        .filter((arg) => arg !== null && arg !== undefined)
        .map((arg) => `'${strval(arg)}'`)
        .join(' '),
  },
  toString: { minArgs: 1, maxArgs: 1, call: (args: unknown[]) => strval(args[0]) },
  sha256sum: unary((s) => createHash('sha256').update(s).digest('hex')),
  sha1sum: unary((s) => createHash('sha1').update(s).digest('hex')),
  default: {
    minArgs: 1,
    call: ([fallback, ...given]) => (given.length === 0 || empty(given[0]) ? fallback : given[0]),
  },
  empty: { minArgs: 1, maxArgs: 1, call: ([value]) => empty(value) },
  coalesce: { minArgs: 0, call: (args) => args.find((arg) => !empty(arg)) ?? null },
  list: { minArgs: 0, call: (args) => [...args] },
};
