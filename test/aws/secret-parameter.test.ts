import { describe, expect, it } from 'vitest';
import {
  SecretParameterError,
  secretConfigFile,
  secretParameterName,
} from '../../lib/aws/secret-parameter.ts';
import { loadConfigFiles } from '../../lib/config/index.ts';

const PARAMETER = '/ferry/prod/apps/creds';

describe('secretConfigFile', () => {
  it.each([
    {
      label: 'a JSON object of strings, as an Opaque Secret',
      text: '{"username":"bot","password":"s3cret"}',
      type: 'Opaque',
      values: { username: 'bot', password: 's3cret' },
    },
    {
      label: 'a YAML Secret, keeping its type and decoding its data',
      text: 'apiVersion: v1\nkind: Secret\nmetadata: { name: other, namespace: elsewhere }\ntype: kubernetes.io/dockerconfigjson\ndata: { .dockerconfigjson: eyJhdXRocyI6e319 }\n',
      type: 'kubernetes.io/dockerconfigjson',
      values: { '.dockerconfigjson': '{"auths":{}}' },
    },
  ])('reads $label under the name of its parameter path', ({ text, type, values }) => {
    const config = loadConfigFiles([secretConfigFile(PARAMETER, 'apps', 'creds', text)]);
    const secret = config.get('Secret', 'apps', 'creds');
    expect(secret?.type).toBe(type);
    expect(secret?.values).toEqual(values);
    expect(config.size).toBe(1);
  });

  it.each([
    { label: 'a value that is not a string', text: '{"port":5432}', why: 'key "port" is not a string' },
    { label: 'a list', text: '[1, 2]', why: 'expected a JSON object' },
    { label: 'broken JSON', text: '{"password": "hunter2"', why: 'neither JSON nor YAML' },
  ])('refuses $label, naming the parameter and never the value', ({ text, why }) => {
    let error: unknown;
    try {
      secretConfigFile(PARAMETER, 'apps', 'creds', text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SecretParameterError);
    expect((error as Error).message).toContain(PARAMETER);
    expect((error as Error).message).toContain(why);
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('names parameters <prefix>/<namespace>/<name>', () => {
    expect(secretParameterName('/ferry/prod/', 'flux-system', 'git')).toBe('/ferry/prod/flux-system/git');
  });
});
