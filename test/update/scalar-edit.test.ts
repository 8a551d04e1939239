import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ScalarStyle } from '../../lib/update/scalar-edit.ts';
import { applyEdits, decodeScalar, readsAsNonString, renderScalar } from '../../lib/update/scalar-edit.ts';

const span = (source: string, style: ScalarStyle) => ({ start: 0, end: source.length, style, flow: false });

describe('scalar decoding', () => {
  it.each([
    { label: 'plain', source: 'ghcr.io/a/b:1.0', style: 'plain', value: 'ghcr.io/a/b:1.0' },
    { label: 'single quotes', source: "'it''s'", style: 'single', value: "it's" },
    { label: 'double quotes', source: '"a:1"', style: 'double', value: 'a:1' },
    {
      label: 'escapes',
      source: '"\\t\\"\\\\\\x41\\u00e9\\U0001F600\\/"',
      style: 'double',
      value: '\t"\\Aé😀/',
    },
    { label: 'folded plain', source: 'a\n   b\n\n   c', style: 'plain', value: 'a b\nc' },
    { label: 'folded single', source: "'a  \n  b'", style: 'single', value: 'a b' },
    { label: 'escaped break', source: '"a\\\n   b"', style: 'double', value: 'ab' },
    { label: 'escaped blank kept', source: '"a\\ \n b"', style: 'double', value: 'a  b' },
    { label: 'CR LF folding', source: '"a\r\n  b"', style: 'double', value: 'a b' },
  ] as const)('$label', ({ source, style, value }) => {
    expect(decodeScalar(source, span(source, style))).toBe(value);
  });
});

describe('scalar rendering', () => {
  it.each([
    {
      label: 'plain stays plain',
      value: 'ghcr.io/a/b:1.2.3',
      style: 'plain',
      flow: false,
      out: 'ghcr.io/a/b:1.2.3',
    },
    {
      label: 'digest stays plain',
      value: 'a:1@sha256:ab',
      style: 'plain',
      flow: false,
      out: 'a:1@sha256:ab',
    },
    { label: 'a float is quoted', value: '1.10', style: 'plain', flow: false, out: '"1.10"' },
    { label: 'an int is quoted', value: '42', style: 'plain', flow: false, out: '"42"' },
    { label: 'a YAML 1.1 bool is quoted', value: 'yes', style: 'plain', flow: false, out: '"yes"' },
    { label: 'a date is quoted', value: '2024-01-31', style: 'plain', flow: false, out: '"2024-01-31"' },
    { label: 'an indicator is quoted', value: '*latest', style: 'plain', flow: false, out: '"*latest"' },
    { label: 'colon blank is quoted', value: 'a: b', style: 'plain', flow: false, out: '"a: b"' },
    { label: 'flow indicators in flow', value: 'a,b', style: 'plain', flow: true, out: '"a,b"' },
    { label: 'flow indicators in block', value: 'a,b', style: 'plain', flow: false, out: 'a,b' },
    { label: 'empty', value: '', style: 'plain', flow: false, out: '""' },
    { label: 'single quotes', value: "it's", style: 'single', flow: false, out: "'it''s'" },
    { label: 'single with a break', value: 'a\nb', style: 'single', flow: false, out: '"a\\nb"' },
    {
      label: 'double quotes',
      value: 'say "hi" \\',
      style: 'double',
      flow: false,
      out: '"say \\"hi\\" \\\\"',
    },
    { label: 'control characters', value: 'a\u0001', style: 'double', flow: false, out: '"a\\x01"' },
  ] as const)('$label', ({ value, style, flow, out }) => {
    const rendered = renderScalar(value, style, flow);
    expect(rendered).toBe(out);
    expect(parse(flow ? `[${rendered}]` : `k: ${rendered}`)).toEqual(flow ? [value] : { k: value });
  });

  it.each([
    '1',
    '-1',
    '0x1F',
    '0o17',
    '1e3',
    '.5',
    '.inf',
    '-.Inf',
    '.NaN',
    '~',
    'null',
    'Off',
    '1:30',
    '2001-12-14t21:59:43.10-05:00',
  ])('treats %s as a non-string', (value) => expect(readsAsNonString(value)).toBe(true));

  it.each(['1.2.3', 'v1', '1.0-rc1', 'latest', 'sha256:ab', '2024.01.1', 'main-1a2b3c'])(
    'treats %s as a string',
    (value) => expect(readsAsNonString(value)).toBe(false),
  );
});

describe('applying edits', () => {
  it('replaces each range once, whatever the order', () => {
    expect(
      applyEdits('a: 1\nb: 2\n', [
        { start: 8, end: 9, text: 'two' },
        { start: 3, end: 4, text: 'one' },
      ]),
    ).toBe('a: one\nb: two\n');
  });
});
