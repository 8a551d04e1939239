/**
 * Turns schema failures into field paths and plain sentences. Messages are written from the schema
 * (what was expected), never from the input, so a malformed Secret cannot leak a value into a log.
 */
import type * as z from 'zod';

export interface FieldIssue {
  path: string;
  message: string;
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  boolean: 'true or false',
  number: 'a number',
  int: 'an integer',
  object: 'a mapping',
  record: 'a mapping',
  map: 'a mapping',
  array: 'a list',
  tuple: 'a list',
};

/** The per-parse error map: human wording for the issue codes the kind schemas can raise. */
export const schemaErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? 'is required'
        : `must be ${EXPECTED[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'array' ? `must have at least ${issue.minimum} entries` : 'is too short';
    case 'too_big':
      return issue.origin === 'array' ? `must have at most ${issue.maximum} entries` : 'is too long';
    case 'invalid_format':
      return 'has an invalid format';
    case 'invalid_key':
      return 'is not a valid key';
    default:
      return 'is invalid';
  }
};

/** Field issues of a failed parse, with `prefix` (e.g. `spec`) before each path. */
export function fieldIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): FieldIssue[] {
  const found: FieldIssue[] = [];
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        found.push({ path: formatPath([...path, key]), message: 'unknown field' });
    } else if (issue.code === 'invalid_key' && issue.issues.length > 0) {
      // A record key failed its own schema: report that schema's sentence at the key.
      const inner = issue.issues[0];
      found.push({ path: formatPath(path), message: inner?.message ?? issue.message });
    } else {
      found.push({ path: formatPath(path), message: issue.message });
    }
  }
  return found;
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `spec.dependsOn[0].name`, `metadata.labels["app.kubernetes.io/name"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else if (typeof part === 'string' && PLAIN_KEY.test(part)) text += text === '' ? part : `.${part}`;
    else text += `[${JSON.stringify(String(part))}]`;
  }
  return text;
}
