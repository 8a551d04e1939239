import { describe, expect, it } from 'vitest';
import { captureLogs } from '../support/log-capture.ts';

describe('logger', () => {
  it('writes JSON lines with level, time and service', () => {
    const { log, lines } = captureLogs();
    log.info({ object: 'Kustomization/flux-system/apps' }, 'applied');
    expect(lines()).toEqual([
      expect.objectContaining({
        level: 'info',
        service: 'ferry',
        object: 'Kustomization/flux-system/apps',
        msg: 'applied',
      }),
    ]);
    expect(Date.parse(String(lines()[0]?.time))).not.toBeNaN();
  });

  it.each([
    ['a token', { token: 'ghp_abc123' }],
    ['a password inside a secret', { secret: { password: 'hunter2' } }],
    [
      'a webhook address two levels down',
      { provider: { spec: { address: 'https://hooks.slack.com/services/T0/B0/xyz' } } },
    ],
    ['an authorization header', { request: { headers: { authorization: 'Bearer abc.def' } } }],
    ['Secret values', { object: { values: { password: 'hunter2' } } }],
  ])('redacts %s wherever it is logged', (_label, fields) => {
    const { log, text } = captureLogs();
    log.warn(fields, 'something happened');
    for (const secret of ['ghp_abc123', 'hunter2', 'hooks.slack.com', 'abc.def'])
      expect(text()).not.toContain(secret);
    expect(text()).toContain('[redacted]');
  });
});
