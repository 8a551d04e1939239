/**
 * Go's literal syntax for the constants a template may hold: interpreted and raw strings, rune
 * constants and numbers (decimal, hex, octal, binary, underscores, floats). Escapes such as `\xe2`
 * are bytes in Go, so strings are assembled as UTF-8 bytes and decoded once.
 */

const SIMPLE_ESCAPES: Record<string, number> = {
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  '\\': 92,
};

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The value of a Go string literal (with its quotes), or undefined when its syntax is invalid. */
export function unquoteString(literal: string): string | undefined {
  if (literal.startsWith('`')) return literal.slice(1, -1).replaceAll('\r', '');
  const body = literal.slice(1, -1);
  const bytes: number[] = [];
  for (let i = 0; i < body.length; ) {
    const c = body[i] as string;
    if (c !== '\\') {
      const code = body.codePointAt(i) ?? 0;
      const char = String.fromCodePoint(code);
      for (const b of encoder.encode(char)) bytes.push(b);
      i += char.length;
      continue;
    }
    const sequence = readEscape(body, i, '"');
    if (!sequence) return undefined;
    if (sequence.byte !== undefined) bytes.push(sequence.byte);
    else for (const b of encoder.encode(String.fromCodePoint(sequence.rune ?? 0))) bytes.push(b);
    i = sequence.next;
  }
  return decoder.decode(new Uint8Array(bytes));
}

/** The code point of a Go rune literal such as `'a'` or `'\n'`, or undefined when invalid. */
export function unquoteChar(literal: string): number | undefined {
  const body = literal.slice(1, -1);
  if (body.startsWith('\\')) {
    const sequence = readEscape(body, 0, "'");
    if (!sequence || sequence.next !== body.length) return undefined;
    return sequence.byte ?? sequence.rune;
  }
  const code = body.codePointAt(0);
  if (code === undefined || String.fromCodePoint(code).length !== body.length) return undefined;
  return code;
}

interface Escape {
  byte?: number;
  rune?: number;
  next: number;
}

function readEscape(body: string, at: number, quote: string): Escape | undefined {
  const c = body[at + 1];
  if (c === undefined) return undefined;
  const simple = SIMPLE_ESCAPES[c];
  if (simple !== undefined) return { byte: simple, next: at + 2 };
  if (c === quote) return { byte: c.charCodeAt(0), next: at + 2 };
  const hex = (digits: number): number | undefined => {
    const text = body.slice(at + 2, at + 2 + digits);
    return text.length === digits && /^[0-9a-fA-F]+$/.test(text) ? Number.parseInt(text, 16) : undefined;
  };
  if (c === 'x') {
    const value = hex(2);
    return value === undefined ? undefined : { byte: value, next: at + 4 };
  }
  if (c === 'u' || c === 'U') {
    const digits = c === 'u' ? 4 : 8;
    const value = hex(digits);
    if (value === undefined || value > 0x10ffff || (value >= 0xd800 && value < 0xe000)) return undefined;
    return { rune: value, next: at + 2 + digits };
  }
  const octal = body.slice(at + 1, at + 4);
  if (/^[0-7]{3}$/.test(octal)) {
    const value = Number.parseInt(octal, 8);
    return value > 255 ? undefined : { byte: value, next: at + 4 };
  }
  return undefined;
}

/** The value of a Go number literal, or undefined when it is not one ferry supports. */
export function parseNumber(literal: string): number | undefined {
  if (literal.endsWith('i')) return undefined;
  const negative = literal.startsWith('-');
  const unsigned = literal.replace(/^[+-]/, '');
  if (/(^_|_$|__)/.test(unsigned) || /_[.eEpP]|[.eEpP]_/.test(unsigned)) return undefined;
  const text = unsigned.replaceAll('_', '');
  let value: number | undefined;
  if (/^0[xX][0-9a-fA-F]+$/.test(text) || /^0[bB][01]+$/.test(text)) value = Number(BigInt(text));
  else if (/^0[oO][0-7]+$/.test(text)) value = Number(BigInt(`0o${text.slice(2)}`));
  else if (/^0[0-7]+$/.test(text)) value = Number(BigInt(`0o${text.slice(1)}`));
  else if (/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) value = Number(text);
  if (value === undefined || Number.isNaN(value)) return undefined;
  return negative ? -value : value;
}
