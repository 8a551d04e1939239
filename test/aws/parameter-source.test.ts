import { describe, expect, it } from 'vitest';
import {
  cachedParameterSource,
  firstFound,
  ParameterUnavailableError,
} from '../../lib/aws/parameter-source.ts';
import { MemoryParameters } from './memory-parameters.ts';

describe('parameter sources', () => {
  it('keeps answers, missing ones included, for the TTL, then asks again', async () => {
    const store = new MemoryParameters();
    store.values.set('/p/a', 'one');
    let now = 0;
    const cached = cachedParameterSource(store, { ttlMs: 60_000, now: () => now });
    expect([await cached.get('/p/a'), await cached.get('/p/a'), await cached.get('/p/none')]).toEqual([
      'one',
      'one',
      undefined,
    ]);
    store.values.set('/p/a', 'two');
    now = 59_999;
    expect([await cached.get('/p/a'), await cached.get('/p/none')]).toEqual(['one', undefined]);
    now = 60_000;
    expect(await cached.get('/p/a')).toBe('two');
    expect(store.reads).toEqual(['/p/a', '/p/none', '/p/a']);
  });

  it('does not keep a failure', async () => {
    let calls = 0;
    const flaky = {
      get: async () => {
        calls += 1;
        if (calls === 1) throw new ParameterUnavailableError('throttled');
        return 'value';
      },
    };
    const cached = cachedParameterSource(flaky, { now: () => 0 });
    await expect(cached.get('/p/a')).rejects.toBeInstanceOf(ParameterUnavailableError);
    expect(await cached.get('/p/a')).toBe('value');
  });

  it('keeps a newer answer when an older, slower ask fails after it', async () => {
    let now = 0;
    const pending: ((value: string) => void)[] = [];
    const failures: ((error: Error) => void)[] = [];
    const slow = {
      get: () =>
        new Promise<string>((resolve, reject) => {
          pending.push(resolve);
          failures.push(reject);
        }),
    };
    const cached = cachedParameterSource(slow, { ttlMs: 1_000, now: () => now });
    const old = cached.get('/p/a');
    now = 1_000;
    const fresh = cached.get('/p/a');
    pending[1]?.('fresh');
    expect(await fresh).toBe('fresh');
    failures[0]?.(new ParameterUnavailableError('throttled'));
    await expect(old).rejects.toBeInstanceOf(ParameterUnavailableError);
    expect(await cached.get('/p/a')).toBe('fresh');
    expect(pending).toHaveLength(2);
  });

  it('asks the next store only when one has nothing', async () => {
    const ssm = new MemoryParameters();
    const secrets = new MemoryParameters();
    ssm.values.set('/p/in-ssm', 'a');
    secrets.values.set('/p/in-ssm', 'shadowed');
    secrets.values.set('/p/in-secrets', 'b');
    const both = firstFound(ssm, secrets);
    expect([await both.get('/p/in-ssm'), await both.get('/p/in-secrets'), await both.get('/p/none')]).toEqual(
      ['a', 'b', undefined],
    );
    expect(secrets.reads).toEqual(['/p/in-secrets', '/p/none']);
  });
});
