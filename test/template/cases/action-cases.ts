import type { RenderCase } from './case.ts';

const people = {
  Team: 'core',
  People: [
    { Name: 'ann', Age: 31 },
    { Name: 'bob', Age: 27 },
  ],
};

/** Fields, variables, pipelines and the control structures. */
export const ACTION_CASES: RenderCase[] = [
  // Fields and variables.
  { label: 'dot is the data', template: '{{.}}', data: 'hi', expected: 'hi' },
  {
    label: 'fields chain through maps',
    template: '{{.A.B.C}}',
    data: { A: { B: { C: 'deep' } } },
    expected: 'deep',
  },
  {
    label: 'a missing map key prints <no value>',
    template: '[{{.Missing}}]',
    data: {},
    expected: '[<no value>]',
  },
  {
    label: 'a field of a missing key is still no value',
    template: '[{{.Missing.Deeper}}]',
    data: {},
    expected: '[<no value>]',
  },
  {
    label: 'a null value prints <no value>',
    template: '[{{.A}}]',
    data: { A: null },
    expected: '[<no value>]',
  },
  {
    label: '$ is the data inside range',
    template: '{{range .People}}{{$.Team}}/{{.Name}} {{end}}',
    data: people,
    expected: 'core/ann core/bob ',
  },
  {
    label: 'a variable holds a value',
    template: '{{$p := index .People 1}}{{$p.Name}} is {{$p.Age}}',
    data: people,
    expected: 'bob is 27',
  },
  { label: 'a declaration prints nothing', template: '[{{$x := 1}}]', expected: '[]' },
  {
    label: '= assigns the enclosing variable from inside a block',
    template: '{{$x := "a"}}{{if true}}{{$x = "b"}}{{end}}{{$x}}',
    expected: 'b',
  },
  {
    label: ':= inside a block shadows until its end',
    template: '{{$x := 1}}{{if true}}{{$x := 2}}{{$x}}{{end}}{{$x}}',
    expected: '21',
  },
  {
    label: 'a range body may update an outer variable',
    template: '{{$last := ""}}{{range .People}}{{$last = .Name}}{{end}}{{$last}}',
    data: people,
    expected: 'bob',
  },
  {
    label: 'keys that are not identifiers are reached with index',
    template: '{{index . "app.kubernetes.io/name"}}',
    data: { 'app.kubernetes.io/name': 'web' },
    expected: 'web',
  },

  // Pipelines.
  {
    label: 'a pipeline passes its value as the last argument',
    template: '{{.Name | printf "%s!"}}',
    data: { Name: 'x' },
    expected: 'x!',
  },
  { label: 'pipelines chain', template: '{{"a" | printf "%s-%s" "b" | printf "<%s>"}}', expected: '<b-a>' },
  {
    label: 'parentheses group a pipeline as an argument',
    template: '{{printf "%s %d" (print "x" "y") (len .L)}}',
    data: { L: [1, 2] },
    expected: 'xy 2',
  },
  {
    label: 'a parenthesised value takes fields',
    template: '{{(index .People 0).Name}}',
    data: people,
    expected: 'ann',
  },
  {
    label: 'a literal command prints itself',
    template: '{{"s"}} {{1}} {{1.5}} {{true}} {{\'a\'}} {{0x1F}} {{1_000}}',
    expected: 's 1 1.5 true 97 31 1000',
  },
  { label: 'raw strings keep backslashes', template: '{{`a\\n`}}', expected: 'a\\n' },
  {
    label: 'escapes in quoted strings',
    template: '{{"tab\\there \\u00e9 \\xe2\\x82\\xac"}}',
    expected: 'tab\there é €',
  },

  // if / else if / else.
  {
    label: 'if chooses the first true branch',
    template: '{{if .A}}a{{else if .B}}b{{else}}c{{end}}',
    data: { A: false, B: 1 },
    expected: 'b',
  },
  {
    label: 'false, 0, "", empty list, empty map and nil are false',
    template: '{{range .}}{{if .}}T{{else}}F{{end}}{{end}}',
    data: [false, 0, '', [], {}, null, 0.0],
    expected: 'FFFFFFF',
  },
  {
    label: 'true, non-zero, "0", non-empty list and map are true',
    template: '{{range .}}{{if .}}T{{else}}F{{end}}{{end}}',
    data: [true, -1, 0.5, '0', [0], { a: 0 }],
    expected: 'TTTTTT',
  },
  { label: 'a missing key is false', template: '{{if .Nope}}yes{{else}}no{{end}}', data: {}, expected: 'no' },
  {
    label: 'a variable declared in an if pipeline lives until its end',
    template: '{{if $n := len .L}}{{$n}} items{{end}}',
    data: { L: [1, 2, 3] },
    expected: '3 items',
  },

  // with.
  {
    label: 'with sets dot when the value is true',
    template: '{{with .A}}{{.B}}{{end}}',
    data: { A: { B: 'b' } },
    expected: 'b',
  },
  {
    label: 'with runs else when the value is false',
    template: '{{with .Z}}z{{else}}none{{end}}',
    data: {},
    expected: 'none',
  },
  {
    label: 'else with tries the next value',
    template: '{{with .A}}a{{else with .B}}{{.}}{{else}}none{{end}}',
    data: { B: 'b' },
    expected: 'b',
    notInGo: 'else with arrived in Go 1.23',
  },

  // range.
  {
    label: 'range over a list sets dot',
    template: '{{range .}}<{{.}}>{{end}}',
    data: ['a', 'b'],
    expected: '<a><b>',
  },
  {
    label: 'range with index and element',
    template: '{{range $i, $e := .}}{{$i}}={{$e}} {{end}}',
    data: ['a', 'b'],
    expected: '0=a 1=b ',
  },
  {
    label: 'range over a map visits keys in sorted order',
    template: '{{range $k, $v := .}}{{$k}}={{$v}} {{end}}',
    data: { b: 2, a: 1, C: 3, '10': 4, '9': 5 },
    expected: '10=4 9=5 C=3 a=1 b=2 ',
  },
  {
    label: 'one variable over a map is the element',
    template: '{{range $v := .}}{{$v}}{{end}}',
    data: { b: 2, a: 1 },
    expected: '12',
  },
  {
    label: 'range else runs for an empty list',
    template: '{{range .}}x{{else}}empty{{end}}',
    data: [],
    expected: 'empty',
  },
  {
    label: 'range else runs for an empty map',
    template: '{{range .}}x{{else}}empty{{end}}',
    data: {},
    expected: 'empty',
  },
  {
    label: 'range else runs for a missing value',
    template: '{{range .Nope}}x{{else}}empty{{end}}',
    data: {},
    expected: 'empty',
  },
  {
    label: 'break ends the range, continue skips to the next element',
    template: '{{range .}}{{if eq . 2}}{{continue}}{{end}}{{if eq . 4}}{{break}}{{end}}{{.}}{{end}}',
    data: [1, 2, 3, 4, 5],
    expected: '13',
  },
  {
    label: 'variables declared in a range body start fresh each iteration',
    template: '{{range .}}{{$seen := .}}{{$seen}}{{end}}',
    data: ['a', 'b'],
    expected: 'ab',
  },
  {
    label: 'nested ranges keep their own dot',
    template: '{{range .}}{{.Name}}:{{range .Tags}}[{{.}}]{{end}} {{end}}',
    data: [
      { Name: 'x', Tags: ['1', '2'] },
      { Name: 'y', Tags: [] },
    ],
    expected: 'x:[1][2] y: ',
  },
  {
    label: 'range over an integer counts from zero',
    template: '{{range 3}}{{.}}{{end}}',
    expected: '012',
    notInGo: 'range over int arrived in Go 1.22',
  },
  {
    label: 'range over an integer with a variable',
    template: '{{range $i := 2}}[{{$i}}]{{end}}',
    expected: '[0][1]',
    notInGo: 'range over int arrived in Go 1.22',
  },

  // define, template, block.
  {
    label: 'template runs a defined template with a new dot',
    template: '{{define "item"}}<{{.}}>{{end}}{{template "item" .A}}{{template "item" "b"}}',
    data: { A: 'a' },
    expected: '<a><b>',
  },
  {
    label: 'template without a pipeline has no dot',
    template: '{{define "inner"}}[{{.}}]{{end}}{{template "inner"}}',
    expected: '[<no value>]',
  },
  {
    label: 'a template may be defined after its use',
    template: '{{template "later" 1}}{{define "later"}}({{.}}){{end}}',
    expected: '(1)',
  },
  {
    label: 'block defines and runs in place',
    template: 'a{{block "b" .}}[{{.}}]{{end}}c',
    data: 'x',
    expected: 'a[x]c',
  },
  {
    label: '$ inside a defined template is its own dot',
    template: '{{define "inner"}}{{range .}}{{$}}{{end}}{{end}}{{template "inner" .L}}',
    data: { L: [1] },
    expected: '[1]',
  },
  {
    label: 'templates recurse',
    template:
      '{{define "n"}}{{.Name}}{{if .Kids}}({{range .Kids}}{{template "n" .}}{{end}}){{end}}{{end}}{{template "n" .}}',
    data: { Name: 'a', Kids: [{ Name: 'b', Kids: [{ Name: 'c' }] }, { Name: 'd' }] },
    expected: 'a(b(c)d)',
  },

  // and / or short-circuit.
  {
    label: 'and returns the first false argument',
    template: '{{and 1 0 "x"}}|{{and 1 "x"}}',
    expected: '0|x',
  },
  { label: 'or returns the first true argument', template: '{{or 0 "" "y"}}|{{or 0 ""}}', expected: 'y|' },
  {
    label: 'or stops before an argument that would fail',
    template: '{{or .A (index .L 5)}}',
    data: { A: 'a', L: [] },
    expected: 'a',
  },
  {
    label: 'and stops before an argument that would fail',
    template: '{{and .Z (index .L 5)}}',
    data: { Z: false, L: [] },
    expected: 'false',
  },
];
