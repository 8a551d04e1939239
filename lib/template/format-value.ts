/**
 * Go's fmt for one value and one verb: what `{{.X}}` prints (verb v), and each operand of
 * `printf`. Collections print element by element with the same verb (`[a b]`, `map[k:v]` in sorted
 * key order, `{a b}` for structs), and a value whose class defines `String()` (or an Error) prints
 * through it, as a Go Stringer does, at any depth.
 */
import { formatFloat } from './float-format.ts';
import {
  findMethod,
  goTypeName,
  kindOf,
  sliceItems,
  sortedEntries,
  structFields,
  utf8Bytes,
} from './go-values.ts';

export interface FormatSpec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number | undefined;
  prec: number | undefined;
  /** `%+v`: struct field names. */
  plusV: boolean;
  /** `%#v`: Go syntax. */
  sharpV: boolean;
}

export function plainSpec(): FormatSpec {
  return {
    minus: false,
    plus: false,
    sharp: false,
    space: false,
    zero: false,
    width: undefined,
    prec: undefined,
    plusV: false,
    sharpV: false,
  };
}

const PLAIN = plainSpec();

/** Go's `%v` of a value, as `print` and `{{.}}` write it. */
export function formatPlain(value: unknown): string {
  return formatArg(value, 'v', PLAIN);
}

/** The String() of a value that has one (a Go Stringer, or an Error), else undefined. */
export function stringerText(value: unknown): string | undefined {
  if (value instanceof Error) return value.message;
  const method = findMethod(value, 'String');
  return method ? String(method.call(value)) : undefined;
}

/** One operand formatted with one verb and its flags. */
export function formatArg(value: unknown, verb: string, spec: FormatSpec): string {
  if (verb === 'T') return pad(value === null || value === undefined ? '<nil>' : goTypeName(value), spec);
  const kind = kindOf(value);
  if (kind === 'invalid' || kind === 'nil') {
    return verb === 'v' ? pad('<nil>', spec) : badVerb(verb, value);
  }
  if (!spec.sharpV && 'vsxXq'.includes(verb) && (kind === 'struct' || kind === 'map' || kind === 'slice')) {
    let text: string | undefined;
    try {
      text = stringerText(value);
    } catch (error) {
      return `%!${verb}(PANIC=String method: ${error instanceof Error ? error.message : String(error)})`;
    }
    if (text !== undefined) return formatString(text, verb, spec);
  }
  switch (kind) {
    case 'bool':
      return verb === 't' || verb === 'v' ? pad(String(value), spec) : badVerb(verb, value);
    case 'int':
      return formatInteger(value as number | bigint, verb, spec);
    case 'float':
      return formatFloatVerb(value as number, verb, spec);
    case 'string':
      return formatString(value as string, verb, spec);
    case 'slice': {
      const items = sliceItems(value).map((item) => formatElement(item, verb, spec));
      return spec.sharpV ? `${goTypeName(value)}{${items.join(', ')}}` : `[${items.join(' ')}]`;
    }
    case 'map': {
      const pairs = sortedEntries(value).map(
        ([key, item]) => `${formatElement(key, verb, spec)}:${formatElement(item, verb, spec)}`,
      );
      return spec.sharpV ? `${goTypeName(value)}{${pairs.join(', ')}}` : `map[${pairs.join(' ')}]`;
    }
    case 'struct': {
      const fields = structFields(value as object).map(
        ([name, item]) => `${spec.plusV || spec.sharpV ? `${name}:` : ''}${formatElement(item, verb, spec)}`,
      );
      return spec.sharpV ? `${goTypeName(value)}{${fields.join(', ')}}` : `{${fields.join(' ')}}`;
    }
    default:
      return verb === 'v' || verb === 'p' ? pad('0x0', spec) : badVerb(verb, value);
  }
}

/** An element of a collection: a nil one prints `<nil>` whatever the verb, as Go's does. */
function formatElement(value: unknown, verb: string, spec: FormatSpec): string {
  if (value === null || value === undefined) return spec.sharpV ? 'interface {}(nil)' : pad('<nil>', spec);
  return formatArg(value, verb, spec);
}

