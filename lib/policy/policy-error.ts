/**
 * A policy that cannot decide: an invalid semver range, order or tag pattern, or a numerical policy
 * handed a tag that is not a number. The spec (or the tags it lets through) must change before
 * another try can succeed, so the failure is terminal, as Flux stalls an ImagePolicy with reason
 * InvalidPolicy.
 */
import { TerminalError } from '../errors.ts';

export class PolicyError extends TerminalError {}
