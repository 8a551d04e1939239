import { describe, expect, it } from 'vitest';
import {
  alreadyExists,
  applyConflict,
  invalid,
  notFound,
  unsupportedMediaType,
} from '../../../lib/kube/dev-cluster/status-errors.ts';

const failure = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure' };

describe('Status errors, shaped as the real API sends them', () => {
  it.each([
    [
      'a core object not found',
      notFound('', 'configmaps', 'app'),
      {
        ...failure,
        message: 'configmaps "app" not found',
        reason: 'NotFound',
        details: { name: 'app', kind: 'configmaps' },
        code: 404,
      },
    ],
    [
      'a grouped object that already exists',
      alreadyExists('apps', 'deployments', 'web'),
      {
        ...failure,
        message: 'deployments.apps "web" already exists',
        reason: 'AlreadyExists',
        details: { name: 'web', group: 'apps', kind: 'deployments' },
        code: 409,
      },
    ],
    [
      'a missing name',
      invalid('', 'ConfigMap', '', [
        {
          field: 'metadata.name',
          reason: 'FieldValueRequired',
          message: 'Required value: name or generateName is required',
        },
      ]),
      {
        ...failure,
        message: 'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required',
        reason: 'Invalid',
        details: {
          name: '',
          kind: 'ConfigMap',
          causes: [
            {
              field: 'metadata.name',
              reason: 'FieldValueRequired',
              message: 'Required value: name or generateName is required',
            },
          ],
        },
        code: 422,
      },
    ],
    [
      'a patch type the server does not take',
      unsupportedMediaType(['application/merge-patch+json']),
      {
        ...failure,
        message:
          'the body of the request was in an unknown format - accepted media types include: application/merge-patch+json',
        reason: 'UnsupportedMediaType',
        code: 415,
      },
    ],
    [
      'conflicts with two managers',
      applyConflict([
        { manager: '"b" using apps/v1', field: '.spec.replicas' },
        { manager: '"a"', field: '.data.x' },
      ]),
      {
        ...failure,
        message:
          'Apply failed with 2 conflicts: conflicts with "a":\n- .data.x\nconflicts with "b" using apps/v1:\n- .spec.replicas',
        reason: 'Conflict',
        details: {
          causes: [
            {
              type: 'FieldManagerConflict',
              message: 'conflict with "b" using apps/v1',
              field: '.spec.replicas',
            },
            { type: 'FieldManagerConflict', message: 'conflict with "a"', field: '.data.x' },
          ],
        },
        code: 409,
      },
    ],
  ])('%s', (_label, error, body) => {
    expect(error.status).toEqual(body);
    expect(error.message).toBe(body.message);
  });
});
