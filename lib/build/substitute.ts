import { parse } from 'yaml';
import { BuildError } from './build-error.ts';
import type { KObject } from './manifest.ts';
import { isMap, metadataOf } from './manifest.ts';
import { describe } from './resource.ts';
import { toYaml } from './to-yaml.ts';

export interface SubstituteOptions {
  /** `postBuild.substitute` merged with the values of `postBuild.substituteFrom`, resolved by the caller. */
  variables: Readonly<Record<string, string>>;
  /** Flux's strict mode: an unset variable without a default fails the build. */
  strict?: boolean;
}

export const substituteAnnotation = 'kustomize.toolkit.fluxcd.io/substitute';
const namePattern = /^[_a-zA-Z][_a-zA-Z0-9]*$/;

function optedOut(obj: KObject): boolean {
  const meta = metadataOf(obj);
  const marked = (m: unknown) => isMap(m) && m[substituteAnnotation] === 'disabled';
  return marked(meta.annotations) || marked(meta.labels);
}

/** The index of the `}` closing the expression that starts after `${` at `from`, nested braces counted. */
function closing(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/**
 * Bash-style expansion of `${var}`, `${var:=default}`, `${var:-default}` (default when unset or
 * empty), `${var=default}`, `${var-default}` (default when unset); `$${` stays a literal `${`.
 */
export function expand(
  text: string,
  lookup: (name: string) => string | undefined,
  onUnset: (name: string) => void,
): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) break;
    out += text.slice(i, dollar);
    if (text.startsWith('$${', dollar)) {
      out += '${';
      i = dollar + 3;
      continue;
    }
    if (text[dollar + 1] !== '{') {
      out += '$';
      i = dollar + 1;
      continue;
    }
    const end = closing(text, dollar + 2);
    if (end < 0) {
      out += text.slice(dollar);
      return out;
    }
    const body = text.slice(dollar + 2, end);
    const form = body.match(/^([^:=\-}]*)(:=|:-|=|-)?([\s\S]*)$/) as RegExpMatchArray;
    const name = form[1] as string;
    const operator = form[2];
    const value = lookup(name);
    if (operator === undefined) {
      if (value === undefined) onUnset(name);
      out += value ?? '';
    } else {
      const useDefault = operator.startsWith(':') ? value === undefined || value === '' : value === undefined;
      out += useDefault ? expand(form[3] as string, lookup, onUnset) : value;
    }
    i = end + 1;
  }
  return out + text.slice(i);
}

/**
 * Flux's post-build substitution: each object is printed as YAML, its `${var}` expressions
 * expanded, and the text read back, so `replicas: ${REPLICAS}` becomes a number. Objects marked
 * `kustomize.toolkit.fluxcd.io/substitute: disabled` are left alone.
 */
export function substitute(objects: readonly KObject[], options: SubstituteOptions): KObject[] {
  for (const name of Object.keys(options.variables)) {
    if (!namePattern.test(name)) {
      throw new BuildError(`variable name "${name}" is invalid, it must match ${namePattern.source}`, {
        data: { variable: name },
      });
    }
  }
  const lookup = (name: string) =>
    Object.hasOwn(options.variables, name) ? options.variables[name] : undefined;
  return objects.map((obj) => {
    if (optedOut(obj)) return obj;
    const text = toYaml([obj]);
    if (!text.includes('${')) return obj;
    const expanded = expand(text, lookup, (name) => {
      if (options.strict) {
        throw new BuildError(`${describe(obj)}: variable "${name}" is not set (strict substitution)`, {
          data: { variable: name, object: describe(obj) },
        });
      }
    });
    try {
      return parse(expanded, { version: '1.2' }) as KObject;
    } catch (error) {
      throw new BuildError(`${describe(obj)}: substitution produced invalid YAML`, {
        cause: error,
        data: { object: describe(obj) },
      });
    }
  });
}
