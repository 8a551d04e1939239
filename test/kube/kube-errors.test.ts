import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { failureClassOf } from '../../lib/errors.ts';
import type { ObjectRef } from '../../lib/kube/index.ts';
import {
  ApplyConflictError,
  isImmutableFieldError,
  KubeApiError,
  KubeUnavailableError,
  kubeErrorFor,
} from '../../lib/kube/index.ts';

const web: ObjectRef = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' };
const api = (code: number, body: unknown) => new ApiException(code, 'Unsuccessful HTTP Request', body, {});

describe('kube errors', () => {
  const cases: {
    label: string;
    error: unknown;
    verb?: string;
    type: unknown;
    failure: 'terminal' | 'transient';
    message: RegExp;
  }[] = [
    {
      label: 'an invalid object',
      error: api(422, { message: 'Deployment.apps "web" is invalid: spec.selector: Required value' }),
      type: KubeApiError,
      failure: 'terminal',
      message: /apply Deployment\/shop\/web: Deployment.apps "web" is invalid/,
    },
    {
      label: 'an unknown kind',
      error: api(404, { message: 'the server could not find the requested resource' }),
      type: KubeApiError,
      failure: 'terminal',
      message: /could not find/,
    },
    {
      label: 'a kind missing from discovery',
      error: new Error('Unrecognized API version and kind: shop.example.com/v1 Widget'),
      type: KubeApiError,
      failure: 'terminal',
      message: /no such kind/,
    },
    {
      label: 'an apply conflict',
      error: api(409, {
        message: 'Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas',
        details: { causes: [{ message: 'conflict with "kubectl"' }] },
      }),
      type: ApplyConflictError,
      failure: 'terminal',
      message: /conflict with "kubectl"/,
    },
    {
      label: 'a server error',
      error: api(503, { message: 'etcd unavailable' }),
      type: KubeUnavailableError,
      failure: 'transient',
      message: /etcd unavailable/,
    },
    {
      label: 'throttling',
      error: api(429, { message: 'too many requests' }),
      type: KubeUnavailableError,
      failure: 'transient',
      message: /too many/,
    },
    {
      label: 'a network failure',
      error: new TypeError('fetch failed'),
      type: KubeUnavailableError,
      failure: 'transient',
      message: /fetch failed/,
    },
    {
      label: 'a Status body sent as text',
      error: api(500, '{"message":"boom"}'),
      type: KubeUnavailableError,
      failure: 'transient',
      message: /boom/,
    },
  ];
  for (const c of cases) {
    it(`classes ${c.label} as ${c.failure} and names the object`, () => {
      const error = kubeErrorFor(c.error, web, c.verb ?? 'apply');
      expect(error).toBeInstanceOf(c.type);
      expect(failureClassOf(error)).toBe(c.failure);
      expect(error.message).toMatch(c.message);
      expect(error.data.object).toBe('Deployment/shop/web');
    });
  }

  it('names the other field managers of a conflict', () => {
    const error = kubeErrorFor(
      api(409, {
        message: 'Apply failed with 2 conflicts',
        details: { causes: [{ message: 'conflict with "kubectl"' }, { message: 'conflict with "helm"' }] },
      }),
      web,
      'apply',
    );
    expect(error.data.managers).toEqual(['kubectl', 'helm']);
  });

  const immutable: { label: string; error: unknown; immutable: boolean }[] = [
    {
      label: 'a 422 saying the field is immutable',
      error: api(422, {
        message: 'Job.batch "migrate" is invalid: spec.template: Invalid value: field is immutable',
      }),
      immutable: true,
    },
    {
      label: 'a 422 whose cause says so',
      error: api(422, { message: 'invalid', details: { causes: [{ message: 'field is immutable' }] } }),
      immutable: true,
    },
    { label: 'another 422', error: api(422, { message: 'spec.selector: Required value' }), immutable: false },
    { label: 'a 409', error: api(409, { message: 'field is immutable' }), immutable: false },
  ];
  for (const c of immutable) {
    it(`${c.immutable ? 'recreates on' : 'does not recreate on'} ${c.label}`, () => {
      expect(isImmutableFieldError(c.error)).toBe(c.immutable);
    });
  }
});
