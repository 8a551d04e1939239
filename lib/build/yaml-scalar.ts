/**
 * How `kubectl kustomize` prints a string: its output goes through a YAML 1.1 encoder, so a string
 * that would read back as another type (`"yes"`, `"1.0"`, `"0x10"`, `"~"`) is double-quoted, one
 * that would break the syntax (`'a: b'`, `'*x'`) is single-quoted, multi-line text becomes a
 * literal block, unprintable characters are escaped, and long lines fold at spaces past column 80.
 */

const WIDTH = 80;
/** Text that can never need quoting, folding or escaping: most names, images and labels. */
const simple = /^[A-Za-z0-9_/][A-Za-z0-9_./-]*$/;

const yaml11Words = new Set(
  'y Y yes Yes YES n N no No NO true True TRUE false False FALSE on On ON off Off OFF ~ null Null NULL .inf .Inf .INF +.inf +.Inf +.INF -.inf -.Inf -.INF .nan .NaN .NAN <<'.split(
    ' ',
  ),
);
const intPattern =
  /^[-+]?(?:0[bB]_?[01]+(?:_[01]+)*|0[oO]_?[0-7]+(?:_[0-7]+)*|0[xX]_?[0-9a-fA-F]+(?:_[0-9a-fA-F]+)*|0_?[0-7]*(?:_[0-7]+)*|[1-9][0-9]*(?:_[0-9]+)*)$/;
const floatPattern = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const base60Pattern = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const timestampPattern =
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::?[0-9]{2})?))?)?$/;

/** True when the plain text would read back as something other than a string. */
function readsAsOtherType(s: string): boolean {
  return (
    s === '' ||
    yaml11Words.has(s) ||
    intPattern.test(s) ||
    /^[-+]?0b[01_]+$/.test(s) ||
    floatPattern.test(s) ||
    base60Pattern.test(s) ||
    timestampPattern.test(s)
  );
}

function isPrintable(c: number): boolean {
  return (
    c === 0x0a ||
    (c >= 0x20 && c <= 0x7e) ||
    (c >= 0xa0 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff)
  );
}
const isBreak = (c: number | undefined) =>
  c === 0x0a || c === 0x0d || c === 0x85 || c === 0x2028 || c === 0x2029;
const isBlank = (c: number | undefined) => c === 0x20 || c === 0x09;

interface Analysis {
  plain: boolean;
  single: boolean;
  block: boolean;
  multiline: boolean;
}

function analyze(chars: number[]): Analysis {
  let blockIndicators = false;
  let special = false;
  let lineBreaks = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  let precededByWhitespace = true;
  const text = String.fromCodePoint(...chars.slice(0, 3));
  if (text === '---' || text === '...') blockIndicators = true;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as number;
    const next = chars[i + 1];
    const followedByWhitespace = next === undefined || isBlank(next) || isBreak(next);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(String.fromCodePoint(c))) blockIndicators = true;
      if ((c === 0x3f || c === 0x3a || c === 0x2d) && followedByWhitespace) blockIndicators = true;
    } else if ((c === 0x3a && followedByWhitespace) || (c === 0x23 && precededByWhitespace)) {
      blockIndicators = true;
    }
    if (!isPrintable(c)) special = true;
    if (isBreak(c)) lineBreaks = true;
    if (c === 0x20) {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlank(c) || isBreak(c);
  }
  let plain = !(leadingSpace || leadingBreak || trailingSpace || trailingBreak || blockIndicators);
  let single = true;
  let block = !trailingSpace;
  if (breakSpace) plain = single = false;
  if (spaceBreak || special) plain = single = block = false;
  if (lineBreaks) plain = false;
  return { plain, single, block, multiline: lineBreaks };
}

const escapes: Record<number, string> = {
  0: '0',
  7: 'a',
  8: 'b',
  9: 't',
  10: 'n',
  11: 'v',
  12: 'f',
  13: 'r',
  27: 'e',
  34: '"',
  92: '\\',
  133: 'N',
  160: '_',
  8232: 'L',
  8233: 'P',
};

function escapeChar(c: number): string {
  const named = escapes[c];
  if (named !== undefined) return `\\${named}`;
  const hex = c.toString(16).toUpperCase();
  if (c <= 0xff) return `\\x${hex.padStart(2, '0')}`;
  if (c <= 0xffff) return `\\u${hex.padStart(4, '0')}`;
  return `\\U${hex.padStart(8, '0')}`;
}

function folded(
  chars: number[],
  column: number,
  indent: number,
  open: string,
  write: (c: number) => string,
  quoted: boolean,
): string {
  let out = open;
  let col = column + open.length;
  let spaces = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as number;
    if (c === 0x20) {
      const edge = quoted && (i === 0 || i === chars.length - 1);
      if (!spaces && col > WIDTH && !edge && chars[i + 1] !== 0x20) {
        out += `\n${' '.repeat(indent)}`;
        col = indent;
        if (open === '"' && chars[i + 1] === 0x20) out += '\\';
      } else {
        out += ' ';
        col++;
      }
      spaces = true;
      continue;
    }
    const piece = write(c);
    out += piece;
    col += piece.length;
    spaces = false;
  }
  return out + open;
}

function literal(s: string, indent: number): string {
  const chomp = !s.endsWith('\n') ? '-' : s.length === 1 || s.endsWith('\n\n') ? '+' : '';
  const hint = s.startsWith(' ') || s.startsWith('\n') ? '2' : '';
  const body = chomp === '+' || chomp === '' ? s.slice(0, -1) : s;
  const pad = ' '.repeat(indent);
  return `|${hint}${chomp}\n${body
    .split('\n')
    .map((line) => (line === '' ? '' : pad + line))
    .join('\n')}`;
}

/**
 * A string as the encoder prints it starting at `column`, continuation lines at `indent`.
 * Keys (`key: true`) never fold and never use a literal block.
 */
export function formatString(s: string, column: number, indent: number, key = false): string {
  if (simple.test(s) && !readsAsOtherType(s)) return s;
  const chars = Array.from(s, (ch) => ch.codePointAt(0) as number);
  const a = analyze(chars);
  const wantPlain = !readsAsOtherType(s);
  const width = key ? Number.NEGATIVE_INFINITY : column;
  if (s.includes('\n') && a.block && !key) return literal(s, indent);
  if (wantPlain && !s.includes('\n') && a.plain) {
    return folded(chars, width, indent, '', (c) => String.fromCodePoint(c), false);
  }
  if (wantPlain && !s.includes('\n') && a.single) {
    return folded(chars, width, indent, "'", (c) => (c === 0x27 ? "''" : String.fromCodePoint(c)), true);
  }
  return folded(
    chars,
    width,
    indent,
    '"',
    (c) =>
      !isPrintable(c) || isBreak(c) || c === 0x22 || c === 0x5c ? escapeChar(c) : String.fromCodePoint(c),
    true,
  );
}

/** A number as Go's encoder prints a float64 decoded from JSON: integers plainly, others in %g style. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) return BigInt(n).toString();
  if (!Number.isFinite(n)) return Number.isNaN(n) ? '.nan' : n > 0 ? '+.inf' : '-.inf';
  const [mantissa, expText] = n.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 6)
    return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(n);
}
