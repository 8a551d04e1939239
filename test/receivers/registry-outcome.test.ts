import { describe, expect, it } from 'vitest';
import { RECEIVER_HANDLERS, ReceiverPayloadError } from '../../lib/receivers/index.ts';
import { registryOutcome } from '../../lib/receivers/registry-outcome.ts';

describe('registryOutcome', () => {
  it.each([
    ['one hint', [{ image: 'team/app', tag: '1.0.0' }], [], 'scan requested for docker.io/team/app:1.0.0'],
    [
      'hints and ignored events',
      [{ image: 'team/app', tag: '1.0.0' }],
      ['pull of team/app'],
      'scan requested for docker.io/team/app:1.0.0; ignored pull of team/app',
    ],
    ['nothing at all', [], [], 'nothing to scan'],
    [
      'repeated phrases, counted',
      [],
      ['blob push to a', 'blob push to a', 'pull of a'],
      'nothing to scan: ignored blob push to a (×2), pull of a',
    ],
    [
      'a long list, cut short',
      [],
      ['a', 'b', 'c', 'd', 'e', 'f', 'g'],
      'nothing to scan: ignored a, b, c, d, e and 2 more',
    ],
  ])('%s', (_label, hints, ignored, message) => {
    expect(registryOutcome('test', { hints, ignored }).message).toBe(message);
  });

  it('scans an image and tag once however often they are hinted, and keeps the delivery id', () => {
    const hint = { image: '127.0.0.1:5000/team/app', tag: '1.0.0' };
    const outcome = registryOutcome(
      'test',
      { hints: [hint, { ...hint, digest: 'sha256:0' }], ignored: [] },
      'd-1',
    );
    expect(outcome.jobs).toEqual([
      { kind: 'scan-image', image: '127.0.0.1:5000/team/app', hintTag: '1.0.0' },
    ]);
    expect(outcome.deliveryId).toBe('d-1');
    expect(registryOutcome('test', { hints: [], ignored: [] })).not.toHaveProperty('deliveryId');
  });

  it.each([
    ['an invalid tag', { image: 'team/app', tag: 'not a tag' }],
    ['an invalid image', { image: 'Team/App', tag: '1.0.0' }],
  ])('calls %s a malformed payload', (_label, hint) => {
    expect(() => registryOutcome('test', { hints: [hint], ignored: [] })).toThrow(ReceiverPayloadError);
  });
});

describe('RECEIVER_HANDLERS', () => {
  it('serves every registry sender, ferry’s aliases with the handler of the type they extend', () => {
    for (const type of [
      'generic',
      'generic-hmac',
      'github',
      'ghcr',
      'distribution',
      'dockerhub',
      'quay',
      'harbor',
      'acr',
      'nexus',
      'gcr',
      'artifactregistry',
      'ecr',
    ]) {
      expect(RECEIVER_HANDLERS[type], type).toBeTypeOf('function');
    }
    expect(RECEIVER_HANDLERS.ghcr).toBe(RECEIVER_HANDLERS.github);
    expect(RECEIVER_HANDLERS.artifactregistry).toBe(RECEIVER_HANDLERS.gcr);
  });
});
