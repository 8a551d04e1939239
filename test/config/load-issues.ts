import { expect } from 'vitest';
import { ConfigError, type ConfigIssue, loadConfigFiles } from '../../lib/config/index.ts';

/** The issues a load of these files fails with; fails the test if it loads. */
export function loadIssues(files: Record<string, string>): ConfigIssue[] {
  try {
    loadConfigFiles(Object.entries(files).map(([path, content]) => ({ path, content })));
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues;
  }
  expect.fail('expected the config to fail to load');
}

/** Loads files given as path → content. */
export function load(files: Record<string, string>) {
  return loadConfigFiles(Object.entries(files).map(([path, content]) => ({ path, content })));
}

/** A valid GitRepository named `name`, for tests that need something to refer to. */
export function gitRepository(name = 'fleet', extra = ''): string {
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: ${name}
spec:
  url: https://git.example.com/fleet.git
  interval: 5m
${extra}`;
}
