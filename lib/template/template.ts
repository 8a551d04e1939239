/**
 * A parsed Go text/template: parse once when the config loads (errors surface then, with
 * positions), render many times over different data. The functions are Go's predefined ones plus
 * the string helpers Flux makes available to commit message templates.
 */
import type { TemplateFunction } from './function-error.ts';
import { BUILTIN_FUNCTIONS } from './functions.ts';
import type { TemplateTree } from './nodes.ts';
import { parse } from './parser.ts';
import { execute } from './render.ts';
import { STRING_FUNCTIONS } from './string-functions.ts';
import { TemplateError, type TemplatePhase } from './template-error.ts';

const FUNCTIONS: Readonly<Record<string, TemplateFunction>> = Object.freeze(
  Object.assign(Object.create(null), STRING_FUNCTIONS, BUILTIN_FUNCTIONS),
);

export class Template {
  readonly name: string;
  readonly #text: string;
  readonly #main: TemplateTree;
  readonly #trees: ReadonlyMap<string, TemplateTree>;

  constructor(text: string, name: string) {
    const { main, trees } = guardNesting(name, 'parse', () =>
      parse(text, name, (fn) => Object.hasOwn(FUNCTIONS, fn)),
    );
    this.name = name;
    this.#text = text;
    this.#main = main;
    this.#trees = trees;
  }

  /** Renders the main template over `data`; throws TemplateError on a runtime error. */
  render(data: unknown): string {
    const context = { text: this.#text, name: this.name, trees: this.#trees, functions: FUNCTIONS };
    return guardNesting(this.name, 'render', () => execute(context, this.#main, data));
  }
}

/**
 * Parsing and rendering recurse once per nested block or parenthesis; a template nested deeper
 * than the stack allows is the user's to fix, so it fails as a TemplateError, not a crash.
 */
function guardNesting<T>(name: string, phase: TemplatePhase, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const reason = 'template nests too deeply';
    throw new TemplateError({ template: name, phase, reason, line: 1, column: 1 }, { cause: error });
  }
}

/** Parses a template; throws TemplateError with the line, column and what was expected. */
export function parseTemplate(text: string, name = 'template'): Template {
  return new Template(text, name);
}

/** Parses and renders in one go, for templates used once. */
export function renderTemplate(text: string, data: unknown, name = 'template'): string {
  return parseTemplate(text, name).render(data);
}
