import type { RenderCase } from './case.ts';

/** Go's predefined functions and the string helpers of Flux's function set. */
export const FUNCTION_CASES: RenderCase[] = [
  // Comparisons.
  {
    label: 'eq compares with each further argument',
    template: '{{eq .A "x" "y"}} {{eq .A "z"}}',
    data: { A: 'y' },
    expected: 'true false',
  },
  { label: 'eq compares numbers', template: '{{eq 1 1}} {{eq .N 2}}', data: { N: 2 }, expected: 'true true' },
  {
    label: 'eq of a missing value and a string is false',
    template: '{{eq .Nope "x"}}',
    data: {},
    expected: 'false',
  },
  { label: 'ne', template: '{{ne 1 2}} {{ne "a" "a"}}', expected: 'true false' },
  {
    label: 'lt le gt ge on numbers',
    template: '{{lt 1 2}} {{le 2 2}} {{gt 1 2}} {{ge 2 3}}',
    expected: 'true true false false',
  },
  {
    label: 'lt le gt ge on strings compare bytes',
    template: '{{lt "B" "a"}} {{lt "é" "z"}} {{gt "b" "a"}}',
    expected: 'true false true',
  },
  { label: 'not', template: '{{not 0}} {{not "x"}} {{not .Nope}}', data: {}, expected: 'true false true' },

  // len, index, slice.
  {
    label: 'len counts bytes of strings, elements of lists and keys of maps',
    template: '{{len "héllo"}} {{len .L}} {{len .M}}',
    data: { L: [1, 2, 3], M: { a: 1 } },
    expected: '6 3 1',
  },
  {
    label: 'index reaches into lists and maps',
    template: '{{index .L 1}} {{index .M "k"}} {{index .N 0 "x"}}',
    data: { L: ['a', 'b'], M: { k: 'v' }, N: [{ x: 'nx' }] },
    expected: 'b v nx',
  },
  { label: 'index of a string is a byte', template: '{{index "abc" 1}}', expected: '98' },
  {
    label: 'index of a missing map key is no value',
    template: '[{{index .M "nope"}}]',
    data: { M: {} },
    expected: '[<no value>]',
  },
  {
    label: 'slice of a list',
    template: '{{slice .L 1}} {{slice .L 1 2}} {{slice .L}}',
    data: { L: ['a', 'b', 'c'] },
    expected: '[b c] [b] [a b c]',
  },
  {
    label: 'slice of a string by bytes',
    template: '{{slice "hello" 1 3}}',
    expected: 'el',
    notInGo: "Flux's function set replaces slice with a list-only one",
  },

  // Printing and escaping.
  {
    label: 'print spaces operands when neither is a string',
    template: '{{print 1 2 "a" 3 "b" "c" .L}}',
    data: { L: [1] },
    expected: '1 2a3bc[1]',
  },
  {
    label: 'println spaces every operand and ends the line',
    template: '{{println 1 "a" 2}}',
    expected: '1 a 2\n',
  },
  {
    label: 'html escapes markup',
    template: '{{html "<a href=\\"x\\">O\'Neil & co</a>"}}',
    expected: '&lt;a href=&#34;x&#34;&gt;O&#39;Neil &amp; co&lt;/a&gt;',
  },
  {
    label: 'js escapes for script strings',
    template: '{{js "it\'s <b>\\"x\\"</b> = 1\\n"}}',
    expected: 'it\\\'s \\u003Cb\\u003E\\"x\\"\\u003C/b\\u003E \\u003D 1\\u000A',
  },
  {
    label: 'urlquery escapes a query value',
    template: '{{urlquery "a b&c=d/é"}}',
    expected: 'a+b%26c%3Dd%2F%C3%A9',
  },
  { label: 'escapers print several arguments like print', template: '{{html 1 2}}', expected: '1 2' },

  // String helpers of Flux's function set.
  {
    label: 'lower and upper',
    template: '{{"HelmRelease" | lower}} {{upper "straße"}}',
    expected: 'helmrelease STRAßE',
  },
  {
    label: 'title capitalises words',
    template: '{{title "hello wide-world_x"}}',
    expected: 'Hello Wide-World_x',
  },
  {
    label: 'trim, trimPrefix, trimSuffix, trimAll',
    template:
      '[{{trim "  a b \\n"}}] {{trimPrefix "v" "v1.2"}} {{trimSuffix ".yaml" "a.yaml"}} {{trimAll "-" "--x--"}}',
    expected: '[a b] 1.2 a x',
  },
  {
    label: 'contains, hasPrefix and hasSuffix take the subject last',
    template: '{{contains "5.0" "v5.0.3"}} {{hasPrefix "v" "v1"}} {{hasSuffix "z" "abc"}}',
    expected: 'true true false',
  },
  { label: 'replace replaces every occurrence', template: '{{replace "." "-" "1.2.3"}}', expected: '1-2-3' },
  {
    label: 'trunc keeps the first, or with a negative count the last, bytes',
    template: '{{trunc 3 "abcdef"}} {{trunc -2 "abcdef"}} {{trunc 9 "abc"}}',
    expected: 'abc ef abc',
  },
  { label: 'substr', template: '{{substr 1 3 "abcdef"}} {{substr 2 -1 "abcdef"}}', expected: 'bc cdef' },
  { label: 'repeat', template: '{{repeat 3 "ab"}}', expected: 'ababab' },
  {
    label: 'indent and nindent',
    template: '{{indent 2 "a\\nb"}}|{{nindent 1 "c"}}',
    expected: '  a\n  b|\n c',
  },
  {
    label: 'quote and squote',
    template: '{{quote "a\\"b" 1}} {{squote "x"}}',
    expected: '"a\\"b" "1" \'x\'',
  },
  {
    label: 'toString prints any value',
    template: '{{toString 12}} {{toString .M}} {{toString .L}}',
    data: { M: { b: 1, a: 'x' }, L: ['p', 'q'] },
    expected: '12 map[a:x b:1] [p q]',
  },
  {
    label: 'sha256sum is hex',
    template: '{{sha256sum "abc"}}',
    expected: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  },
  {
    label: 'join and splitList',
    template: '{{join ", " .L}} {{splitList "/" "a/b" | len}}',
    data: { L: ['x', 'y'] },
    expected: 'x, y 2',
  },
  {
    label: 'default replaces an empty value',
    template: '{{default "dev" .Env}} {{.Set | default "dev"}} {{default 5 0}}',
    data: { Set: 'prod' },
    expected: 'dev prod 5',
  },
  {
    label: 'empty and coalesce',
    template: '{{empty ""}} {{empty .M}} {{coalesce "" .Nope "c"}}',
    data: { M: { a: 1 } },
    expected: 'true false c',
  },
  { label: 'list builds a list', template: '{{list 1 "a" | len}}', expected: '2' },
];
