/**
 * Go's predefined template functions, with Go's semantics: comparisons that refuse mixed types,
 * `index` and `slice` on UTF-8 bytes for strings, `len` in bytes, and the escapers. `and` and `or`
 * are listed for arity only: the renderer evaluates them lazily, as Go 1.18+ does.
 */
import { formatPlain } from './format-value.ts';
import { FunctionError, stringArg, type TemplateFunction } from './function-error.ts';
import {
  compareStrings,
  goTypeName,
  isTrue,
  kindOf,
  mapGet,
  mapSize,
  sliceItems,
  structurallyEqual,
  utf8Bytes,
  ZERO_VALUE,
} from './go-values.ts';
import { sprint, sprintf, sprintln } from './printf.ts';

type ComparableKind = 'bool' | 'number' | 'string' | 'other';

function comparableKind(value: unknown): ComparableKind {
  const kind = kindOf(value);
  if (kind === 'int' || kind === 'float') return 'number';
  if (kind === 'bool' || kind === 'string') return kind;
  return 'other';
}

function isNil(value: unknown): boolean {
  return value === null || value === undefined;
}

function equal(a: unknown, b: unknown): boolean {
  const ka = comparableKind(a);
  const kb = comparableKind(b);
  if (ka !== kb) {
    if (!isNil(a) && !isNil(b)) throw new FunctionError('incompatible types for comparison');
    return false;
  }
  if (ka === 'number') return Number(a) === Number(b);
  if (ka !== 'other') return a === b;
  if (isNil(a) || isNil(b)) return isNil(a) === isNil(b);
  for (const value of [a, b]) {
    const kind = kindOf(value);
    if (kind === 'slice' || kind === 'map' || kind === 'func') {
      throw new FunctionError(`non-comparable type ${formatPlain(value)}: ${goTypeName(value)}`);
    }
  }
  return structurallyEqual(a, b);
}

function less(a: unknown, b: unknown): boolean {
  const ka = comparableKind(a);
  const kb = comparableKind(b);
  if (ka === 'other' || kb === 'other') throw new FunctionError('invalid type for comparison');
  if (ka !== kb) throw new FunctionError('incompatible types for comparison');
  if (ka === 'bool') throw new FunctionError('invalid type for comparison');
  if (ka === 'number') return Number(a) < Number(b);
  return compareStrings(a as string, b as string) < 0;
}

function eq(args: unknown[]): boolean {
  const [first, ...rest] = args;
  return rest.some((other) => equal(first, other));
}

function indexArg(value: unknown, size: number, inclusive: boolean): number {
  if (isNil(value)) throw new FunctionError('cannot index slice/array with nil');
  if (kindOf(value) !== 'int')
    throw new FunctionError(`cannot index slice/array with type ${goTypeName(value)}`);
  const x = Number(value);
  if (x < 0 || (inclusive ? x > size : x >= size)) throw new FunctionError(`index out of range: ${x}`);
  return x;
}

function index(args: unknown[]): unknown {
  let [item] = args;
  if (isNil(item)) throw new FunctionError('index of untyped nil');
  for (const key of args.slice(1)) {
    if (isNil(item)) throw new FunctionError('index of nil pointer');
    const kind = kindOf(item);
    if (kind === 'string') {
      const bytes = utf8Bytes(item as string);
      item = bytes[indexArg(key, bytes.length, false)];
    } else if (kind === 'slice') {
      const items = sliceItems(item);
      item = items[indexArg(key, items.length, false)];
    } else if (kind === 'map') {
      if (!(item instanceof Map) && typeof key !== 'string') {
        throw new FunctionError(
          isNil(key)
            ? 'value is nil; should be of type string'
            : `value has type ${goTypeName(key)}; should be string`,
        );
      }
      const value = mapGet(item, key);
      item = value === undefined ? (item as { [ZERO_VALUE]?: unknown })[ZERO_VALUE] : value;
    } else {
      throw new FunctionError(`can't index item of type ${goTypeName(item)}`);
    }
  }
  return item;
}

