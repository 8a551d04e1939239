import type { RenderCase } from './case.ts';

const LETTER = `
Dear {{.Name}},
{{if .Attended}}
It was a pleasure to see you at the wedding.
{{- else}}
It is a shame you couldn't make it to the wedding.
{{- end}}
{{with .Gift -}}
Thank you for the lovely {{.}}.
{{end}}
Best wishes,
Josie
`;

const output = (template: string): RenderCase => ({ label: template, template, expected: '"output"' });

/** The examples of Go's text/template documentation. */
export const GO_DOC_CASES: RenderCase[] = [
  { label: 'the trim marker example', template: '{{23 -}} < {{- 45}}', expected: '23<45' },
  output('{{"\\"output\\""}}'),
  output('{{`"output"`}}'),
  output('{{printf "%q" "output"}}'),
  output('{{"output" | printf "%q"}}'),
  output('{{printf "%q" (print "out" "put")}}'),
  output('{{"put" | printf "%s%s" "out" | printf "%q"}}'),
  output('{{"output" | printf "%s" | printf "%q"}}'),
  output('{{with "output"}}{{printf "%q" .}}{{end}}'),
  output('{{with $x := "output" | printf "%q"}}{{$x}}{{end}}'),
  output('{{with $x := "output"}}{{printf "%q" $x}}{{end}}'),
  output('{{with $x := "output"}}{{$x | printf "%q"}}{{end}}'),
  {
    label: 'the letter example, attended',
    template: LETTER,
    data: { Name: 'Aunt Mildred', Gift: 'bone china tea set', Attended: true },
    expected:
      '\nDear Aunt Mildred,\n\nIt was a pleasure to see you at the wedding.\nThank you for the lovely bone china tea set.\n\nBest wishes,\nJosie\n',
  },
  {
    label: 'the letter example, without a gift',
    template: LETTER,
    data: { Name: 'Cousin Rodney', Gift: '', Attended: false },
    expected:
      "\nDear Cousin Rodney,\n\nIt is a shame you couldn't make it to the wedding.\n\nBest wishes,\nJosie\n",
  },
  {
    label: 'the block example',
    template: 'Names:{{block "list" .}}{{"\\n"}}{{range .}}{{println "-" .}}{{end}}{{end}}',
    data: ['Gamora', 'Groot', 'Nebula', 'Rocket', 'Star-Lord'],
    expected: 'Names:\n- Gamora\n- Groot\n- Nebula\n- Rocket\n- Star-Lord\n',
  },
];
