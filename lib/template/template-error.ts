/**
 * A template that does not parse, or fails while rendering, is the user's config at fault: retrying
 * renders the same text over the same data, so the error is terminal and names where it happened.
 * Messages follow Go's shape (`template: NAME:LINE:COL: ...`) so that people who know Flux read
 * them as they would there.
 */
import { TerminalError } from '../errors.ts';

export type TemplatePhase = 'parse' | 'render';

export interface TemplateErrorDetails {
  template: string;
  phase: TemplatePhase;
  /** 1-based line and column (in characters) of the offending token or action. */
  line: number;
  column: number;
  /** The bare reason, without the position prefix. */
  reason: string;
  /** The source text of the action being executed, for render errors. */
  action?: string;
  /** The template (a `define`d one, maybe) that was executing, for render errors. */
  executing?: string;
}

export class TemplateError extends TerminalError {
  readonly template: string;
  readonly phase: TemplatePhase;
  readonly line: number;
  readonly column: number;
  readonly reason: string;

  constructor(details: TemplateErrorDetails, options: { cause?: unknown } = {}) {
    const where = `template: ${details.template}:${details.line}:${details.column}`;
    const context =
      details.phase === 'render'
        ? ` executing "${details.executing ?? details.template}" at <${details.action ?? ''}>:`
        : '';
    super(`${where}:${context} ${details.reason}`, { cause: options.cause, data: { ...details } });
    this.template = details.template;
    this.phase = details.phase;
    this.line = details.line;
    this.column = details.column;
    this.reason = details.reason;
  }
}

/** 1-based line and column of a character offset; columns count UTF-16 code units from the line start. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
