import type { ErrorCase } from './case.ts';
import { FLEET_UPDATE } from './flux-data.ts';

/** Templates that fail, with where and why. The template name in every case is "t". */
export const ERROR_CASES: ErrorCase[] = [
  // Parse errors.
  {
    label: 'an unclosed action',
    template: 'a {{.A',
    phase: 'parse',
    message: 'template: t:1:3: unclosed action: expected }}',
  },
  {
    label: 'an if without end',
    template: '{{if .A}}\nx',
    phase: 'parse',
    message: 'template: t:2:2: unexpected EOF: expected {{end}} for {{if}} at 1:1',
  },
  {
    label: 'a range without end inside a define',
    template: '{{define "x"}}{{range .}}{{end}}',
    phase: 'parse',
    message: 'template: t:1:33: unexpected EOF: expected {{end}} for {{define}} at 1:3',
  },
  {
    label: 'an end without a block',
    template: 'a\n{{end}}',
    phase: 'parse',
    message: 'template: t:2:1: unexpected {{end}}',
  },
  {
    label: 'an else without a block',
    template: '{{else}}',
    phase: 'parse',
    message: 'template: t:1:1: unexpected {{else}}',
  },
  {
    label: 'an unknown function',
    template: 'x\n  {{ .A | nope }}',
    phase: 'parse',
    message: 'template: t:2:11: function "nope" not defined',
  },
  {
    label: 'an undeclared variable',
    template: '{{$x}}',
    phase: 'parse',
    message: 'template: t:1:3: undefined variable "$x"',
  },
  {
    label: 'a variable used after the end of its block',
    template: '{{if true}}{{$x := 1}}{{end}}{{$x}}',
    phase: 'parse',
    message: 'template: t:1:32: undefined variable "$x"',
  },
  {
    label: 'assigning an undeclared variable',
    template: '{{$x = 1}}',
    phase: 'parse',
    message: 'template: t:1:3: undefined variable "$x"',
    notInGo: 'Go reports this when it executes the action',
  },
  {
    label: 'break outside range',
    template: '{{if true}}{{break}}{{end}}',
    phase: 'parse',
    message: 'template: t:1:14: {{break}} outside {{range}}',
  },
  {
    label: 'a literal after a pipe',
    template: '{{.A | "x"}}',
    phase: 'parse',
    message: 'template: t:1:8: non executable command in pipeline stage 2',
  },
  {
    label: 'an empty action',
    template: '{{ }}',
    phase: 'parse',
    message: 'template: t:1:4: missing value for command',
  },
  {
    label: 'an if without a condition',
    template: '{{if}}{{end}}',
    phase: 'parse',
    message: 'template: t:1:5: missing value for if',
  },
  {
    label: 'three range variables',
    template: '{{range $i, $v, $w := .}}{{end}}',
    phase: 'parse',
    message: 'template: t:1:15: too many declarations in range',
  },
  {
    label: 'two variables in with',
    template: '{{with $a, $b := .}}{{end}}',
    phase: 'parse',
    message: 'template: t:1:10: too many declarations in with',
  },
  {
    label: 'an unclosed parenthesis',
    template: '{{(len .A}}',
    phase: 'parse',
    message: 'template: t:1:10: unclosed left paren: expected )',
  },
  {
    label: 'an unopened parenthesis',
    template: '{{len .A)}}',
    phase: 'parse',
    message: 'template: t:1:9: unexpected right paren',
  },
  {
    label: 'an unterminated string',
    template: '{{"abc}}',
    phase: 'parse',
    message: 'template: t:1:3: unterminated quoted string',
  },
  {
    label: 'an unclosed comment',
    template: 'a{{/* x }}',
    phase: 'parse',
    message: 'template: t:1:2: unclosed comment: expected */}}',
  },
  {
    label: 'text after a comment inside the action',
    template: '{{/* x */ .A}}',
    phase: 'parse',
    message: 'template: t:1:10: comment ends before closing delimiter: expected */}}',
  },
  {
    label: 'a trim marker without its space',
    template: '{{.A-}}',
    phase: 'parse',
    message: "template: t:1:5: bad character U+002D '-'",
  },
  {
    label: 'a define inside an action',
    template: '{{if true}}{{define "x"}}{{end}}{{end}}',
    phase: 'parse',
    message: 'template: t:1:14: {{define}} is only allowed at the top level of a template',
  },
  {
    label: 'a template that is defined nowhere',
    template: '{{template "missing" .}}',
    phase: 'parse',
    message: 'template: t:1:12: template "missing" not defined',
    notInGo: 'Go reports this when it executes the action',
  },
  {
    label: 'two definitions of one template',
    template: '{{define "x"}}a{{end}}{{define "x"}}b{{end}}',
    phase: 'parse',
    message: 'template: t:1:25: multiple definition of template "x"',
  },
  {
    label: 'an operand glued to another',
    template: '{{"a""b"}}',
    phase: 'parse',
    message: 'template: t:1:6: unexpected "\\"b\\"" in operand',
  },

  // Render errors.
  {
    label: 'index out of range',
    template: 'x\n{{index .L 5}}',
    data: { L: [1] },
    phase: 'render',
    message: 'template: t:2:3: executing "t" at <index .L 5>: error calling index: index out of range: 5',
  },
  {
    label: 'indexing a map with a number',
    template: '{{index .M 1}}',
    data: { M: { a: 1 } },
    phase: 'render',
    message:
      'template: t:1:3: executing "t" at <index .M 1>: error calling index: value has type int; should be string',
  },
  {
    label: 'a field of a string',
    template: '{{.S.X}}',
    data: { S: 'str' },
    phase: 'render',
    message: 'template: t:1:3: executing "t" at <.S.X>: can\'t evaluate field X in type string',
  },
  {
    label: 'a field of nil',
    template: '{{.N.X}}',
    data: { N: null },
    phase: 'render',
    message: 'template: t:1:3: executing "t" at <.N.X>: nil pointer evaluating interface {}.X',
  },
  {
    label: 'len of a number',
    template: '{{len 3}}',
    phase: 'render',
    message: 'template: t:1:3: executing "t" at <len 3>: error calling len: len of type int',
  },
  {
    label: 'ordering booleans',
    template: '{{lt true false}}',
    phase: 'render',
    message:
      'template: t:1:3: executing "t" at <lt true false>: error calling lt: invalid type for comparison',
  },
  {
    label: 'comparing a string with a number',
    template: '{{eq "a" 1}}',
    phase: 'render',
    message:
      'template: t:1:3: executing "t" at <eq "a" 1>: error calling eq: incompatible types for comparison',
  },
  {
    label: 'ranging over a string',
    template: '{{range .}}{{end}}',
    data: 'abc',
    phase: 'render',
    message: 'template: t:1:1: executing "t" at <{{range .}}{{end}}>: range can\'t iterate over abc',
  },
  {
    label: 'arguments to a literal',
    template: '{{"a" 1}}',
    phase: 'render',
    message: 'template: t:1:3: executing "t" at <"a">: can\'t give argument to non-function "a"',
  },
  {
    label: 'nil as a command',
    template: '{{nil}}',
    phase: 'render',
    message: 'template: t:1:3: executing "t" at <nil>: nil is not a command',
  },
  {
    label: 'printf without a format string',
    template: '{{printf 1}}',
    phase: 'render',
    message:
      'template: t:1:3: executing "t" at <printf 1>: error calling printf: wrong type for value; expected string; got int',
  },
  {
    label: 'a function given too many arguments',
    template: '{{not 1 2}}',
    phase: 'render',
    message: 'template: t:1:3: executing "t" at <not 1 2>: wrong number of args for not: want 1 got 2',
  },
  {
    label: 'a string helper given a number',
    template: '{{lower 5}}',
    phase: 'render',
    message:
      'template: t:1:3: executing "t" at <lower 5>: error calling lower: wrong type for value; expected string; got int',
  },
  {
    label: 'an error inside a defined template names it',
    template: '{{define "inner"}}\n{{.X.Y}}{{end}}{{template "inner" .}}',
    data: { X: 1 },
    phase: 'render',
    message: 'template: t:2:3: executing "inner" at <.X.Y>: can\'t evaluate field Y in type int',
  },
  {
    label: 'endless recursion',
    template: '{{define "r"}}{{template "r" .}}{{end}}{{template "r" .}}',
    phase: 'render',
    message: 'template: t:1:15: executing "r" at <{{template "r" .}}>: exceeded maximum template depth (300)',
    notInGo: 'Go allows 100,000 levels',
  },
  {
    label: 'a field Flux data does not have',
    template: 'Files:\n{{ range .Changed.Files }}{{ end }}',
    flux: FLEET_UPDATE,
    phase: 'render',
    message:
      'template: t:2:10: executing "t" at <.Changed.Files>: can\'t evaluate field Files in type Result',
  },
  {
    label: "Flux's removed .Updated field",
    template: '{{ range .Updated.Images }}{{ end }}',
    flux: FLEET_UPDATE,
    phase: 'render',
    message:
      'template: t:1:10: executing "t" at <.Updated.Images>: can\'t evaluate field Updated in type TemplateData',
  },
  {
    label: 'arguments to a struct field',
    template: '{{ .AutomationObject.Name "x" }}',
    flux: FLEET_UPDATE,
    phase: 'render',
    message:
      'template: t:1:4: executing "t" at <.AutomationObject.Name>: Name has arguments but cannot be invoked as function',
  },
];
