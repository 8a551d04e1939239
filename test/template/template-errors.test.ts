import { describe, expect, it } from 'vitest';
import { TerminalError } from '../../lib/errors.ts';
import { parseTemplate, TemplateError } from '../../lib/template/index.ts';
import { dataOf } from './cases/case.ts';
import { ERROR_CASES } from './cases/error-cases.ts';

function failure(run: () => unknown): TemplateError {
  try {
    run();
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('expected a TemplateError');
}

describe('template errors', () => {
  it.each(ERROR_CASES)('$label', (testCase) => {
    const error =
      testCase.phase === 'parse'
        ? failure(() => parseTemplate(testCase.template, 't'))
        : failure(() => parseTemplate(testCase.template, 't').render(dataOf(testCase)));
    expect(error.message).toBe(testCase.message);
    expect(error.phase).toBe(testCase.phase);
  });

  it('is terminal and carries its position as data', () => {
    const error = failure(() => parseTemplate('Files:\n{{ range .Files }}\n', 'commit message'));
    expect(error).toBeInstanceOf(TerminalError);
    expect(error.failure).toBe('terminal');
    expect(error.name).toBe('TemplateError');
    expect(error.data).toEqual({
      template: 'commit message',
      phase: 'parse',
      line: 3,
      column: 1,
      reason: 'unexpected EOF: expected {{end}} for {{range}} at 2:1',
    });
  });

  it('keeps the error a data method threw as its cause', () => {
    const boom = new Error('no such object');
    const data = new (class Data {
      Lookup(): never {
        throw boom;
      }
    })();
    const error = failure(() => parseTemplate('{{ .Lookup }}', 't').render(data));
    expect(error.message).toBe(
      'template: t:1:4: executing "t" at <.Lookup>: error calling Lookup: no such object',
    );
    expect(error.cause).toBe(boom);
  });
});
