/**
 * A GitRepository whose `ref` or `include` cannot be satisfied as written: no tag in the semver range,
 * an include path missing from the included artifact. Terminal: the next fetch would find the same,
 * until someone pushes a tag or edits the object.
 */
import { TerminalError } from '../errors.ts';

export class SourceRefError extends TerminalError {}
