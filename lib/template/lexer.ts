/**
 * Splits template text into tokens the way Go's text/template lexer does: text between actions,
 * `{{- ` and ` -}}` trimming applied here (so the parser sees text already trimmed), comments
 * dropped, and inside actions the spaces kept as tokens because they separate operands.
 */
import { lineAndColumn, TemplateError } from './template-error.ts';

export type TokenKind =
  | 'text'
  | 'leftDelim'
  | 'rightDelim'
  | 'space'
  | 'field'
  | 'variable'
  | 'identifier'
  | 'keyword'
  | 'bool'
  | 'nil'
  | 'number'
  | 'char'
  | 'string'
  | 'rawString'
  | 'dot'
  | 'leftParen'
  | 'rightParen'
  | 'pipe'
  | 'declare'
  | 'assign'
  | 'comma'
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** Source text of the token; for text tokens, the text after trimming. */
  value: string;
  /** Offset of the token's first character in the template text. */
  pos: number;
}

const KEYWORDS = new Set([
  'block',
  'break',
  'continue',
  'define',
  'else',
  'end',
  'if',
  'range',
  'template',
  'with',
]);

export function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

function isAlphaNumeric(c: string | undefined): boolean {
  return c !== undefined && (c === '_' || /^[\p{L}\p{Nd}]$/u.test(c));
}

function trimLeftSpace(text: string): string {
  return text.replace(/^[ \t\r\n]+/, '');
}

function trimRightSpace(text: string): string {
  return text.replace(/[ \t\r\n]+$/, '');
}

