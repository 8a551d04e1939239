/**
 * A Provider that cannot be delivered to as written: an unsupported type, a missing address or
 * token, a malformed `headers` key. Retrying cannot help until the config changes, so it is terminal.
 * Messages name the Provider, the Secret and the field or key; never a value, since an address or a
 * proxy URL may carry credentials.
 */
import { TerminalError } from '../errors.ts';

export interface ProviderConfigErrorData {
  /** `Provider/namespace/name`. */
  provider: string;
  /** The spec field (`spec.address`) or Secret key (`Secret/ns/name key "headers"`) at fault. */
  field: string;
}

export class ProviderConfigError extends TerminalError {
  constructor(provider: string, field: string, problem: string, cause?: unknown) {
    super(`${provider}: ${field} ${problem}`, {
      cause,
      data: { provider, field } satisfies ProviderConfigErrorData,
    });
  }
}
