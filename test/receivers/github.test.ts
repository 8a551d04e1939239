import examples from '@octokit/webhooks-examples' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import {
  GITHUB_EVENTS,
  githubReceiver,
  ReceiverAuthError,
  ReceiverPayloadError,
} from '../../lib/receivers/index.ts';
import { hmacHex, receiverFixture, run, scans, tamper } from './receiver-fixture.ts';

/** The package's index: one entry per event, with its example payloads. */
const definitions = examples as unknown as { name: string; examples: unknown[] }[];

/** A payload of `@octokit/webhooks-examples`, as GitHub sends it (one JSON document). */
function example(event: string, index = 0): Record<string, unknown> {
  const payload = definitions.find((d) => d.name === event)?.examples[index];
  if (!payload) throw new Error(`no ${event} example ${index}`);
  return structuredClone(payload) as unknown as Record<string, unknown>;
}

/**
 * The examples hold no tagged container version: their `package` payloads are npm packages, one
 * with the container metadata of an untagged GHCR manifest. A published container version is that
 * payload with the type and tag GitHub sets for a tagged push to ghcr.io.
 */
function containerPackage(tag: string, action = 'published'): Record<string, unknown> {
  const payload = example('package', 1);
  const pkg = payload.package as {
    package_type: string;
    package_version: { container_metadata: { tag: { name: string } } };
  };
  pkg.package_type = 'CONTAINER';
  pkg.package_version.container_metadata.tag.name = tag;
  return { ...payload, action };
}

const DELIVERY = '72d3162e-cc78-11e3-81ab-4c9367dc0958';
const fixture = receiverFixture('github');

function delivery(event: string, payload: unknown, change: Record<string, string | undefined> = {}) {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-github-event': event,
    'x-github-delivery': DELIVERY,
    'x-hub-signature': `sha1=${hmacHex('sha1', body)}`,
    'x-hub-signature-256': `sha256=${hmacHex('sha256', body)}`,
  };
  for (const [name, value] of Object.entries(change)) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  return { body, headers };
}
const signed = (event: string, payload: unknown, change?: Record<string, string | undefined>) => {
  const { body, headers } = delivery(event, payload, change);
  return fixture.request(body, headers);
};

describe('github receiver', () => {
  it('scans ghcr.io/<owner>/<package>:<tag>, lower case, for a published container version', async () => {
    const outcome = await run(githubReceiver, signed('package', containerPackage('1.2.3')));
    expect(scans(outcome)).toEqual(['ghcr.io/codertocat/hello-world-npm:1.2.3']);
    expect(outcome.deliveryId).toBe(DELIVERY);
  });

  it('reads the registry_package form of the same event', async () => {
    const { package: pkg, ...rest } = containerPackage('2.0.0');
    const outcome = await run(githubReceiver, signed('registry_package', { ...rest, registry_package: pkg }));
    expect(scans(outcome)).toEqual(['ghcr.io/codertocat/hello-world-npm:2.0.0']);
  });

  it('answers ping with 202 and no jobs', async () => {
    const outcome = await run(githubReceiver, signed('ping', example('ping')));
    expect(outcome).toEqual({ jobs: [], message: 'ping answered', deliveryId: DELIVERY });
  });

  it('hands push events to source syncing, through its own entry in the dispatch table', async () => {
    expect(Object.keys(GITHUB_EVENTS).sort()).toEqual(['package', 'ping', 'push', 'registry_package']);
    const outcome = await run(githubReceiver, signed('push', example('push')));
    expect(outcome).toMatchObject({
      jobs: [],
      message: 'nothing to sync: no GitRepository follows refs/tags/simple-tag',
    });
  });

  it.each([
    ['an npm package', () => example('package', 0), 'ignored npm package hello-world-npm'],
    [
      'an untagged container manifest',
      () => containerPackage(''),
      'ignored untagged version of ghcr.io/codertocat/hello-world-npm',
    ],
    [
      'an updated package',
      () => containerPackage('1.2.3', 'updated'),
      'ignored updated package hello-world-npm',
    ],
  ])('answers %s with zero jobs', async (_label, payload, message) => {
    const outcome = await run(githubReceiver, signed('package', payload()));
    expect(outcome.jobs).toEqual([]);
    expect(outcome.message).toBe(`nothing to scan: ${message}`);
  });

  it('answers events it has no entry for, whatever their name, with zero jobs', async () => {
    expect((await run(githubReceiver, signed('star', example('star')))).message).toBe(
      'star events are ignored',
    );
    expect((await run(githubReceiver, signed('constructor', {}))).message).toBe(
      'constructor events are ignored',
    );
  });

  it('refuses events the Receiver does not list, as Flux does', async () => {
    const only = receiverFixture('github', { events: ['Push'] });
    const ping = delivery('ping', example('ping'));
    await expect(run(githubReceiver, only.request(ping.body, ping.headers))).rejects.toThrow(
      /ping is not among/,
    );
    const push = delivery('push', example('push'));
    expect((await run(githubReceiver, only.request(push.body, push.headers))).jobs).toEqual([]);
  });

  it('accepts a form-encoded delivery, signed as sent, and the sha1 header alone', async () => {
    const json = JSON.stringify(containerPackage('1.2.3'));
    const body = new URLSearchParams({ payload: json }).toString();
    const outcome = await run(
      githubReceiver,
      fixture.request(body, {
        'content-type': 'application/x-www-form-urlencoded',
        'x-github-event': 'package',
        'x-hub-signature': `sha1=${hmacHex('sha1', body)}`,
      }),
    );
    expect(scans(outcome)).toEqual(['ghcr.io/codertocat/hello-world-npm:1.2.3']);
    expect(outcome.deliveryId).toBeUndefined();
  });

  it('refuses unsigned, wrongly signed and tampered deliveries, before reading the body', async () => {
    const { body, headers } = delivery('package', containerPackage('1.2.3'));
    const { 'x-hub-signature': _, 'x-hub-signature-256': __, ...unsigned } = headers;
    const cases = [
      fixture.request(body, unsigned),
      fixture.request(body, {
        ...headers,
        'x-hub-signature-256': `sha256=${hmacHex('sha256', body, 'other')}`,
      }),
      fixture.request(body, {
        ...headers,
        'x-hub-signature-256': `sha1=${hmacHex('sha1', body)}`.slice(0, 20),
      }),
      fixture.request(tamper(body), headers),
      fixture.request('{"action": published', headers),
    ];
    for (const request of cases)
      await expect(run(githubReceiver, request)).rejects.toThrow(ReceiverAuthError);
  });

  it.each([
    [
      'a body that is not JSON',
      () =>
        fixture.request(
          '{"zen"',
          delivery('ping', {}, { 'x-hub-signature-256': `sha256=${hmacHex('sha256', '{"zen"')}` }).headers,
        ),
    ],
    [
      'a delivery without X-GitHub-Event',
      () => signed('ping', example('ping'), { 'x-github-event': undefined }),
    ],
    [
      'a package without an owner',
      () => signed('package', { action: 'published', package: { name: 'x', package_type: 'container' } }),
    ],
  ])('refuses %s from an authentic sender as malformed', async (_label, request) => {
    await expect(run(githubReceiver, request())).rejects.toThrow(ReceiverPayloadError);
  });
});
