import { TerminalError } from '../errors.ts';

/**
 * A kustomization that cannot be built: a missing file, a field ferry does not support, a patch
 * with no target, an undefined variable in strict substitution. Retrying the same revision gives
 * the same result, so it is terminal; `data` names the file, field, variable or object.
 */
export class BuildError extends TerminalError {}
