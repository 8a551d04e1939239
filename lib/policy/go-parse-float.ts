/**
 * Go's strconv.ParseFloat(s, 64), which decides what Flux's numerical policy counts as a number:
 * decimal (`42`, `-1.5`, `.5`, `1e9`, `1_000`), hexadecimal with a binary exponent (`0x1p-2`),
 * `inf`/`infinity` with an optional sign and `nan`, case-insensitively. Underscores only between
 * digits; no surrounding spaces; a finite literal too large for a float64 is an error in Go, so it
 * is not a number here either.
 */

const SPECIAL = /^(?:[+-]?(?:inf|infinity)|nan)$/i;

/** The number Go reads from `s`, or undefined where ParseFloat returns an error. */
export function parseGoFloat(s: string): number | undefined {
  if (SPECIAL.test(s)) {
    const lower = s.toLowerCase();
    if (lower === 'nan') return Number.NaN;
    return lower.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  const scan = scanFloat(s);
  if (scan === undefined) return undefined;
  if (scan.underscores && !underscoresOk(s)) return undefined;
  const clean = scan.underscores ? s.replaceAll('_', '') : s;
  const value = scan.hex ? hexValue(clean) : Number(clean);
  return Number.isFinite(value) ? value : undefined;
}

const isDigit = (c: string) => c >= '0' && c <= '9';
const isHexLetter = (c: string) => (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

/** The syntax check of Go's readFloat; the whole string must be consumed. */
function scanFloat(s: string): { hex: boolean; underscores: boolean } | undefined {
  let i = s[0] === '+' || s[0] === '-' ? 1 : 0;
  let hex = false;
  if (i + 2 < s.length && s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X')) {
    hex = true;
    i += 2;
  }
  let underscores = false;
  let sawDot = false;
  let sawDigits = false;
  for (; i < s.length; i++) {
    const c = s[i]!;
    if (c === '_') underscores = true;
    else if (c === '.' && !sawDot) sawDot = true;
    else if (isDigit(c) || (hex && isHexLetter(c))) sawDigits = true;
    else break;
  }
  if (!sawDigits) return undefined;
  const expChar = hex ? 'p' : 'e';
  if (i < s.length && s[i]!.toLowerCase() === expChar) {
    i++;
    if (s[i] === '+' || s[i] === '-') i++;
    if (i >= s.length || !isDigit(s[i]!)) return undefined;
    for (; i < s.length && (isDigit(s[i]!) || s[i] === '_'); i++) {
      if (s[i] === '_') underscores = true;
    }
  } else if (hex) {
    return undefined;
  }
  return i === s.length ? { hex, underscores } : undefined;
}

/** Go's underscoreOK: each `_` sits between digits, or between the base prefix and a digit. */
function underscoresOk(s: string): boolean {
  let body = s[0] === '+' || s[0] === '-' ? s.slice(1) : s;
  let saw = '^';
  let hex = false;
  if (body.length >= 2 && body[0] === '0' && 'bBoOxX'.includes(body[1]!)) {
    hex = body[1] === 'x' || body[1] === 'X';
    body = body.slice(2);
    saw = '0';
  }
  for (const c of body) {
    if (isDigit(c) || (hex && isHexLetter(c))) {
      saw = '0';
    } else if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
    } else {
      if (saw === '_') return false;
      saw = '!';
    }
  }
  return saw !== '_';
}

/** A hexadecimal float `[+-]0xH.Hp±E` (underscores already removed). */
function hexValue(s: string): number {
  const negative = s[0] === '-';
  const body = s.replace(/^[+-]?0[xX]/, '');
  const p = body.search(/[pP]/);
  const [whole = '', fraction = ''] = body.slice(0, p).split('.');
  const mantissa = BigInt(`0x0${whole}${fraction}`);
  let exponent = Math.max(-1e5, Math.min(1e5, Number(body.slice(p + 1)))) - 4 * fraction.length;
  let value = Number(mantissa);
  if (!Number.isFinite(value)) {
    const shift = mantissa.toString(2).length - 64;
    value = Number(mantissa >> BigInt(shift));
    exponent += shift;
  }
  while (exponent > 1000) {
    value *= 2 ** 1000;
    exponent -= 1000;
  }
  while (exponent < -1000) {
    value *= 2 ** -1000;
    exponent += 1000;
  }
  value *= 2 ** exponent;
  return negative ? -value : value;
}
