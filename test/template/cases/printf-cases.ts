import type { RenderCase } from './case.ts';

const p = (format: string, args: string): string => `{{printf ${JSON.stringify(format)} ${args}}}`;

/** printf verbs, flags, widths and Go's in-band complaints; how values print. */
export const PRINTF_CASES: RenderCase[] = [
  {
    label: '%s %d %v %t %%',
    template: p('%s|%d|%v|%t|%%', '"a" 42 .L true'),
    data: { L: [1, 'b'] },
    expected: 'a|42|[1 b]|true|%',
  },
  {
    label: '%q quotes strings and runes',
    template: p('%q|%q|%+q|%#q', '"a\\"b\\n☺" 97 "☺" "ab"'),
    expected: '"a\\"b\\n☺"|\'a\'|"\\u263a"|`ab`',
  },
  {
    label: '%x and %X of numbers and strings',
    template: p('%x|%X|%#x|% x|%x', '255 255 "hi" "hi" -255'),
    expected: 'ff|FF|0x6869|68 69|-ff',
  },
  {
    label: '%o %O %b %c %U',
    template: p('%o|%#o|%O|%b|%c|%U|%#U', '8 8 8 5 9731 9731 9731'),
    expected: "10|010|0o10|101|☃|U+2603|U+2603 '☃'",
  },
  {
    label: '%f %e %g with precision',
    template: p(
      '%f|%.2f|%.0f|%e|%.3e|%g|%.3g|%G',
      '3.14159 3.14159 2.5 1234.5678 1234.5678 0.000012 1234.5678 1e21',
    ),
    expected: '3.141590|3.14|2|1.234568e+03|1.235e+03|1.2e-05|1.23e+03|1E+21',
  },
  {
    label: 'widths pad on the left, - on the right',
    template: p('[%5s][%-5s][%5d][%-5d][%8.3f]', '"ab" "ab" 42 42 3.14159'),
    expected: '[   ab][ab   ][   42][42   ][   3.142]',
  },
  {
    label: 'zero padding goes after the sign',
    template: p('[%05d][%05d][%+05d][%08.3f][%05s]', '42 -42 42 -3.14159 "ab"'),
    expected: '[00042][-0042][+0042][-003.142][000ab]',
  },
  {
    label: 'flags + and space',
    template: p('[%+d][% d][%+.1f][% .1f]', '5 5 1.25 1.25'),
    expected: '[+5][ 5][+1.2][ 1.2]',
  },
  {
    label: 'precision truncates strings by characters',
    template: p('[%.2s][%5.1s][%.3s]', '"héllo" "xyz" "ab"'),
    expected: '[hé][    x][ab]',
  },
  {
    label: 'precision of integers is a minimum of digits',
    template: p('[%.3d][%.0d][%6.3d]', '7 0 -7'),
    expected: '[007][][  -007]',
  },
  {
    label: '* takes width and precision from the arguments',
    template: p('[%*d][%-*d][%.*f]', '4 7 4 7 2 3.14159'),
    expected: '[   7][7   ][3.14]',
  },
  { label: 'explicit argument indexes', template: p('%[2]s %[1]s %s', '"a" "b"'), expected: 'b a b' },
  {
    label: '%T names the Go type',
    template: p('%T %T %T %T %T %T', '1 1.5 "s" true .L .M'),
    data: { L: [], M: {} },
    expected: 'int float64 string bool []interface {} map[string]interface {}',
  },
  { label: 'a missing operand', template: p('%s %d', '"a"'), expected: 'a %!d(MISSING)' },
  { label: 'an extra operand', template: p('%s', '"a" 1 "b"'), expected: 'a%!(EXTRA int=1, string=b)' },
  {
    label: 'a verb of the wrong type',
    template: p('%d|%s|%t', '"x" 5 1'),
    expected: '%!d(string=x)|%!s(int=5)|%!t(int=1)',
  },
  { label: 'a format without a verb', template: p('a%', ''), expected: 'a%!(NOVERB)' },
  { label: 'a bad argument index', template: p('%[3]s', '"a"'), expected: '%!s(BADINDEX)' },
  {
    label: 'nil operands',
    template: p('%v|%s|%d', 'nil nil .Nope'),
    data: {},
    expected: '<nil>|%!s(<nil>)|%!d(<nil>)',
  },
  {
    label: 'verbs apply to each element of a list or map',
    template: p('%q|%d|%x', '.S .M .S'),
    data: { S: ['a', 'b'], M: { x: 1, y: 2 } },
    expected: '["a" "b"]|map[%!d(string=x):1 %!d(string=y):2]|[61 62]',
  },
  {
    label: '%v of nested values',
    template: p('%v', '.'),
    data: { m: { b: [1, { c: true }], a: null }, l: [[], {}] },
    expected: 'map[l:[[] map[]] m:map[a:<nil> b:[1 map[c:true]]]]',
  },
  {
    label: '%#v prints Go syntax',
    template: p('%#v|%#v|%#v', '"s" .L .M'),
    data: { L: [1, 'a'], M: { k: 'v' } },
    expected: '"s"|[]interface {}{1, "a"}|map[string]interface {}{"k":"v"}',
  },

  // How values print in an action.
  {
    label: 'numbers print as Go prints int and float64',
    template: '{{.I}} {{.N}} {{.F}} {{.E}} {{.S}} {{.B}} {{.T}}',
    data: { I: 42, N: -7, F: 1.5, E: 1e21, S: 0.000001, B: 12345678.5, T: 100000 },
    expected: '42 -7 1.5 1e+21 1e-06 1.23456785e+07 100000',
  },
  {
    label: 'lists, maps and booleans print as Go prints them',
    template: '{{.L}} {{.M}} {{.E}} {{.Z}} {{.T}}',
    data: { L: ['a', 'b c'], M: { z: 1, a: ['x'] }, E: [], Z: {}, T: false },
    expected: '[a b c] map[a:[x] z:1] [] map[] false',
  },
  { label: 'nil inside a list prints <nil>', template: '{{.}}', data: [null, 1], expected: '[<nil> 1]' },
  {
    label: 'nil inside a collection prints <nil> whatever the verb',
    template: p('%s|%d', '.M .L'),
    data: { M: { k: null }, L: [null] },
    expected: 'map[k:<nil>]|[<nil>]',
  },
];
