import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../lib/template/index.ts';
import { ACTION_CASES } from './cases/action-cases.ts';
import { dataOf } from './cases/case.ts';
import { GO_DOC_CASES } from './cases/go-doc-cases.ts';

describe('template fields, variables, pipelines and control structures', () => {
  it.each(ACTION_CASES)('$label', (testCase) => {
    expect(renderTemplate(testCase.template, dataOf(testCase))).toBe(testCase.expected);
  });

  it.each(GO_DOC_CASES)("renders Go's documented example $label", (testCase) => {
    expect(renderTemplate(testCase.template, dataOf(testCase))).toBe(testCase.expected);
  });

  it('lets a define replace an empty main template of the same name', () => {
    expect(renderTemplate('{{define "msg"}}from define{{end}}\n', {}, 'msg')).toBe('from define');
  });
});
