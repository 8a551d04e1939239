import { describe, expect, it } from 'vitest';
import {
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from '../../../lib/kube/dev-cluster/selectors.ts';

const labels = { app: 'web', tier: 'front' };

describe('label selectors', () => {
  it.each([
    ['an empty selector matches everything', '', true],
    ['equality with =', 'app=web', true],
    ['equality with ==', 'app==web', true],
    ['equality that fails', 'app=db', false],
    ['inequality', 'app!=db', true],
    ['inequality on a missing key', 'zone!=eu', true],
    ['several terms must all hold', 'app=web,tier=back', false],
    ['set membership', 'tier in (front, back)', true],
    ['set exclusion', 'tier notin (front)', false],
    ['exclusion of a missing key', 'zone notin (eu)', true],
    ['existence', 'tier', true],
    ['absence', '!tier', false],
    ['absence of a missing key', '!zone', true],
    ['set and equality together', 'tier in (front,back),app=web', true],
  ])('%s: %s', (_label, selector, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected);
  });

  it('refuses a selector it cannot read, as a 400', () => {
    expect(() => parseLabelSelector('app in web')).toThrow(
      expect.objectContaining({ status: expect.objectContaining({ code: 400 }) }),
    );
  });
});

describe('field selectors', () => {
  it.each([
    ['name', 'metadata.name=a', true],
    ['name, other', 'metadata.name=b', false],
    ['namespace', 'metadata.namespace==ns', true],
    ['negated', 'metadata.namespace!=ns', false],
    ['both', 'metadata.name=a,metadata.namespace=ns', true],
  ])('%s: %s', (_label, selector, expected) => {
    expect(parseFieldSelector(selector)({ name: 'a', namespace: 'ns' })).toBe(expected);
  });

  it('supports only metadata.name and metadata.namespace', () => {
    expect(() => parseFieldSelector('status.phase=Running')).toThrow('not a known field selector');
  });
});
