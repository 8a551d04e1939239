import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_RECEIVE_COUNT,
  DeploySettingsError,
  readDeploySettings,
} from '../../stacks/deploy-settings.ts';

const URL = 'https://git.example.com/platform/fleet.git';

describe('deploy settings', () => {
  it.each([
    {
      label: 'defaults around the repository URL',
      env: { FERRY_CONFIG_URL: URL },
      settings: {
        configUrl: URL,
        configBranch: 'main',
        configPath: '.',
        maxReceiveCount: DEFAULT_MAX_RECEIVE_COUNT,
      },
    },
    {
      label: 'every variable given',
      env: {
        FERRY_CONFIG_URL: ` ${URL} `,
        FERRY_CONFIG_BRANCH: 'live',
        FERRY_CONFIG_PATH: 'clusters/prod',
        FERRY_MAX_RECEIVE_COUNT: '12',
        FERRY_ALARM_EMAIL: 'oncall@example.com',
      },
      settings: {
        configUrl: URL,
        configBranch: 'live',
        configPath: 'clusters/prod',
        maxReceiveCount: 12,
        alarmEmail: 'oncall@example.com',
      },
    },
    {
      label: 'blank variables count as unset',
      env: {
        FERRY_CONFIG_URL: URL,
        FERRY_CONFIG_BRANCH: ' ',
        FERRY_MAX_RECEIVE_COUNT: '',
        FERRY_ALARM_EMAIL: '',
      },
      settings: { configBranch: 'main', maxReceiveCount: DEFAULT_MAX_RECEIVE_COUNT, alarmEmail: undefined },
    },
  ])('reads $label', ({ env, settings }) => {
    expect(readDeploySettings(env)).toMatchObject(settings);
  });

  it.each([
    { label: 'a missing repository URL', env: {}, variable: 'FERRY_CONFIG_URL' },
    {
      label: 'a fractional receive count',
      env: { FERRY_CONFIG_URL: URL, FERRY_MAX_RECEIVE_COUNT: '2.5' },
      variable: 'FERRY_MAX_RECEIVE_COUNT',
    },
    {
      label: 'a receive count of 0',
      env: { FERRY_CONFIG_URL: URL, FERRY_MAX_RECEIVE_COUNT: '0' },
      variable: 'FERRY_MAX_RECEIVE_COUNT',
    },
    {
      label: 'a receive count above SQS’s 1,000',
      env: { FERRY_CONFIG_URL: URL, FERRY_MAX_RECEIVE_COUNT: '1001' },
      variable: 'FERRY_MAX_RECEIVE_COUNT',
    },
    {
      label: 'a receive count that is no number',
      env: { FERRY_CONFIG_URL: URL, FERRY_MAX_RECEIVE_COUNT: 'ten' },
      variable: 'FERRY_MAX_RECEIVE_COUNT',
    },
  ])('refuses $label, naming the variable', ({ env, variable }) => {
    const error = (() => {
      try {
        readDeploySettings(env);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(DeploySettingsError);
    expect((error as DeploySettingsError).message).toMatch(new RegExp(`^${variable}: `));
    expect((error as DeploySettingsError).data).toEqual({ variable });
    expect((error as DeploySettingsError).failure).toBe('terminal');
  });

  it('lets sst remove build the stacks without a repository', () => {
    expect(readDeploySettings({}, false).configUrl).toBe('');
  });
});
