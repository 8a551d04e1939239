import type { RenderCase } from './case.ts';

/** Text, trim markers and comments: commit messages are compared byte for byte. */
export const TEXT_CASES: RenderCase[] = [
  { label: 'text without actions is copied as is', template: 'a\r\n  b\t\n', expected: 'a\r\n  b\t\n' },
  { label: 'closing braces outside an action are text', template: 'a }} b', expected: 'a }} b' },
  {
    label: 'an action without trim markers keeps the text around it',
    template: 'a \n {{1}} \n b',
    expected: 'a \n 1 \n b',
  },
  {
    label: '{{- trims every space, tab and newline before it',
    template: 'a \t\r\n\n {{- 1}}b',
    expected: 'a1b',
  },
  {
    label: '-}} trims every space, tab and newline after it',
    template: 'a{{1 -}} \n\t\n b',
    expected: 'a1b',
  },
  { label: 'both markers trim both sides', template: 'a \n {{- 2 -}} \n b', expected: 'a2b' },
  {
    label: 'trimming stops at the first non-space character',
    template: 'x a \n {{- 1 -}} \n b x',
    expected: 'x a1b x',
  },
  {
    label: 'trimming leaves non-breaking spaces',
    template: 'a\u00a0{{- 1 -}}\u00a0b',
    expected: 'a\u00a01\u00a0b',
  },
  {
    label: 'a trimmed action can empty the text between actions',
    template: '{{1}} \n {{- 2}}',
    expected: '12',
  },
  { label: '{{-3}} is the number -3, not a trim marker', template: 'a {{-3}}', expected: 'a -3' },
  { label: 'a comment prints nothing', template: 'a{{/* note */}}b', expected: 'ab' },
  {
    label: 'a comment may span lines and trim both sides',
    template: 'a \n{{- /* one\ntwo */ -}}\n b',
    expected: 'ab',
  },
  { label: 'an action may span lines', template: '{{ print\n  1\n  2 }}', expected: '1 2' },
  {
    label: 'unicode text passes through',
    template: 'déploiement {{.}} ✓',
    data: '→',
    expected: 'déploiement → ✓',
  },
  {
    label: 'a define at the top level leaves its surrounding text',
    template: 'a\n{{define "x"}}X{{end}}\nb',
    expected: 'a\n\nb',
  },
];