export function badVerb(verb: string, value: unknown): string {
  if (value === null || value === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeName(value)}=${formatPlain(value)})`;
}

/** Pads to the width in characters (runes), with zeros only on the left. */
export function pad(text: string, spec: FormatSpec): string {
  if (spec.width === undefined) return text;
  const missing = spec.width - [...text].length;
  if (missing <= 0) return text;
  if (spec.minus) return text + ' '.repeat(missing);
  return (spec.zero ? '0' : ' ').repeat(missing) + text;
}

function formatInteger(value: number | bigint, verb: string, spec: FormatSpec): string {
  const n = BigInt(value);
  switch (verb) {
    case 'c':
      return pad(runeText(n), spec);
    case 'q':
      return pad(quote(runeText(n), "'", spec.plus), spec);
    case 'U': {
      const hex = (n < 0n ? -n : n)
        .toString(16)
        .toUpperCase()
        .padStart(Math.max(4, spec.prec ?? 0), '0');
      const printable = spec.sharp && n >= 0n && n <= 0x10ffffn && isPrint(Number(n));
      return pad(`U+${hex}${printable ? ` '${String.fromCodePoint(Number(n))}'` : ''}`, spec);
    }
  }
  const bases: Record<string, number> = { v: 10, d: 10, b: 2, o: 8, O: 8, x: 16, X: 16 };
  const base = bases[verb];
  if (base === undefined) return badVerb(verb, value);
  const negative = n < 0n;
  let digits = (negative ? -n : n).toString(base);
  if (verb === 'X') digits = digits.toUpperCase();
  let prec = 0;
  if (spec.prec !== undefined) {
    prec = spec.prec;
    if (prec === 0 && n === 0n) return pad('', { ...spec, zero: false });
  } else if (spec.zero && !spec.minus && spec.width !== undefined) {
    prec = spec.width - (negative || spec.plus || spec.space ? 1 : 0);
  }
  digits = digits.padStart(prec, '0');
  if (spec.sharp && !spec.sharpV) {
    if (base === 2) digits = `0b${digits}`;
    else if (base === 8 && !digits.startsWith('0')) digits = `0${digits}`;
    else if (base === 16) digits = `${verb === 'X' ? '0X' : '0x'}${digits}`;
  }
  if (verb === 'O') digits = `0o${digits}`;
  const sign = negative ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  return pad(sign + digits, { ...spec, zero: false });
}

function runeText(n: bigint): string {
  return n >= 0n && n <= 0x10ffffn && !(n >= 0xd800n && n < 0xe000n)
    ? String.fromCodePoint(Number(n))
    : '\ufffd';
}

function formatFloatVerb(value: number, verb: string, spec: FormatSpec): string {
  const shortestVerbs: Record<string, 'g' | 'G'> = { v: 'g', g: 'g', G: 'G' };
  const fixedVerbs: Record<string, 'e' | 'E' | 'f'> = { e: 'e', E: 'E', f: 'f', F: 'f' };
  const shortest = shortestVerbs[verb];
  const fixed = fixedVerbs[verb];
  if (!shortest && !fixed) return badVerb(verb, value);
  const body = shortest
    ? formatFloat(value, shortest, spec.prec ?? -1)
    : formatFloat(value, fixed ?? 'f', spec.prec ?? 6);
  let num = body.startsWith('-') || body.startsWith('+') ? body : `+${body}`;
  if (spec.space && num.startsWith('+') && !spec.plus) num = ` ${num.slice(1)}`;
  if (num.endsWith('Inf') || num.endsWith('NaN')) {
    if (num.endsWith('NaN') && !spec.space && !spec.plus) num = num.slice(1);
    return pad(num, { ...spec, zero: false });
  }
  if (spec.plus || !num.startsWith('+')) {
    const width = spec.width ?? 0;
    if (spec.zero && !spec.minus && width > num.length) {
      return (num[0] as string) + '0'.repeat(width - num.length) + num.slice(1);
    }
    return pad(num, spec);
  }
  return pad(num.slice(1), spec);
}

function formatString(text: string, verb: string, spec: FormatSpec): string {
  switch (verb) {
    case 'v':
      if (spec.sharpV) return pad(quote(text, '"', false), spec);
      return pad(truncate(text, spec.prec), spec);
    case 's':
      return pad(truncate(text, spec.prec), spec);
    case 'q': {
      const shown = truncate(text, spec.prec);
      if (spec.sharp && canBackquote(shown)) return pad(`\`${shown}\``, spec);
      return pad(quote(shown, '"', spec.plus), spec);
    }
    case 'x':
    case 'X': {
      let bytes = [...utf8Bytes(text)];
      if (spec.prec !== undefined) bytes = bytes.slice(0, spec.prec);
      if (bytes.length === 0) return pad('', spec);
      const prefix = spec.sharp ? (verb === 'x' ? '0x' : '0X') : '';
      const hex = bytes.map((b) => {
        const h = b.toString(16).padStart(2, '0');
        return verb === 'X' ? h.toUpperCase() : h;
      });
      return pad(spec.space ? hex.map((h) => prefix + h).join(' ') : prefix + hex.join(''), spec);
    }
    default:
      return badVerb(verb, text);
  }
}

function truncate(text: string, prec: number | undefined): string {
  if (prec === undefined) return text;
  const runes = [...text];
  return runes.length > prec ? runes.slice(0, prec).join('') : text;
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

function isPrint(code: number): boolean {
  return PRINTABLE.test(String.fromCodePoint(code));
}

const QUOTE_ESCAPES: Record<number, string> = {
  7: '\\a',
  8: '\\b',
  12: '\\f',
  10: '\\n',
  13: '\\r',
  9: '\\t',
  11: '\\v',
};

/** strconv.Quote (or QuoteToASCII) with the given quote character. */
export function quote(text: string, quoteChar: '"' | "'", asciiOnly: boolean): string {
  let out = quoteChar;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === quoteChar || char === '\\') out += `\\${char}`;
    else if (code >= 0xd800 && code < 0xe000) out += '\\ufffd';
    else if (asciiOnly ? code < 0x7f && isPrint(code) : isPrint(code)) out += char;
    else if (QUOTE_ESCAPES[code]) out += QUOTE_ESCAPES[code];
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return out + quoteChar;
}

function canBackquote(text: string): boolean {
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '`' || code === 0xfeff || (code < 0x20 && char !== '\t') || code === 0x7f) return false;
  }
  return true;
}
