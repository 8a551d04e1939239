/**
 * Where YAML's smallest pieces end: quoted and plain scalars, anchors, tags and aliases, blanks
 * and line breaks. Stateless helpers over character codes for the scanner, which keeps the
 * structure (indentation, collections, documents) on top of them. Past the end of the text
 * `charCodeAt` gives NaN, which every check here treats as a line break.
 */
import type { ScalarStyle } from './scalar-edit.ts';

export const SP = 32;
export const TAB = 9;
export const LF = 10;
export const CR = 13;
export const HASH = 35;
export const DASH = 45;
export const DOT = 46;
export const COLON = 58;
export const QUESTION = 63;
export const COMMA = 44;
export const DQUOTE = 34;
export const SQUOTE = 39;
export const LBRACKET = 91;
export const RBRACKET = 93;
export const LBRACE = 123;
export const RBRACE = 125;
export const AMP = 38;
export const BANG = 33;
export const STAR = 42;
export const PIPE = 124;
export const GT = 62;
export const PERCENT = 37;
export const BOM = 0xfeff;
const BACKSLASH = 92;

export const isBlank = (c: number) => c === SP || c === TAB;
export const isBreakOrEnd = (c: number) => c === LF || c === CR || Number.isNaN(c);
export const isBlankOrEnd = (c: number) => isBlank(c) || isBreakOrEnd(c);
export const isFlowIndicator = (c: number) =>
  c === COMMA || c === LBRACKET || c === RBRACKET || c === LBRACE || c === RBRACE;

/** The style of a scalar that starts with character `c`. */
export const styleAt = (c: number): ScalarStyle =>
  c === DQUOTE ? 'double' : c === SQUOTE ? 'single' : 'plain';

/** The end of the scalar starting at `i`: after the closing quote, or after the last non-blank of a plain one. */
export function scalarEnd(text: string, i: number, style: ScalarStyle, inFlow: boolean): number {
  if (style === 'double') return doubleQuotedEnd(text, i);
  return style === 'single' ? singleQuotedEnd(text, i) : plainEnd(text, i, inFlow);
}

/**
 * A plain scalar ends before `: `, before ` #`, at a line break in block context and, in flow
 * context, at `,[]{}`; there it may continue on the next line unless that line starts with an
 * indicator.
 */
function plainEnd(text: string, i: number, inFlow: boolean): number {
  let end = i;
  let k = i;
  for (;;) {
    const c = text.charCodeAt(k);
    if (Number.isNaN(c)) return end;
    if (c === LF || c === CR) {
      if (!inFlow) return end;
      let n = k;
      while (isBlank(text.charCodeAt(n)) || text.charCodeAt(n) === LF || text.charCodeAt(n) === CR) n++;
      const next = text.charCodeAt(n);
      if (Number.isNaN(next) || next === HASH || isFlowIndicator(next) || next === COLON) return end;
      k = n;
      continue;
    }
    if (c === COLON) {
      const n = text.charCodeAt(k + 1);
      if (isBlankOrEnd(n) || (inFlow && isFlowIndicator(n))) return end;
    } else if (c === HASH) {
      if (isBlank(text.charCodeAt(k - 1))) return end;
    } else if (inFlow && isFlowIndicator(c)) {
      return end;
    }
    k++;
    if (!isBlank(c)) end = k;
  }
}

function doubleQuotedEnd(text: string, i: number): number {
  let k = i + 1;
  while (k < text.length) {
    const c = text.charCodeAt(k);
    if (c === BACKSLASH) k += 2;
    else if (c === DQUOTE) return k + 1;
    else k++;
  }
  return text.length;
}

function singleQuotedEnd(text: string, i: number): number {
  let k = i + 1;
  while (k < text.length) {
    if (text.charCodeAt(k) === SQUOTE) {
      if (text.charCodeAt(k + 1) !== SQUOTE) return k + 1;
      k += 2;
    } else k++;
  }
  return text.length;
}

/** The end of an anchor (`&a`), tag (`!t`) or alias (`*a`). */
export function propertyEnd(text: string, i: number, inFlow: boolean): number {
  let k = i + 1;
  for (;;) {
    const c = text.charCodeAt(k);
    if (isBlankOrEnd(c) || (inFlow && isFlowIndicator(c))) return k;
    k++;
  }
}

export function skipBlanks(text: string, i: number): number {
  while (isBlank(text.charCodeAt(i))) i++;
  return i;
}

/** The offset of the line break (or end of text) at or after `i`. */
export function lineEnd(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === LF || c === CR || Number.isNaN(c)) return i;
    i++;
  }
}

/** The offset after the line break at `i` (LF, CR LF or CR), or `i` when there is none. */
export function skipBreak(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === CR) return text.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
  return c === LF ? i + 1 : i;
}

/** Whether a `---` or `...` document marker (`c` three times, then a blank) starts at `i`. */
export function isDocumentMarker(text: string, i: number, c: number): boolean {
  return (
    text.charCodeAt(i) === c &&
    text.charCodeAt(i + 1) === c &&
    text.charCodeAt(i + 2) === c &&
    isBlankOrEnd(text.charCodeAt(i + 3))
  );
}
