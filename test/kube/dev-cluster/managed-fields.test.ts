import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../lib/kube/dev-cluster/field-paths.ts';
import {
  fieldLeaves,
  fromFieldsV1,
  printField,
  toFieldsV1,
} from '../../../lib/kube/dev-cluster/field-paths.ts';
import type { Writer } from '../../../lib/kube/dev-cluster/managed-fields.ts';
import { recordUpdate, serverSideApply } from '../../../lib/kube/dev-cluster/managed-fields.ts';

const NOW = '2026-01-01T00:00:00Z';
const writer = (manager: string): Writer => ({
  manager,
  apiVersion: 'apps/v1',
  now: NOW,
  statusSubresource: true,
});

function deployment(image: string, replicas?: number): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
    spec: {
      ...(replicas === undefined ? {} : { replicas }),
      template: {
        spec: {
          containers: [
            { name: 'main', image },
            { name: 'sidecar', image: 'proxy:1' },
          ],
        },
      },
    },
  };
}

function managers(object: JsonObject): [string, string, string[]][] {
  const entries = (
    object.metadata as { managedFields: { manager: string; operation: string; fieldsV1: unknown }[] }
  ).managedFields;
  return entries.map((e) => [e.manager, e.operation, [...fromFieldsV1(e.fieldsV1)].map(printField).sort()]);
}

describe('field sets', () => {
  it('names map keys and name-keyed list items as the real API prints them', () => {
    const leaves = [...fieldLeaves(deployment('app:1', 2), 'main').keys()].map(printField);
    expect(leaves).toEqual([
      '.metadata.labels.app',
      '.spec.replicas',
      '.spec.template.spec.containers[name="main"].name',
      '.spec.template.spec.containers[name="main"].image',
      '.spec.template.spec.containers[name="sidecar"].name',
      '.spec.template.spec.containers[name="sidecar"].image',
    ]);
  });

  it('round-trips through the FieldsV1 shape', () => {
    const keys = [...fieldLeaves(deployment('app:1', 2), 'main').keys()];
    const fields = toFieldsV1(keys);
    expect(fields['f:spec']).toMatchObject({
      'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"main"}': { '.': {}, 'f:image': {} } } } },
    });
    expect([...fromFieldsV1(fields)].sort()).toEqual([...keys].sort());
  });

  it('keeps status out of the main resource and alone in the status subresource', () => {
    const object = { ...deployment('app:1'), status: { replicas: 1 } };
    expect([...fieldLeaves(object, 'main').keys()].map(printField)).not.toContain('.status.replicas');
    expect([...fieldLeaves(object, 'status').keys()].map(printField)).toEqual(['.status.replicas']);
  });
});

describe('server-side apply', () => {
  it('shares a field two managers set to the same value, and conflicts when one changes it', () => {
    const first = serverSideApply(undefined, deployment('app:1', 2), writer('ferry'), false);
    const shared = serverSideApply(first, deployment('app:1', 2), writer('other'), false);
    expect(managers(shared).map(([m]) => m)).toEqual(['ferry', 'other']);
    expect(() => serverSideApply(shared, deployment('app:2', 2), writer('other'), false)).toThrow(
      'Apply failed with 1 conflict: conflict with "ferry": .spec.template.spec.containers[name="main"].image',
    );
  });

  it('lists every conflict by manager', () => {
    const first = serverSideApply(undefined, deployment('app:1', 2), writer('ferry'), false);
    expect(() => serverSideApply(first, deployment('app:2', 3), writer('other'), false)).toThrow(
      'Apply failed with 2 conflicts: conflicts with "ferry":\n- .spec.replicas\n- .spec.template.spec.containers[name="main"].image',
    );
  });

  it('takes conflicting fields over with force', () => {
    const first = serverSideApply(undefined, deployment('app:1', 2), writer('ferry'), false);
    const forced = serverSideApply(first, deployment('app:1', 3), writer('other'), true);
    expect((forced.spec as { replicas: number }).replicas).toBe(3);
    const [ferry, other] = managers(forced);
    expect(ferry?.[2]).not.toContain('.spec.replicas');
    expect(other?.[2]).toContain('.spec.replicas');
  });

  it('removes what the manager no longer applies, unless another manager holds it', () => {
    const first = serverSideApply(undefined, deployment('app:1', 2), writer('ferry'), false);
    const dropped = serverSideApply(first, deployment('app:1'), writer('ferry'), false);
    expect((dropped.spec as JsonObject).replicas).toBeUndefined();
    const held = serverSideApply(first, deployment('app:1', 2), writer('other'), false);
    const kept = serverSideApply(held, deployment('app:1'), writer('ferry'), false);
    expect((kept.spec as JsonObject).replicas).toBe(2);
  });

  it('merges named list items instead of replacing the list', () => {
    const first = serverSideApply(undefined, deployment('app:1'), writer('ferry'), false);
    const sidecarOnly: JsonObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'proxy:1', args: ['-v'] }] } } },
    };
    const merged = serverSideApply(first, sidecarOnly, writer('other'), false);
    const containers = ((merged.spec as JsonObject).template as { spec: { containers: JsonObject[] } }).spec
      .containers;
    expect(containers).toEqual([
      { name: 'main', image: 'app:1' },
      { name: 'sidecar', image: 'proxy:1', args: ['-v'] },
    ]);
  });

  it('conflicts with a manager that changed a field by update, as after an edit', () => {
    const applied = serverSideApply(undefined, deployment('app:1', 2), writer('ferry'), false);
    const edited = recordUpdate(applied, deployment('app:1', 5), writer('kubectl-edit'));
    expect(managers(edited)).toContainEqual(['kubectl-edit', 'Update', ['.spec.replicas']]);
    expect(() => serverSideApply(edited, deployment('app:1', 2), writer('ferry'), false)).toThrow(
      'conflict with "kubectl-edit" using apps/v1: .spec.replicas',
    );
  });
});
