/**
 * A Provider and its Secrets resolved into a ProviderEndpoint, with Flux's precedence: the Secret's
 * `address`, `proxy` and `username` keys win over the spec's fields, `token` and `headers` come only
 * from the Secret, a proxySecretRef wins over both proxy sources. Everything a delivery needs is
 * checked here, so that bad config fails once, terminally, before anything is sent.
 */
import { parse as parseYaml } from 'yaml';
import type { ConfigSet, Provider, ProviderType } from '../config/index.ts';
import { objectKey, timeoutMs } from '../config/index.ts';
import { parseGitAddress } from './git-address.ts';
import type { ProviderEndpoint } from './notification.ts';
import { ProviderConfigError } from './provider-config-error.ts';

/** The Provider types ferry delivers to; the others of the v1beta3 API load but are refused here. */
export const SUPPORTED_PROVIDER_TYPES = [
  'slack',
  'discord',
  'msteams',
  'generic',
  'generic-hmac',
  'github',
  'gitlab',
] as const satisfies readonly ProviderType[];

export type SupportedProviderType = (typeof SUPPORTED_PROVIDER_TYPES)[number];

/** Where a bot token posts when the Provider gives no address. */
export const SLACK_POST_MESSAGE_URL = 'https://slack.com/api/chat.postMessage';

export function isSupportedProviderType(type: string): type is SupportedProviderType {
  return (SUPPORTED_PROVIDER_TYPES as readonly string[]).includes(type);
}

/** Resolves a Provider for delivery; throws ProviderConfigError (or MissingSecretError) naming the field. */
export function resolveProviderEndpoint(provider: Provider, config: ConfigSet): ProviderEndpoint {
  const ref = objectKey(provider);
  const { namespace, name } = provider.metadata;
  const spec = provider.spec;
  if (!isSupportedProviderType(spec.type)) {
    throw new ProviderConfigError(
      ref,
      'spec.type',
      `"${spec.type}" is not supported by ferry; supported types: ${SUPPORTED_PROVIDER_TYPES.join(', ')}`,
    );
  }
  const secretName = spec.secretRef?.name;
  const secret = secretName ? config.secretValues(namespace, secretName, { referrer: ref }) : {};
  const secretKey = (key: string) => `Secret ${namespace}/${secretName} key "${key}"`;
  const fromSecret = (key: string) => {
    const value = secret[key]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const token = fromSecret('token');
  const addressField = fromSecret('address') !== undefined ? secretKey('address') : 'spec.address';
  let address = fromSecret('address') ?? (spec.address?.trim() || undefined);
  if (address === undefined && spec.type === 'slack' && token !== undefined) address = SLACK_POST_MESSAGE_URL;

  const endpoint: ProviderEndpoint = {
    type: spec.type,
    namespace,
    name,
    address,
    channel: spec.channel,
    username: fromSecret('username') ?? spec.username,
    token,
    headers: secretName && 'headers' in secret ? parseHeaders(secret.headers, ref, secretKey('headers')) : {},
    proxy: resolveProxy(provider, config, fromSecret('proxy'), secretKey('proxy')),
    timeoutMs: timeoutMs(provider) ?? 15_000,
  };
  checkRequirements(endpoint, ref, addressField);
  return endpoint;
}

function checkRequirements(endpoint: ProviderEndpoint, ref: string, addressField: string): void {
  const { type, address } = endpoint;
  if (address === undefined) {
    const where =
      type === 'slack'
        ? "spec.address, the Secret's address key or a bot token"
        : "spec.address or the Secret's address key";
    throw new ProviderConfigError(ref, 'address', `is required for type ${type}: set ${where}`);
  }
  if (type === 'github' || type === 'gitlab') {
    const repo = parseGitAddress(address);
    if (repo === undefined || (type === 'github' && repo.path.split('/').length !== 2)) {
      const shape =
        type === 'github' ? 'https://github.com/<owner>/<repo>' : 'https://gitlab.com/<group>/<project>';
      throw new ProviderConfigError(ref, addressField, `must be a repository address like ${shape}`);
    }
  } else if (!isHttpUrl(address)) {
    throw new ProviderConfigError(ref, addressField, 'must be an http:// or https:// URL');
  }
  const needsToken = type === 'github' || type === 'gitlab' || type === 'generic-hmac';
  if (needsToken && endpoint.token === undefined) {
    throw new ProviderConfigError(
      ref,
      'spec.secretRef',
      `must name a Secret with a "token" key for type ${type}`,
    );
  }
  if (type === 'slack' && endpoint.token !== undefined && !endpoint.channel) {
    throw new ProviderConfigError(ref, 'spec.channel', 'is required when posting with a Slack bot token');
  }
}

function resolveProxy(
  provider: Provider,
  config: ConfigSet,
  secretProxy: string | undefined,
  secretProxyField: string,
): string | undefined {
  const ref = objectKey(provider);
  const { namespace } = provider.metadata;
  const proxyRef = provider.spec.proxySecretRef?.name;
  if (proxyRef) {
    const values = config.secretValues(namespace, proxyRef, { required: ['address'], referrer: ref });
    const field = `Secret ${namespace}/${proxyRef} key "address"`;
    const url = parseHttpUrl((values.address ?? '').trim(), ref, field);
    if (values.username) url.username = encodeURIComponent(values.username);
    if (values.password) url.password = encodeURIComponent(values.password);
    return url.toString();
  }
  if (secretProxy !== undefined) return parseHttpUrl(secretProxy, ref, secretProxyField).toString();
  return provider.spec.proxy;
}

function parseHeaders(text: string, ref: string, field: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch {
    // The parser's message quotes the offending line, which may hold a credential.
    throw new ProviderConfigError(ref, field, 'is not valid YAML');
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ProviderConfigError(ref, field, 'must be a YAML map of header names to values');
  }
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!['string', 'number', 'boolean'].includes(typeof value)) {
      throw new ProviderConfigError(
        ref,
        field,
        `has a header ${JSON.stringify(key)} whose value is not a scalar`,
      );
    }
    if (!HEADER_NAME.test(key)) {
      throw new ProviderConfigError(ref, field, `has an invalid header name ${JSON.stringify(key)}`);
    }
    if (/[\r\n\0]/.test(String(value))) {
      throw new ProviderConfigError(
        ref,
        field,
        `has a line break in the value of header ${JSON.stringify(key)}`,
      );
    }
    headers[key] = String(value);
  }
  return headers;
}

/** RFC 9110 token characters. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function parseHttpUrl(text: string, ref: string, field: string): URL {
  if (!isHttpUrl(text)) throw new ProviderConfigError(ref, field, 'must be an http:// or https:// URL');
  return new URL(text);
}
