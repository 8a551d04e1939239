import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../lib/template/index.ts';
import { dataOf } from './cases/case.ts';
import { PRINTF_CASES } from './cases/printf-cases.ts';

describe('printf and the printing of values', () => {
  it.each(PRINTF_CASES)('$label', (testCase) => {
    expect(renderTemplate(testCase.template, dataOf(testCase))).toBe(testCase.expected);
  });
});
