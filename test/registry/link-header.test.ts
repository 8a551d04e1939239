import { describe, expect, it } from 'vitest';
import { nextPageUrl } from '../../lib/registry/index.ts';

const page = 'https://quay.io/v2/team/app/tags/list?n=1000';

describe('the Link header of a tag page', () => {
  it.each([
    [
      'a relative link (distribution, Docker Hub, Quay)',
      '</v2/team/app/tags/list?last=1.0.99&n=100>; rel="next"',
      'https://quay.io/v2/team/app/tags/list?last=1.0.99&n=100',
    ],
    [
      'an absolute link',
      '<https://quay.io/v2/team/app/tags/list?last=b&n=100>; rel="next"',
      'https://quay.io/v2/team/app/tags/list?last=b&n=100',
    ],
    [
      'an unquoted rel',
      '</v2/team/app/tags/list?last=b>; rel=next',
      'https://quay.io/v2/team/app/tags/list?last=b',
    ],
    [
      'next among several links and relations',
      '</v2/team/app/tags/list?last=a>; rel="prev", </v2/team/app/tags/list?last=c>; title="x"; rel="last next"',
      'https://quay.io/v2/team/app/tags/list?last=c',
    ],
    ['no next link', '</v2/team/app/tags/list?last=a>; rel="prev"', undefined],
    ['no header', null, undefined],
  ])('follows %s', (_, header, expected) => {
    expect(nextPageUrl(header, page)?.href).toBe(expected);
  });
});
