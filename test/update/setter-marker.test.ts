import { describe, expect, it } from 'vitest';
import { parseSetterMarker, setterValue } from '../../lib/update/setter-marker.ts';

describe('setter markers', () => {
  it.each([
    {
      label: 'full image',
      comment: '# {"$imagepolicy": "flux-system:app"}',
      policy: 'flux-system:app',
      field: 'image',
    },
    {
      label: ':tag',
      comment: '# {"$imagepolicy": "flux-system:app:tag"}',
      policy: 'flux-system:app',
      field: 'tag',
    },
    {
      label: ':name',
      comment: '# {"$imagepolicy": "flux-system:app:name"}',
      policy: 'flux-system:app',
      field: 'name',
    },
    { label: ':digest', comment: '# {"$imagepolicy": "ns:app:digest"}', policy: 'ns:app', field: 'digest' },
    { label: 'no spaces', comment: '#{"$imagepolicy":"ns:app"}', policy: 'ns:app', field: 'image' },
    {
      label: 'odd spacing',
      comment: '#   {  "$imagepolicy" :  "ns:app"  }   ',
      policy: 'ns:app',
      field: 'image',
    },
    { label: 'several hashes', comment: '## {"$imagepolicy": "ns:app"}', policy: 'ns:app', field: 'image' },
    {
      label: 'other string keys',
      comment: '# {"owner": "me", "$imagepolicy": "ns:app"}',
      policy: 'ns:app',
      field: 'image',
    },
    {
      label: 'JSON escapes',
      comment: '# {"\\u0024imagepolicy": "ns:app"}',
      policy: 'ns:app',
      field: 'image',
    },
  ] as const)('reads $label', ({ comment, policy, field }) => {
    expect(parseSetterMarker(comment)).toMatchObject({ policy, field });
  });

  it.each([
    { label: 'not JSON', comment: '# {$imagepolicy: ns:app}' },
    { label: 'trailing text', comment: '# {"$imagepolicy": "ns:app"} see docs' },
    { label: 'a non-string value', comment: '# {"$imagepolicy": "ns:app", "n": 1}' },
    { label: 'an array', comment: '# ["$imagepolicy"]' },
    { label: 'another shorthand', comment: '# {"$openapi": "replicas"}' },
    { label: 'an empty name', comment: '# {"$imagepolicy": ""}' },
    { label: 'prose', comment: '# set by $imagepolicy' },
  ])('ignores $label', ({ comment }) => {
    expect(parseSetterMarker(comment)).toBeUndefined();
  });

  it.each(['app', 'ns:app:version', 'ns::tag', 'a:b:c:d'])(
    'keeps %s as a setter that names no policy',
    (name) => {
      expect(parseSetterMarker(`# {"$imagepolicy": "${name}"}`)).toEqual({
        setter: name,
        policy: undefined,
        field: 'image',
      });
    },
  );
});

describe('setter values', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  it.each([
    { field: 'image', latest: { image: 'ghcr.io/a/b', tag: '1.0' }, value: 'ghcr.io/a/b:1.0' },
    {
      field: 'image',
      latest: { image: 'ghcr.io/a/b', tag: '1.0', digest },
      value: `ghcr.io/a/b:1.0@${digest}`,
    },
    { field: 'tag', latest: { image: 'ghcr.io/a/b', tag: '1.0', digest }, value: '1.0' },
    { field: 'name', latest: { image: 'ghcr.io/a/b', tag: '1.0', digest }, value: 'ghcr.io/a/b' },
    { field: 'digest', latest: { image: 'ghcr.io/a/b', tag: '1.0', digest }, value: digest },
    { field: 'digest', latest: { image: 'ghcr.io/a/b', tag: '1.0' }, value: undefined },
  ] as const)(
    '$field of $latest.image:$latest.tag (digest: $latest.digest) is $value',
    ({ field, latest, value }) => {
      expect(setterValue(field, latest)).toBe(value);
    },
  );
});
