/**
 * A Secret kept in a parameter store, turned into the Secret document the config loader reads. The
 * parameter's text is either a JSON object of keys to strings (an Opaque Secret) or a core/v1 Secret
 * in YAML (to keep its `type`, e.g. a dockerconfigjson Secret, or its base64 `data`). Either way the
 * Secret takes the namespace and name of the parameter's path, whatever the text says, so one
 * parameter can never stand in for another Secret. Errors name the parameter, never a value.
 */
import { parse, stringify } from 'yaml';
import type { ConfigFile } from '../config/index.ts';
import { TerminalError } from '../errors.ts';

/** A parameter's text is neither a JSON object of strings nor a Secret document. */
export class SecretParameterError extends TerminalError {}

/** The parameter name of a Secret: `<prefix>/<namespace>/<name>`. */
export function secretParameterName(prefix: string, namespace: string, name: string): string {
  return `${prefix.replace(/\/+$/, '')}/${namespace}/${name}`;
}

/** The Secret document for `namespace/name` held in `parameter` (its name, for issues). */
export function secretConfigFile(
  parameter: string,
  namespace: string,
  name: string,
  text: string,
): ConfigFile {
  const fail = (why: string) =>
    new SecretParameterError(`parameter ${parameter} is not a Secret: ${why}`, {
      data: { parameter, namespace, name },
    });
  let value: unknown;
  try {
    value = text.trimStart().startsWith('{') ? JSON.parse(text) : parse(text);
  } catch {
    // The parser's message may quote the text, which is a secret.
    throw fail('it is neither JSON nor YAML');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw fail('expected a JSON object of keys to strings, or a v1 Secret in YAML');
  const record = value as Record<string, unknown>;
  const document =
    record.kind === 'Secret'
      ? { ...record, metadata: { name, namespace } }
      : {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name, namespace },
          stringData: stringsOf(record, fail),
        };
  return { path: parameter, content: stringify(document) };
}

function stringsOf(record: Record<string, unknown>, fail: (why: string) => Error): Record<string, string> {
  for (const [key, value] of Object.entries(record))
    if (typeof value !== 'string') throw fail(`the value of key ${JSON.stringify(key)} is not a string`);
  return record as Record<string, string>;
}
