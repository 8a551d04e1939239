/**
 * An ImagePolicy's filterTags: keep the tags a Go (RE2) regular expression matches anywhere, and
 * optionally rank a value extracted from each instead of the tag itself (`$ts`, `${ts}`, `$1`,
 * expanded per match exactly as Go's Regexp.ExpandString does), mapping the winner back to its tag.
 *
 * The expression comes from users, so it runs on an RE2 engine: matching is linear in the tag, and
 * no pattern (`(a+)+$` included) can stall a job.
 */
import { RE2JS } from 're2js';
import { PolicyError } from './policy-error.ts';

export interface TagFilter {
  /** True when `extract` changes the values ranked; false when the filter only keeps or drops tags. */
  readonly rewrites: boolean;
  /** Whether the pattern matches somewhere in the tag. */
  readonly test: (tag: string) => boolean;
  /**
   * The values to rank, each mapped to its original tag, in the order first seen. As in Flux, a value
   * several tags extract to maps to the last of them.
   */
  readonly apply: (tags: readonly string[]) => Map<string, string>;
}

export function compileTagFilter(filterTags: {
  pattern?: string | undefined;
  extract?: string | undefined;
}): TagFilter {
  const pattern = filterTags.pattern ?? '';
  const template = filterTags.extract ?? '';
  let regex: RE2JS;
  try {
    regex = RE2JS.compile(pattern);
  } catch (error) {
    throw new PolicyError(
      `invalid filterTags pattern ${JSON.stringify(pattern)}: ${(error as Error).message}`,
      {
        cause: error,
        data: { pattern },
      },
    );
  }
  // The RE2 object's Go-style calls skip the Matcher a capture would allocate, and a literal prefix
  // the pattern demands rules most tags out before the engine starts.
  const re2 = regex.re2();
  const prefix = literalPrefix(pattern);
  const test = (tag: string): boolean => tag.startsWith(prefix) && re2.match(tag);
  if (template === '') {
    return {
      rewrites: false,
      test,
      apply(tags) {
        const kept = new Map<string, string>();
        for (const tag of tags) if (test(tag)) kept.set(tag, tag);
        return kept;
      },
    };
  }
  const parts = compileTemplate(template, regex.namedGroups(), regex.groupCount());
  return {
    rewrites: true,
    test,
    apply(tags) {
      const values = new Map<string, string>();
      for (const tag of tags) {
        if (!tag.startsWith(prefix)) continue;
        const match: number[] | null = re2.findSubmatchIndex(tag);
        if (match === null) continue;
        let value = '';
        for (const part of parts) {
          if (typeof part === 'string') value += part;
          else if (match[2 * part]! >= 0) value += tag.slice(match[2 * part], match[2 * part + 1]);
        }
        values.set(value, tag);
      }
      return values;
    },
  };
}

const PLAIN = /^[A-Za-z0-9_\-:/@=,]$/;
const ESCAPED = /^[.\-_/+*?()[\]{}^$|\\]$/;

/**
 * The text every match must begin with, when the pattern states it plainly: `^` and then letters,
 * digits and escaped punctuation up to the first operator (a character a quantifier follows is not
 * counted). '' whenever that is not certain: no `^` at the start, or a `|` anywhere.
 */
export function literalPrefix(pattern: string): string {
  if (!pattern.startsWith('^') || pattern.includes('|')) return '';
  let prefix = '';
  for (let i = 1; i < pattern.length; ) {
    let literal = pattern[i]!;
    let width = 1;
    if (literal === '\\' && ESCAPED.test(pattern[i + 1] ?? '')) {
      literal = pattern[i + 1]!;
      width = 2;
    } else if (!PLAIN.test(literal)) {
      break;
    }
    const next = pattern[i + width];
    if (next !== undefined && '*+?{'.includes(next)) break;
    prefix += literal;
    i += width;
  }
  return prefix;
}

/**
 * A template as Go's Regexp.ExpandString reads it, read once: literal text, and group indices for
 * `$name` or `${name}` (a number is a group index, a name a named group; one that does not exist
 * expands to nothing, as does a group that did not take part in the match). `$$` is a `$`, and a `$`
 * not followed by a valid reference stays as it is. A name is the longest run of letters, digits and
 * `_`, so `$1x` names group "1x", not group 1 then "x".
 */
function compileTemplate(
  template: string,
  names: Record<string, number>,
  groupCount: number,
): (string | number)[] {
  const parts: (string | number)[] = [];
  let literal = '';
  let rest = template;
  for (let dollar = rest.indexOf('$'); dollar >= 0; dollar = rest.indexOf('$')) {
    literal += rest.slice(0, dollar);
    rest = rest.slice(dollar + 1);
    if (rest.startsWith('$')) {
      literal += '$';
      rest = rest.slice(1);
      continue;
    }
    const reference = readReference(rest);
    if (reference === undefined) {
      literal += '$';
      continue;
    }
    rest = reference.rest;
    const index =
      reference.index ?? (Object.hasOwn(names, reference.name) ? names[reference.name] : undefined);
    if (index === undefined || index > groupCount) continue;
    parts.push(literal, index);
    literal = '';
  }
  parts.push(literal + rest);
  return parts.filter((part) => part !== '');
}

const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

/** Go's regexp `extract`: a leading `name` or `{name}`, with its group index when it is a number. */
function readReference(text: string): { name: string; index: number | undefined; rest: string } | undefined {
  const brace = text.startsWith('{');
  const body = brace ? text.slice(1) : text;
  let end = 0;
  for (const char of body) {
    if (!NAME_CHAR.test(char)) break;
    end += char.length;
  }
  if (end === 0) return undefined;
  const name = body.slice(0, end);
  if (brace) {
    if (body[end] !== '}') return undefined;
    end++;
  }
  return { name, index: groupIndex(name), rest: body.slice(end) };
}

/** A decimal group number of at most nine digits without a leading zero, as Go reads one; otherwise a name. */
function groupIndex(name: string): number | undefined {
  if (!/^[0-9]+$/.test(name) || (name.length > 1 && name.startsWith('0')) || name.length > 9)
    return undefined;
  return Number(name);
}
