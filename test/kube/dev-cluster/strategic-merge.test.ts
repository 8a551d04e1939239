import { describe, expect, it } from 'vitest';
import type { Json } from '../../../lib/kube/dev-cluster/field-paths.ts';
import { strategicMergePatch } from '../../../lib/kube/dev-cluster/strategic-merge.ts';

const containers = (...items: Json[]) => ({ spec: { containers: items } });

describe('strategic merge patch', () => {
  it.each<[string, Json, Json, Json]>([
    ['maps merge and null deletes', { a: 1, b: 2 }, { b: null, c: 3 }, { a: 1, c: 3 }],
    [
      'a named list merges item by item',
      containers({ name: 'app', image: 'a:1' }, { name: 'proxy', image: 'p:1' }),
      containers({ name: 'app', image: 'a:2' }),
      containers({ name: 'app', image: 'a:2' }, { name: 'proxy', image: 'p:1' }),
    ],
    [
      'the element order directive names the merge key, orders, and is not stored',
      { spec: { ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443 }] } },
      {
        spec: {
          '$setElementOrder/ports': [{ containerPort: 443 }, { containerPort: 80 }],
          ports: [{ containerPort: 443, protocol: 'TCP' }],
        },
      },
      {
        spec: {
          ports: [
            { containerPort: 443, protocol: 'TCP' },
            { containerPort: 80, protocol: 'TCP' },
          ],
        },
      },
    ],
    [
      'an item marked for deletion goes',
      containers({ name: 'app' }, { name: 'proxy' }),
      containers({ name: 'proxy', $patch: 'delete' }),
      containers({ name: 'app' }),
    ],
    ['a map marked replace replaces', { m: { a: 1 } }, { m: { $patch: 'replace', b: 2 } }, { m: { b: 2 } }],
    ['an unkeyed list is replaced', { args: ['-a', '-b'] }, { args: ['-c'] }, { args: ['-c'] }],
    [
      'values leave a primitive list',
      { finalizers: ['a', 'b', 'c'] },
      { '$deleteFromPrimitiveList/finalizers': ['b'] },
      { finalizers: ['a', 'c'] },
    ],
    [
      'retained keys drop the rest',
      { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } },
      { strategy: { $retainKeys: ['type'], type: 'Recreate' } },
      { strategy: { type: 'Recreate' } },
    ],
  ])('%s', (_label, target, patch, expected) => {
    expect(strategicMergePatch(target, patch)).toEqual(expected);
  });
});