function slice(args: unknown[]): unknown {
  const [item, ...indexes] = args;
  if (isNil(item)) throw new FunctionError('slice of untyped nil');
  if (indexes.length > 3) throw new FunctionError(`too many slice indexes: ${indexes.length}`);
  const kind = kindOf(item);
  if (kind === 'string' && indexes.length === 3) throw new FunctionError('cannot 3-index slice a string');
  if (kind !== 'string' && kind !== 'slice')
    throw new FunctionError(`can't slice item of type ${goTypeName(item)}`);
  const source = kind === 'string' ? utf8Bytes(item as string) : sliceItems(item);
  const idx = [0, source.length, source.length];
  indexes.forEach((value, i) => {
    idx[i] = indexArg(value, source.length, true);
  });
  const [from = 0, to = 0, max = 0] = idx;
  if (from > to) throw new FunctionError(`invalid slice index: ${from} > ${to}`);
  if (indexes.length === 3 && to > max) throw new FunctionError(`invalid slice index: ${to} > ${max}`);
  const part = source.slice(from, to);
  return kind === 'string' ? new TextDecoder().decode(part as Uint8Array) : part;
}

function length(args: unknown[]): number {
  const [item] = args;
  switch (kindOf(item)) {
    case 'string':
      return utf8Bytes(item as string).length;
    case 'slice':
      return sliceItems(item).length;
    case 'map':
      return mapSize(item);
    case 'invalid':
    case 'nil':
      throw new FunctionError('len of nil pointer');
    default:
      throw new FunctionError(`len of type ${goTypeName(item)}`);
  }
}

/** The escapers' argument rule: one string as is, anything else through fmt.Sprint. */
function escaperText(args: unknown[]): string {
  return args.length === 1 && typeof args[0] === 'string' ? args[0] : sprint(args);
}

const HTML_ESCAPES: Record<string, string> = {
  '"': '&#34;',
  "'": '&#39;',
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '\0': '\uFFFD',
};

function jsEscape(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const named: Record<string, string> = {
      '\\': '\\\\',
      "'": "\\'",
      '"': '\\"',
      '<': '\\u003C',
      '>': '\\u003E',
      '&': '\\u0026',
      '=': '\\u003D',
    };
    if (named[char]) out += named[char];
    else if (code < 0x20) out += `\\u00${code.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (code < 0x80 || /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(char)) out += char;
    else out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}

function queryEscape(text: string): string {
  let out = '';
  for (const byte of utf8Bytes(text)) {
    const char = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(char)) out += char;
    else if (char === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function call(args: unknown[]): unknown {
  const [fn, ...rest] = args;
  if (isNil(fn)) throw new FunctionError('call of nil');
  if (typeof fn !== 'function') throw new FunctionError(`non-function of type ${goTypeName(fn)}`);
  return fn(...rest);
}

export const BUILTIN_FUNCTIONS: Record<string, TemplateFunction> = {
  and: { minArgs: 1, call: (args) => args.find((arg) => !isTrue(arg)) ?? args.at(-1) },
  or: { minArgs: 1, call: (args) => args.find((arg) => isTrue(arg)) ?? args.at(-1) },
  not: { minArgs: 1, maxArgs: 1, call: ([arg]) => !isTrue(arg) },
  eq: {
    minArgs: 1,
    call: (args) => {
      if (args.length < 2) throw new FunctionError('missing argument for comparison');
      return eq(args);
    },
  },
  ne: { minArgs: 2, maxArgs: 2, call: (args) => !eq(args) },
  lt: { minArgs: 2, maxArgs: 2, call: ([a, b]) => less(a, b) },
  le: { minArgs: 2, maxArgs: 2, call: ([a, b]) => less(a, b) || equal(a, b) },
  gt: { minArgs: 2, maxArgs: 2, call: ([a, b]) => !(less(a, b) || equal(a, b)) },
  ge: { minArgs: 2, maxArgs: 2, call: ([a, b]) => !less(a, b) },
  len: { minArgs: 1, maxArgs: 1, call: length },
  index: { minArgs: 1, call: index },
  slice: { minArgs: 1, call: slice },
  print: { minArgs: 0, call: sprint },
  println: { minArgs: 0, call: sprintln },
  printf: { minArgs: 1, call: ([format, ...rest]) => sprintf(stringArg(format), rest) },
  html: { minArgs: 0, call: (args) => escaperText(args).replace(/["'&<>\0]/g, (c) => HTML_ESCAPES[c] ?? c) },
  js: { minArgs: 0, call: (args) => jsEscape(escaperText(args)) },
  urlquery: { minArgs: 0, call: (args) => queryEscape(escaperText(args)) },
  call: { minArgs: 1, call },
};
