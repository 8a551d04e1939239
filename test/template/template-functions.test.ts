import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../lib/template/index.ts';
import { dataOf } from './cases/case.ts';
import { FUNCTION_CASES } from './cases/function-cases.ts';

describe('template functions', () => {
  it.each(FUNCTION_CASES)('$label', (testCase) => {
    expect(renderTemplate(testCase.template, dataOf(testCase))).toBe(testCase.expected);
  });
});
