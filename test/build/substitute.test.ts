// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${var}` in plain strings is the syntax under test
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../lib/build/index.ts';
import { BuildError, substitute } from '../../lib/build/index.ts';

const configMap = (data: Record<string, unknown>, metadata: Record<string, unknown> = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings', namespace: 'apps', ...metadata },
  data,
});

const variables = { CLUSTER: 'eu-1', EMPTY: '', REPLICAS: '3', DOMAIN: 'example.com' };

describe('post-build substitution', () => {
  const cases: { label: string; input: string; expected: unknown }[] = [
    { label: 'a set variable', input: 'name-${CLUSTER}', expected: 'name-eu-1' },
    { label: 'two variables in one value', input: '${CLUSTER}.${DOMAIN}', expected: 'eu-1.example.com' },
    { label: ':= default when unset', input: '${MISSING:=fallback}', expected: 'fallback' },
    { label: ':- default when unset', input: '${MISSING:-fallback}', expected: 'fallback' },
    { label: ':= default when set but empty', input: '${EMPTY:=fallback}', expected: 'fallback' },
    { label: '= keeps an empty value', input: '[${EMPTY=fallback}]', expected: '[]' },
    { label: '- default only when unset', input: '${MISSING-fallback}', expected: 'fallback' },
    { label: 'a set variable ignores its default', input: '${CLUSTER:=fallback}', expected: 'eu-1' },
    { label: 'a default naming another variable', input: '${MISSING:=${DOMAIN}}', expected: 'example.com' },
    { label: '$${var} escapes to a literal ${var}', input: 'keep $${CLUSTER}', expected: 'keep ${CLUSTER}' },
    { label: 'a bare $var is not a variable', input: 'cost $CLUSTER $5', expected: 'cost $CLUSTER $5' },
    { label: 'an unset variable is empty outside strict mode', input: 'x${MISSING}y', expected: 'xy' },
    { label: 'a whole value takes the type it reads as', input: '${REPLICAS}', expected: 3 },
  ];
  it.each(cases)('$label', ({ input, expected }) => {
    const [out] = substitute([configMap({ value: input })], { variables });
    expect(out?.data).toEqual({ value: expected });
  });

  it('substitutes in keys, labels and nested lists alike', () => {
    const obj: KObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web-${CLUSTER}', labels: { cluster: '${CLUSTER}' } },
      spec: {
        replicas: '${REPLICAS}',
        template: { spec: { containers: [{ name: 'web', args: ['--domain=${DOMAIN}'] }] } },
      },
    };
    expect(substitute([obj], { variables })).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web-eu-1', labels: { cluster: 'eu-1' } },
        spec: {
          replicas: 3,
          template: { spec: { containers: [{ name: 'web', args: ['--domain=example.com'] }] } },
        },
      },
    ]);
  });

  it('leaves objects that opt out by annotation or label untouched', () => {
    const annotated = configMap(
      { v: '${CLUSTER}' },
      { annotations: { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' } },
    );
    const labelled = configMap(
      { v: '${MISSING}' },
      { labels: { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' } },
    );
    expect(substitute([annotated, labelled], { variables, strict: true })).toEqual([annotated, labelled]);
  });

  it('fails in strict mode on an unset variable without default, naming it and the object', () => {
    const run = () => substitute([configMap({ v: '${NOPE}' })], { variables, strict: true });
    expect(run).toThrow(BuildError);
    expect(run).toThrow('ConfigMap/apps/settings: variable "NOPE" is not set');
    try {
      run();
    } catch (error) {
      expect((error as BuildError).data).toEqual({ variable: 'NOPE', object: 'ConfigMap/apps/settings' });
      expect((error as BuildError).failure).toBe('terminal');
    }
  });

  it('accepts a default in strict mode', () => {
    const [out] = substitute([configMap({ v: '${NOPE:=ok}' })], { variables, strict: true });
    expect(out?.data).toEqual({ v: 'ok' });
  });

  it('refuses variable names that are not identifiers', () => {
    expect(() => substitute([], { variables: { 'bad-name': 'x' } })).toThrow(
      'variable name "bad-name" is invalid',
    );
  });

  it('does not modify its input', () => {
    const input = configMap({ v: '${CLUSTER}' });
    substitute([input], { variables });
    expect(input.data).toEqual({ v: '${CLUSTER}' });
  });
});
