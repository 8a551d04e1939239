/**
 * fmt.Sprintf, Sprint and Sprintln: the format string's flags (`+ - # 0 space`), widths and
 * precisions (`*` from arguments), argument indexes (`%[2]s`), and Go's in-band complaints
 * (`%!d(string=x)`, `%!s(MISSING)`, `%!(EXTRA int=1)`, `%!(NOVERB)`) instead of exceptions.
 */
import { type FormatSpec, formatArg, formatPlain, plainSpec } from './format-value.ts';
import { goTypeName, kindOf } from './go-values.ts';

const TOO_LARGE = 1_000_000;

/** fmt.Sprintf. */
export function sprintf(format: string, args: readonly unknown[]): string {
  let out = '';
  let argNum = 0;
  let reordered = false;
  const end = format.length;
  let i = 0;

  const argNumber = (at: number): { at: number; found: boolean; good: boolean } => {
    if (format[at] !== '[') return { at, found: false, good: true };
    reordered = true;
    const close = format.indexOf(']', at + 1);
    if (close === -1) return { at: at + 1, found: false, good: false };
    const text = format.slice(at + 1, close);
    const index = /^\d+$/.test(text) ? Number(text) - 1 : -1;
    if (index >= 0 && index < args.length) {
      argNum = index;
      return { at: close + 1, found: true, good: true };
    }
    return { at: close + 1, found: true, good: false };
  };
  const intFromArg = (): number | undefined => {
    if (argNum >= args.length) return undefined;
    const value = args[argNum++];
    if (kindOf(value) !== 'int') return undefined;
    const n = Number(value);
    return Math.abs(n) > TOO_LARGE ? undefined : n;
  };
  const parseNum = (at: number): { value: number | undefined; at: number } => {
    let j = at;
    while (j < end && /[0-9]/.test(format[j] as string)) j++;
    if (j === at) return { value: undefined, at };
    const value = Number(format.slice(at, j));
    return value > TOO_LARGE ? { value: undefined, at: end } : { value, at: j };
  };

  while (i < end) {
    const percent = format.indexOf('%', i);
    if (percent === -1) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, percent);
    i = percent + 1;
    const spec: FormatSpec = plainSpec();
    for (; i < end; i++) {
      const c = format[i];
      if (c === '#') spec.sharp = true;
      else if (c === '0') spec.zero = !spec.minus;
      else if (c === '+') spec.plus = true;
      else if (c === '-') {
        spec.minus = true;
        spec.zero = false;
      } else if (c === ' ') spec.space = true;
      else break;
    }
    let goodArgNum = true;
    let index = argNumber(i);
    i = index.at;
    goodArgNum &&= index.good;
    let afterIndex = index.found;
    if (format[i] === '*') {
      i++;
      spec.width = intFromArg();
      if (spec.width === undefined) out += '%!(BADWIDTH)';
      else if (spec.width < 0) {
        spec.width = -spec.width;
        spec.minus = true;
        spec.zero = false;
      }
      afterIndex = false;
    } else {
      const width = parseNum(i);
      spec.width = width.value;
      i = width.at;
      if (afterIndex && spec.width !== undefined) goodArgNum = false;
    }
    if (i + 1 < end && format[i] === '.') {
      i++;
      if (afterIndex) goodArgNum = false;
      index = argNumber(i);
      i = index.at;
      goodArgNum &&= index.good;
      afterIndex = index.found;
      if (format[i] === '*') {
        i++;
        spec.prec = intFromArg();
        if (spec.prec !== undefined && spec.prec < 0) spec.prec = undefined;
        if (spec.prec === undefined) out += '%!(BADPREC)';
        afterIndex = false;
      } else {
        const prec = parseNum(i);
        spec.prec = prec.value ?? 0;
        i = prec.at;
      }
    }
    if (!afterIndex) {
      index = argNumber(i);
      i = index.at;
      goodArgNum &&= index.good;
    }
    if (i >= end) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i) ?? 0);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (!goodArgNum) {
      out += `%!${verb}(BADINDEX)`;
      continue;
    }
    if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    if (verb === 'v') {
      spec.sharpV = spec.sharp;
      spec.sharp = false;
      spec.plusV = spec.plus;
      spec.plus = false;
    }
    out += formatArg(args[argNum], verb, spec);
    argNum++;
  }
  if (!reordered && argNum < args.length) {
    const extra = args
      .slice(argNum)
      .map((arg) => (arg === null || arg === undefined ? '<nil>' : `${goTypeName(arg)}=${formatPlain(arg)}`));
    out += `%!(EXTRA ${extra.join(', ')})`;
  }
  return out;
}

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: readonly unknown[]): string {
  let out = '';
  let previousString = false;
  args.forEach((arg, index) => {
    const isString = typeof arg === 'string';
    if (index > 0 && !isString && !previousString) out += ' ';
    out += formatPlain(arg);
    previousString = isString;
  });
  return out;
}

/** fmt.Sprintln: spaces between all operands and a final newline. */
export function sprintln(args: readonly unknown[]): string {
  return `${args.map(formatPlain).join(' ')}\n`;
}
