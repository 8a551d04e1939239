/**
 * Reading and writing one YAML scalar in its source form. The updater replaces a scalar's bytes
 * and nothing else, so it must read the old value the way a YAML parser would (escapes, line
 * folding) and write the new one so that it parses back to exactly that string in the same
 * style the author chose.
 */

export type ScalarStyle = 'plain' | 'single' | 'double';

/** A scalar's place in a source text: `[start, end)` covers the quotes of a quoted scalar. */
export interface ScalarSpan {
  start: number;
  end: number;
  style: ScalarStyle;
  /** Inside a flow collection, where `,[]{}` end a plain scalar. */
  flow: boolean;
}

/** One replacement in a source text. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};
const HEX_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };

const isBreak = (c: string | undefined) => c === '\n' || c === '\r';
const isSpace = (c: string | undefined) => c === ' ' || c === '\t';

/** The string a scalar's source stands for, with YAML's escapes and line folding applied. */
export function decodeScalar(text: string, span: ScalarSpan): string {
  const { start, end, style } = span;
  if (style === 'plain') {
    const raw = text.slice(start, end);
    return raw.includes('\n') || raw.includes('\r') ? fold(text, start, end, style) : raw;
  }
  const inner = text.slice(start + 1, end - 1);
  const simple = !inner.includes('\n') && !inner.includes('\r');
  if (style === 'single' && simple) return inner.replaceAll("''", "'");
  if (style === 'double' && simple && !inner.includes('\\')) return inner;
  return fold(text, start + 1, end - 1, style);
}

/**
 * Flow scalar folding: a single line break becomes a space, each further empty line a newline;
 * white space around breaks is dropped, except where a double-quoted scalar escapes it.
 */
function fold(text: string, start: number, end: number, style: ScalarStyle): string {
  let out = '';
  let kept = 0; // length of `out` up to its last character that folding may not trim
  let i = start;
  while (i < end) {
    const c = text[i] as string;
    if (style === 'double' && c === '\\') {
      const n = text[i + 1] as string;
      if (isBreak(n)) {
        i = skipBreak(text, i + 1);
        while (i < end && isSpace(text[i])) i++;
        kept = out.length;
        continue;
      }
      const hex = HEX_LENGTH[n];
      if (hex !== undefined) {
        out += String.fromCodePoint(Number.parseInt(text.slice(i + 2, i + 2 + hex), 16));
        i += 2 + hex;
      } else {
        out += ESCAPES[n] ?? n;
        i += 2;
      }
      kept = out.length;
    } else if (style === 'single' && c === "'" && text[i + 1] === "'") {
      out += "'";
      i += 2;
      kept = out.length;
    } else if (isBreak(c)) {
      out = out.slice(0, kept);
      let empty = 0;
      i = skipBreak(text, i);
      for (;;) {
        let j = i;
        while (j < end && isSpace(text[j])) j++;
        if (j < end && isBreak(text[j])) {
          empty++;
          i = skipBreak(text, j);
        } else {
          i = j;
          break;
        }
      }
      out += empty === 0 ? ' ' : '\n'.repeat(empty);
      kept = out.length;
    } else {
      out += c;
      i++;
      if (!isSpace(c)) kept = out.length;
    }
  }
  return out;
}

function skipBreak(text: string, i: number): number {
  return text[i] === '\r' && text[i + 1] === '\n' ? i + 2 : i + 1;
}

/** The source for `value` in `style`; a plain scalar that would not read back as this string is double-quoted. */
export function renderScalar(value: string, style: ScalarStyle, flow: boolean): string {
  if (style === 'single' && isPrintable(value)) return `'${value.replaceAll("'", "''")}'`;
  if (style === 'plain' && canBePlain(value, flow)) return value;
  return `"${escapeDouble(value)}"`;
}

function escapeDouble(value: string): string {
  let out = '';
  for (const ch of value) {
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch < ' ' || ch === '\x7f') out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const NON_PRINTABLE = /[\x00-\x08\x0a-\x1f\x7f]/;
const isPrintable = (value: string) => !NON_PRINTABLE.test(value);

const PLAIN_FIRST_FORBIDDEN = new Set([...',[]{}#&*!|>\'"%@`']);
const FLOW_INDICATORS = /[,[\]{}]/;

/**
 * Whether `value` may be written as a plain scalar and read back as the same string. Like the
 * setters Flux applies, a value that a YAML 1.1 or 1.2 reader would take for a number, a boolean,
 * a null or a date is quoted, so `1.10` stays the string "1.10".
 */
export function canBePlain(value: string, flow: boolean): boolean {
  if (value === '' || !isPrintable(value) || value.includes('\t')) return false;
  const first = value[0] as string;
  if (isSpace(first) || isSpace(value[value.length - 1])) return false;
  if (PLAIN_FIRST_FORBIDDEN.has(first)) return false;
  if ((first === '-' || first === '?' || first === ':') && (value.length === 1 || value[1] === ' ')) {
    return false;
  }
  if (value.includes(': ') || value.includes(' #') || value.endsWith(':')) return false;
  if (flow && FLOW_INDICATORS.test(value)) return false;
  if (value.startsWith('---') || value.startsWith('...')) return false;
  return !readsAsNonString(value);
}

const NON_STRING = [
  /^(?:~|null|Null|NULL)$/,
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^[-+]?(?:0|[1-9][0-9_]*)$/,
  /^[-+]?0[0-7_]+$/,
  /^[-+]?0o[0-7_]+$/,
  /^[-+]?0x[0-9a-fA-F_]+$/,
  /^[-+]?0b[01_]+$/,
  /^[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/,
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?$/,
  /^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
  /^[-+]?\.(?:inf|Inf|INF)$/,
  /^\.(?:nan|NaN|NAN)$/,
  /^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]|[ \t]+)\d{1,2}:\d{2}:\d{2}(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d{1,2}(?::\d{2})?))?)?$/,
];

/** Whether a plain scalar with this text resolves to something other than a string. */
export function readsAsNonString(value: string): boolean {
  return NON_STRING.some((pattern) => pattern.test(value));
}

/** Applies non-overlapping edits to `text`; edits may come in any order. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const edit of sorted) {
    out += text.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + text.slice(at);
}
