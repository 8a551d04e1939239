import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../lib/template/index.ts';
import { dataOf } from './cases/case.ts';
import { TEXT_CASES } from './cases/text-cases.ts';

describe('template text, trim markers and comments', () => {
  it.each(TEXT_CASES)('$label', (testCase) => {
    expect(renderTemplate(testCase.template, dataOf(testCase))).toBe(testCase.expected);
  });
});
