import { describe, expect, it } from 'vitest';
import { ConfigSet, type Provider, type ProviderSpec, type Secret } from '../../../lib/config/index.ts';
import { ProviderConfigError } from '../../../lib/notify/provider-config-error.ts';
import { resolveProviderEndpoint, SLACK_POST_MESSAGE_URL } from '../../../lib/notify/provider-endpoint.ts';

const source = { file: 'alerts.yaml', document: 0 };
const meta = (name: string) => ({ name, namespace: 'flux-system', labels: {}, annotations: {} });

function provider(spec: Partial<ProviderSpec> & Pick<ProviderSpec, 'type'>): Provider {
  return {
    apiVersion: 'notification.toolkit.fluxcd.io/v1beta3',
    kind: 'Provider',
    metadata: meta('team'),
    spec,
    source,
  };
}

function secret(name: string, values: Record<string, string>): Secret {
  return { apiVersion: 'v1', kind: 'Secret', metadata: meta(name), type: 'Opaque', values, source };
}

const WEBHOOK = 'https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX';
const TOKEN = 'xoxb-secret-token-value';

function resolve(spec: Parameters<typeof provider>[0], ...secrets: Secret[]) {
  const p = provider(spec);
  return resolveProviderEndpoint(p, new ConfigSet([p, ...secrets]));
}

describe('resolving a Provider', () => {
  it('takes the address from the spec, with Flux’s 15s default timeout', () => {
    expect(resolve({ type: 'generic', address: 'https://example.com/hook' })).toEqual({
      type: 'generic',
      namespace: 'flux-system',
      name: 'team',
      address: 'https://example.com/hook',
      channel: undefined,
      username: undefined,
      token: undefined,
      headers: {},
      proxy: undefined,
      timeoutMs: 15_000,
    });
  });

  it("lets the Secret's address, username and proxy win over the spec's; token and headers from the Secret", () => {
    const endpoint = resolve(
      {
        type: 'slack',
        address: 'https://spec.example.com',
        username: 'spec-user',
        channel: 'deploys',
        proxy: 'http://spec-proxy:3128',
        timeout: '30s',
        secretRef: { name: 'slack' },
      },
      secret('slack', {
        address: `${WEBHOOK}\n`,
        token: TOKEN,
        username: 'flux',
        proxy: 'http://secret-proxy:3128',
        headers: 'X-Team: platform\nX-Retries: 3\n',
      }),
    );
    expect(endpoint).toMatchObject({
      address: WEBHOOK,
      token: TOKEN,
      username: 'flux',
      channel: 'deploys',
      proxy: 'http://secret-proxy:3128/',
      headers: { 'X-Team': 'platform', 'X-Retries': '3' },
      timeoutMs: 30_000,
    });
  });

  it("takes the proxy from proxySecretRef's address, with its username and password, over both others", () => {
    const endpoint = resolve(
      {
        type: 'generic',
        address: 'https://example.com',
        proxy: 'http://spec-proxy:3128',
        proxySecretRef: { name: 'proxy' },
        secretRef: { name: 'hook' },
      },
      secret('hook', { proxy: 'http://secret-proxy:3128' }),
      secret('proxy', { address: 'http://proxy.internal:3128', username: 'u@corp', password: 'p:ss' }),
    );
    expect(endpoint.proxy).toBe('http://u%40corp:p%3Ass@proxy.internal:3128/');
  });

  it('posts a Slack bot token to chat.postMessage when no address is given', () => {
    const endpoint = resolve(
      { type: 'slack', channel: 'general', secretRef: { name: 'bot' } },
      secret('bot', { token: TOKEN }),
    );
    expect(endpoint.address).toBe(SLACK_POST_MESSAGE_URL);
  });

  it('accepts ssh and scp-like repository addresses for commit statuses', () => {
    const token = secret('gh', { token: 'ghp_x' });
    expect(
      resolve({ type: 'github', address: 'git@github.com:org/repo.git', secretRef: { name: 'gh' } }, token),
    ).toMatchObject({ address: 'git@github.com:org/repo.git', token: 'ghp_x' });
  });
});

