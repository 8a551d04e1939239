/**
 * The git layer's failures, each terminal or transient like every ferry error. Messages and data name
 * the repository by its URL without credentials, the branch and the path; never a password or token.
 */
import { TerminalError, TransientError } from '../errors.ts';

/** The remote refused our credentials (401/403), or has none it would accept. Retrying cannot help. */
export class GitAuthError extends TerminalError {}

/** The remote could not be reached, timed out, or answered 429/5xx. The same call may succeed later. */
export class GitUnavailableError extends TransientError {}

/**
 * The remote branch moved since we fetched it: our commit no longer descends from its head. Re-fetching
 * and re-applying the change on the new head resolves it, so it is transient.
 */
export class NonFastForwardError extends TransientError {}

/** The branch (or the repository itself, 404) does not exist on the remote. */
export class GitRefNotFoundError extends TerminalError {}

/** The remote refused a push for a reason other than a race: a hook, a protected branch, a bad ref name. */
export class GitPushRejectedError extends TerminalError {}

/** The remote answered something that is not the smart HTTP protocol we spoke; often a proxy in between. */
export class GitProtocolError extends TransientError {}

/** A GitRepository Secret, a refspec or a path that cannot be used as given. */
export class GitConfigError extends TerminalError {}

/** A path asked for is not in the commit's tree. */
export class GitPathNotFoundError extends TerminalError {}

/**
 * An object the cache should hold is missing or corrupt (a cache dir removed under us, a torn write).
 * Transient: the next run fetches into a fresh cache.
 */
export class GitObjectMissingError extends TransientError {}
