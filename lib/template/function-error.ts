/**
 * What a template function throws when its arguments do not fit. The renderer turns it into a
 * TemplateError at the action's position (`error calling index: index out of range: 5`), so
 * functions stay free of positions and names.
 */
export class FunctionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FunctionError';
  }
}

/** A function callable from templates: arity checked by the renderer, arguments already evaluated. */
export interface TemplateFunction {
  minArgs: number;
  /** Undefined for variadic functions. */
  maxArgs?: number;
  call(args: unknown[]): unknown;
}

/** Go's check that a function's `string` parameter received a string. */
export function stringArg(value: unknown): string {
  if (typeof value === 'string') return value;
  throw new FunctionError(`wrong type for value; expected string; got ${describeType(value)}`);
}

/** Go's check that a function's `int` parameter received an integer. */
export function intArg(value: unknown): number {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  throw new FunctionError(`wrong type for value; expected int; got ${describeType(value)}`);
}

function describeType(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float64';
  return typeof value;
}
