import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { HealthStatus } from '../../lib/kube/index.ts';
import { healthOf } from '../../lib/kube/index.ts';

const deployment = (status: Record<string, unknown>, generation = 2): KubernetesObject =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', generation },
    spec: { replicas: 2 },
    status,
  }) as KubernetesObject;

const withStatus = (
  apiVersion: string,
  kind: string,
  status: Record<string, unknown>,
  spec: Record<string, unknown> = {},
): KubernetesObject =>
  ({ apiVersion, kind, metadata: { name: 'x', generation: 1 }, spec, status }) as KubernetesObject;

const cond = (type: string, status: string, reason = '', message = '') => ({ type, status, reason, message });

describe('object health', () => {
  const cases: { label: string; object: KubernetesObject; status: HealthStatus; reason?: RegExp }[] = [
    {
      label: 'a rolled-out Deployment',
      object: deployment({ observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 }),
      status: 'healthy',
    },
    {
      label: 'a Deployment whose generation is not observed yet',
      object: deployment({ observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 }),
      status: 'progressing',
      reason: /generation 2/,
    },
    {
      label: 'a Deployment with replicas still updating',
      object: deployment({ observedGeneration: 2, replicas: 2, updatedReplicas: 1, availableReplicas: 2 }),
      status: 'progressing',
      reason: /updated replicas: 1\/2/,
    },
    {
      label: 'a Deployment with old replicas terminating',
      object: deployment({ observedGeneration: 2, replicas: 3, updatedReplicas: 2, availableReplicas: 2 }),
      status: 'progressing',
      reason: /pending termination/,
    },
    {
      label: 'a Deployment short of available replicas',
      object: deployment({ observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 1 }),
      status: 'progressing',
      reason: /available replicas: 1\/2/,
    },
    {
      label: 'a Deployment past its progress deadline',
      object: deployment({
        observedGeneration: 2,
        conditions: [cond('Progressing', 'False', 'ProgressDeadlineExceeded', 'timed out')],
      }),
      status: 'failed',
      reason: /timed out/,
    },
    {
      label: 'a StatefulSet with all replicas ready at the update revision',
      object: withStatus('apps/v1', 'StatefulSet', {
        observedGeneration: 1,
        readyReplicas: 1,
        updatedReplicas: 1,
        currentRevision: 'a',
        updateRevision: 'a',
      }),
      status: 'healthy',
    },
    {
      label: 'a StatefulSet still moving to its update revision',
      object: withStatus('apps/v1', 'StatefulSet', {
        observedGeneration: 1,
        readyReplicas: 1,
        updatedReplicas: 1,
        currentRevision: 'a',
        updateRevision: 'b',
      }),
      status: 'progressing',
    },
    {
      label: 'a DaemonSet on every node',
      object: withStatus('apps/v1', 'DaemonSet', {
        observedGeneration: 1,
        desiredNumberScheduled: 3,
        updatedNumberScheduled: 3,
        numberAvailable: 3,
      }),
      status: 'healthy',
    },
    {
      label: 'a DaemonSet short of available pods',
      object: withStatus('apps/v1', 'DaemonSet', {
        observedGeneration: 1,
        desiredNumberScheduled: 3,
        updatedNumberScheduled: 3,
        numberAvailable: 2,
      }),
      status: 'progressing',
    },
    {
      label: 'a complete Job',
      object: withStatus('batch/v1', 'Job', { conditions: [cond('Complete', 'True')] }),
      status: 'healthy',
    },
    {
      label: 'a failed Job',
      object: withStatus('batch/v1', 'Job', {
        conditions: [cond('Failed', 'True', 'BackoffLimitExceeded', 'backoff limit')],
      }),
      status: 'failed',
      reason: /backoff limit/,
    },
    { label: 'a running Job', object: withStatus('batch/v1', 'Job', { active: 1 }), status: 'progressing' },
    {
      label: 'an object whose Ready condition is True',
      object: withStatus('shop.example.com/v1', 'Widget', {
        observedGeneration: 1,
        conditions: [cond('Ready', 'True', 'Ok', 'all good')],
      }),
      status: 'healthy',
    },
    {
      label: 'an object whose Ready condition is False',
      object: withStatus('shop.example.com/v1', 'Widget', {
        observedGeneration: 1,
        conditions: [cond('Ready', 'False', 'BuildFailed', 'no source')],
      }),
      status: 'failed',
      reason: /no source/,
    },
    {
      label: 'an object still progressing towards Ready',
      object: withStatus('shop.example.com/v1', 'Widget', {
        conditions: [cond('Ready', 'False', 'Progressing', 'reconciling')],
      }),
      status: 'progressing',
    },
    {
      label: 'an object whose Ready condition is Unknown',
      object: withStatus('shop.example.com/v1', 'Widget', { conditions: [cond('Ready', 'Unknown')] }),
      status: 'progressing',
    },
    {
      label: 'a ConfigMap',
      object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } },
      status: 'healthy',
      reason: /exists/,
    },
  ];
  for (const c of cases) {
    it(`${c.label} is ${c.status}`, () => {
      const health = healthOf(c.object);
      expect(health.status).toBe(c.status);
      if (c.reason) expect(health.reason).toMatch(c.reason);
    });
  }
});