/** Tokens of the whole text, ending with `eof`; throws TemplateError on a lexical error. */
export function lex(text: string, name: string): Token[] {
  const tokens: Token[] = [];
  const fail = (pos: number, reason: string): never => {
    throw new TemplateError({ template: name, phase: 'parse', reason, ...lineAndColumn(text, pos) });
  };
  const emit = (kind: TokenKind, start: number, end: number): void => {
    tokens.push({ kind, value: text.slice(start, end), pos: start });
  };
  /** ` -}}` at p: a space, the trim marker, the right delimiter. */
  const rightTrimAt = (p: number): boolean => isSpace(text[p]) && text.startsWith('-}}', p + 1);

  let pos = 0;
  let trimNext = false;
  while (pos <= text.length) {
    const open = text.indexOf('{{', pos);
    const textEnd = open === -1 ? text.length : open;
    let chunk = text.slice(pos, textEnd);
    if (trimNext) chunk = trimLeftSpace(chunk);
    trimNext = false;
    if (open === -1) {
      if (chunk) tokens.push({ kind: 'text', value: chunk, pos });
      break;
    }
    let p = open + 2;
    if (text[p] === '-' && isSpace(text[p + 1])) {
      chunk = trimRightSpace(chunk);
      p += 2;
    }
    if (chunk) tokens.push({ kind: 'text', value: chunk, pos });
    if (text.startsWith('/*', p)) {
      const close = text.indexOf('*/', p + 2);
      if (close === -1) fail(open, 'unclosed comment: expected */}}');
      p = close + 2;
      if (rightTrimAt(p)) {
        trimNext = true;
        p += 2;
      }
      if (!text.startsWith('}}', p)) fail(p, 'comment ends before closing delimiter: expected */}}');
      pos = p + 2;
      continue;
    }
    emit('leftDelim', open, open + 2);
    pos = lexAction(p, open);
  }
  tokens.push({ kind: 'eof', value: '', pos: text.length });
  return tokens;

  /** Lexes the inside of an action starting at p; returns the offset after its `}}`. */
  function lexAction(start: number, open: number): number {
    let p = start;
    let parenDepth = 0;
    for (;;) {
      if (rightTrimAt(p) || text.startsWith('}}', p)) {
        if (parenDepth > 0) fail(p, 'unclosed left paren: expected )');
        const trim = rightTrimAt(p);
        const delimStart = trim ? p + 2 : p;
        emit('rightDelim', delimStart, delimStart + 2);
        trimNext = trim;
        return delimStart + 2;
      }
      const c = text[p];
      if (c === undefined) return fail(open, 'unclosed action: expected }}');
      if (isSpace(c)) {
        let q = p;
        while (isSpace(text[q])) q++;
        if (text.startsWith('-}}', q)) q--;
        if (q > p) emit('space', p, q);
        p = q;
        continue;
      }
      if (c === '=') {
        emit('assign', p, p + 1);
        p += 1;
      } else if (c === ':') {
        if (text[p + 1] !== '=') fail(p, 'expected :=');
        emit('declare', p, p + 2);
        p += 2;
      } else if (c === '|') {
        emit('pipe', p, p + 1);
        p += 1;
      } else if (c === ',') {
        emit('comma', p, p + 1);
        p += 1;
      } else if (c === '(') {
        emit('leftParen', p, p + 1);
        parenDepth++;
        p += 1;
      } else if (c === ')') {
        if (parenDepth === 0) fail(p, 'unexpected right paren');
        emit('rightParen', p, p + 1);
        parenDepth--;
        p += 1;
      } else if (c === '"') {
        p = lexQuoted(p, '"', 'string', 'unterminated quoted string');
      } else if (c === "'") {
        p = lexQuoted(p, "'", 'char', 'unterminated character constant');
      } else if (c === '`') {
        const close = text.indexOf('`', p + 1);
        if (close === -1) fail(p, 'unterminated raw quoted string');
        emit('rawString', p, close + 1);
        p = close + 1;
      } else if (c === '$') {
        p = lexWord(p + 1, p, 'variable');
      } else if (c === '.' && !/[0-9]/.test(text[p + 1] ?? '')) {
        if (isAlphaNumeric(text[p + 1])) p = lexWord(p + 1, p, 'field');
        else {
          if (!atTerminator(p + 1)) fail(p + 1, `bad character ${describeChar(text[p + 1])}`);
          emit('dot', p, p + 1);
          p += 1;
        }
      } else if (c === '+' || c === '-' || c === '.' || /[0-9]/.test(c)) {
        p = lexNumber(p);
      } else if (isAlphaNumeric(c)) {
        const end = wordEnd(p);
        if (!atTerminator(end)) fail(end, `bad character ${describeChar(text[end])}`);
        const word = text.slice(p, end);
        const kind: TokenKind = KEYWORDS.has(word)
          ? 'keyword'
          : word === 'true' || word === 'false'
            ? 'bool'
            : word === 'nil'
              ? 'nil'
              : 'identifier';
        emit(kind, p, end);
        p = end;
      } else {
        fail(p, `unrecognized character in action: ${describeChar(c)}`);
      }
    }
  }

  function wordEnd(p: number): number {
    let q = p;
    while (q < text.length && isAlphaNumeric(String.fromCodePoint(text.codePointAt(q) ?? 0))) {
      q += (text.codePointAt(q) ?? 0) > 0xffff ? 2 : 1;
    }
    return q;
  }

  function lexWord(from: number, start: number, kind: TokenKind): number {
    const end = wordEnd(from);
    if (!atTerminator(end)) fail(end, `bad character ${describeChar(text[end])}`);
    emit(kind, start, end);
    return end;
  }

  function atTerminator(p: number): boolean {
    const c = text[p];
    return c === undefined || isSpace(c) || '.,|:)('.includes(c) || text.startsWith('}}', p);
  }

  function lexQuoted(start: number, quote: string, kind: TokenKind, unterminated: string): number {
    let p = start + 1;
    for (;;) {
      const c = text[p];
      if (c === undefined || c === '\n') return fail(start, unterminated);
      if (c === '\\') {
        if (text[p + 1] === undefined || text[p + 1] === '\n') return fail(start, unterminated);
        p += 2;
        continue;
      }
      p++;
      if (c === quote) break;
    }
    emit(kind, start, p);
    return p;
  }

  function lexNumber(start: number): number {
    const match =
      /^[+-]?(0[xX][0-9a-fA-F_]*\.?[0-9a-fA-F_]*(?:[pP][+-]?[0-9_]+)?|0[oObB][0-9_]+|[0-9_]*\.?[0-9_]*(?:[eE][+-]?[0-9_]+)?)i?/.exec(
        text.slice(start),
      );
    const end = start + (match?.[0].length ?? 0);
    if (end === start || isAlphaNumeric(text[end]) || !/[0-9]/.test(text.slice(start, end))) {
      let bad = end;
      while (bad < text.length && (isAlphaNumeric(text[bad]) || text[bad] === '.')) bad++;
      fail(start, `bad number syntax: "${text.slice(start, Math.max(bad, start + 1))}"`);
    }
    emit('number', start, end);
    return end;
  }
}

function describeChar(c: string | undefined): string {
  if (c === undefined) return 'EOF';
  const code = c.codePointAt(0) ?? 0;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')} '${c}'`;
}
