import { describe, expect, it } from 'vitest';
import { AwsEnvError, readAwsEnv } from '../../lib/aws/aws-env.ts';

const complete: Record<string, string> = {
  FERRY_STAGE: 'prod',
  FERRY_TABLE_NAME: 'ferry-prod-state',
  FERRY_CONFIG_URL: 'https://example.com/config.git',
};
for (const kind of ['SCAN_IMAGE', 'UPDATE', 'SYNC_SOURCE', 'APPLY', 'NOTIFY']) {
  complete[`FERRY_QUEUE_${kind}_URL`] = `https://sqs/q-${kind}.fifo`;
  complete[`FERRY_DLQ_${kind}_URL`] = `https://sqs/d-${kind}.fifo`;
}

describe('readAwsEnv', () => {
  it('maps the queue variables to the SQS names the queue factory asks for, with defaults for the rest', () => {
    const env = readAwsEnv(complete);
    expect(env.queueUrls.get('scan-image.fifo')).toBe('https://sqs/q-SCAN_IMAGE.fifo');
    expect(env.queueUrls.get('sync-source-dlq.fifo')).toBe('https://sqs/d-SYNC_SOURCE.fifo');
    expect(env).toMatchObject({ configBranch: 'main', configPath: '.', parameterPrefix: '/ferry/prod' });
  });

  it('takes the branch, path and prefix given', () => {
    const env = readAwsEnv({
      ...complete,
      FERRY_CONFIG_BRANCH: 'live',
      FERRY_CONFIG_PATH: 'clusters/prod',
      FERRY_PARAMETER_PREFIX: '/x/y/',
    });
    expect(env).toMatchObject({ configBranch: 'live', configPath: 'clusters/prod', parameterPrefix: '/x/y' });
  });

  it.each(['FERRY_TABLE_NAME', 'FERRY_QUEUE_APPLY_URL', 'FERRY_DLQ_NOTIFY_URL', 'FERRY_CONFIG_URL'])(
    'names %s when it is missing',
    (name) => {
      const env = { ...complete, [name]: ' ' };
      expect(() => readAwsEnv(env)).toThrow(AwsEnvError);
      expect(() => readAwsEnv(env)).toThrow(name);
    },
  );
});