describe('a Provider that cannot be delivered to', () => {
  const cases: [string, () => unknown, string][] = [
    [
      'an unsupported type',
      () => resolve({ type: 'rocket', address: 'https://x' }),
      'Provider/flux-system/team: spec.type "rocket" is not supported by ferry; supported types: slack, discord, msteams, generic, generic-hmac, github, gitlab',
    ],
    [
      'no address',
      () => resolve({ type: 'discord' }),
      "Provider/flux-system/team: address is required for type discord: set spec.address or the Secret's address key",
    ],
    [
      'a Secret address that is not a URL',
      () =>
        resolve(
          { type: 'msteams', secretRef: { name: 's' } },
          secret('s', { address: 'hooks.example.com/secret-path' }),
        ),
      'Provider/flux-system/team: Secret flux-system/s key "address" must be an http:// or https:// URL',
    ],
    [
      'github without a token',
      () => resolve({ type: 'github', address: 'https://github.com/org/repo' }),
      'Provider/flux-system/team: spec.secretRef must name a Secret with a "token" key for type github',
    ],
    [
      'github without owner/repo',
      () =>
        resolve(
          { type: 'github', address: 'https://github.com/org', secretRef: { name: 's' } },
          secret('s', { token: 't' }),
        ),
      'Provider/flux-system/team: spec.address must be a repository address like https://github.com/<owner>/<repo>',
    ],
    [
      'generic-hmac without a token',
      () => resolve({ type: 'generic-hmac', address: 'https://x.example' }),
      'Provider/flux-system/team: spec.secretRef must name a Secret with a "token" key for type generic-hmac',
    ],
    [
      'a bot token without a channel',
      () => resolve({ type: 'slack', secretRef: { name: 's' } }, secret('s', { token: TOKEN })),
      'Provider/flux-system/team: spec.channel is required when posting with a Slack bot token',
    ],
    [
      'headers that are not YAML',
      () =>
        resolve(
          { type: 'generic', address: 'https://x.example', secretRef: { name: 's' } },
          secret('s', { headers: `Authorization: "${TOKEN}\n  bad: [` }),
        ),
      'Provider/flux-system/team: Secret flux-system/s key "headers" is not valid YAML',
    ],
    [
      'headers that are a list',
      () =>
        resolve(
          { type: 'generic', address: 'https://x.example', secretRef: { name: 's' } },
          secret('s', { headers: `- ${TOKEN}` }),
        ),
      'Provider/flux-system/team: Secret flux-system/s key "headers" must be a YAML map of header names to values',
    ],
    [
      'a header name HTTP refuses',
      () =>
        resolve(
          { type: 'generic', address: 'https://x.example', secretRef: { name: 's' } },
          secret('s', { headers: `"Bad Name": ${TOKEN}` }),
        ),
      'Provider/flux-system/team: Secret flux-system/s key "headers" has an invalid header name "Bad Name"',
    ],
    [
      'a proxySecretRef without address',
      () =>
        resolve(
          { type: 'generic', address: 'https://x.example', proxySecretRef: { name: 'p' } },
          secret('p', { username: 'u' }),
        ),
      'Secret flux-system/p has no key "address" (needed by Provider/flux-system/team)',
    ],
    [
      'a missing Secret',
      () => resolve({ type: 'generic', address: 'https://x.example', secretRef: { name: 'gone' } }),
      'Secret flux-system/gone does not exist (needed by Provider/flux-system/team)',
    ],
  ];

  it.each(cases)('%s fails terminally, naming the Provider and the field', (_label, run, message) => {
    let error: unknown;
    try {
      run();
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ failure: 'terminal', message });
    if (error instanceof ProviderConfigError)
      expect(error.data).toHaveProperty('provider', 'Provider/flux-system/team');
    const shown = `${(error as Error).message} ${JSON.stringify((error as { data?: unknown }).data)} ${String((error as Error).cause)}`;
    expect(shown).not.toContain(TOKEN);
    expect(shown).not.toContain('secret-path');
  });
});
