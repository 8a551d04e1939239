import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFiles, MissingSecretError } from '../../lib/config/index.ts';
import { load, loadIssues } from './load-issues.ts';

const secret = (body: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n${body}`;

describe('Secrets', () => {
  it('decodes base64 data and merges stringData over it, stringData winning a shared key', () => {
    const config = load({
      's.yaml': secret(
        'type: kubernetes.io/basic-auth\ndata:\n  username: YWRtaW4=\n  password: b2xk\nstringData:\n  password: new\n  extra: plain\n',
      ),
    });
    const s = config.get('Secret', 'flux-system', 'creds');
    expect(s?.type).toBe('kubernetes.io/basic-auth');
    expect(s?.values).toEqual({ username: 'admin', password: 'new', extra: 'plain' });
  });

  it('is Opaque with no values when it says nothing', () => {
    const s = load({ 's.yaml': secret('') }).get('Secret', 'flux-system', 'creds');
    expect(s).toMatchObject({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque', values: {} });
  });

  it('decodes base64 wrapped over several lines', () => {
    const s = load({ 's.yaml': secret('data:\n  token: |\n    aGVsbG8g\n    d29ybGQ=\n') }).get(
      'Secret',
      'flux-system',
      'creds',
    );
    expect(s?.values.token).toBe('hello world');
  });

  it('rejects data that is not base64 without echoing it', () => {
    const issues = loadIssues({ 's.yaml': secret('data:\n  token: "s3cr3t!value"\n') });
    expect(issues).toEqual([
      {
        file: 's.yaml',
        document: 0,
        object: 'Secret/flux-system/creds',
        path: 'data.token',
        message: 'is not valid base64',
      },
    ]);
  });

  it('never puts a value into an error message, its data, or its JSON', () => {
    const sensitive = 'hunter2-very-secret';
    let error: unknown;
    try {
      loadConfigFiles([
        {
          path: 's.yaml',
          content: secret(
            `data:\n  a: "${sensitive}"\nstringData:\n  b: 42\n  c: ["${sensitive}"]\nspec: "${sensitive}"\n`,
          ),
        },
      ]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'data.a: is not valid base64',
      'stringData.b: must be a string',
      'stringData.c: must be a string',
      'spec: unknown field',
    ]);
    expect(configError.message).not.toContain(sensitive);
    expect(JSON.stringify(configError)).not.toContain(sensitive);
    expect(JSON.stringify(configError.data)).not.toContain(sensitive);
  });

  it('rejects keys Kubernetes would not accept', () => {
    const issues = loadIssues({ 's.yaml': secret('stringData:\n  "bad key": x\n') });
    expect(issues.map((i) => i.path)).toEqual(['stringData["bad key"]']);
  });
});

describe('ConfigSet.secretValues', () => {
  const config = load({ 's.yaml': secret('stringData:\n  token: t0k3n\n') });

  it('returns a copy of the values', () => {
    const values = config.secretValues('flux-system', 'creds');
    expect(values).toEqual({ token: 't0k3n' });
    values.token = 'changed';
    expect(config.secretValues('flux-system', 'creds').token).toBe('t0k3n');
  });

  it('throws a terminal error naming a missing Secret and who needed it', () => {
    const call = () =>
      config.secretValues('flux-system', 'absent', { referrer: 'Receiver/flux-system/hook' });
    expect(call).toThrow(MissingSecretError);
    expect(call).toThrow('Secret flux-system/absent does not exist (needed by Receiver/flux-system/hook)');
    try {
      call();
    } catch (error) {
      expect((error as MissingSecretError).failure).toBe('terminal');
    }
  });

  it('throws naming a required key that is missing, without any value', () => {
    const call = () => config.secretValues('flux-system', 'creds', { required: ['token', 'password'] });
    expect(call).toThrow('Secret flux-system/creds has no key "password"');
    try {
      call();
    } catch (error) {
      expect(JSON.stringify((error as MissingSecretError).data)).not.toContain('t0k3n');
      expect((error as Error).message).not.toContain('t0k3n');
    }
  });
});

describe('YAML errors in a Secret', () => {
  it.each([
    [
      'a bad escape',
      'data:\n  token: "ab\\qs3cr3t"\n',
      'YAML syntax error at line 6, column 13: Invalid escape sequence in a double-quoted string',
    ],
    [
      'an unresolved alias',
      'data:\n  token: *s3cr3t\n',
      'YAML error: Unresolved alias (the anchor must be set before the alias)',
    ],
  ])('report %s without quoting the value', (_what, body, message) => {
    const issues = loadIssues({ 's.yaml': secret(body) });
    expect(issues).toEqual([{ file: 's.yaml', document: 0, path: '', message }]);
    expect(JSON.stringify(issues)).not.toContain('s3cr3t');
  });
});
