import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { PACKAGE_ROOT } from '../../src/package-info.js';

/**
 * The built CLI loads only the subcommand it runs: `--version`, `--help` and `validate` start
 * without node-rdkafka (a preloaded hook makes any import of it fail).
 */
function cliWithoutKafka(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      join(PACKAGE_ROOT, 'test', 'support', 'forbid-rdkafka.mjs'),
      join(PACKAGE_ROOT, 'bin', 'ashby-kafka.js'),
      ...args,
    ],
    { encoding: 'utf8', env: { ...process.env, ASHBY_API_KEY: 'sandbox_full' } },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('CLI start-up', () => {
  it.each([
    ['--version'],
    ['--help'],
    ['validate', '--config', join(PACKAGE_ROOT, 'config', 'ashby-to-kafka.yaml')],
    ['help', 'validate'],
  ])('%s %s runs without loading node-rdkafka', (...args) => {
    const r = cliWithoutKafka(...args.filter((a): a is string => typeof a === 'string'));
    expect(r.stderr).not.toContain('node-rdkafka was loaded');
    expect(r.status).toBe(0);
  });

  it('a command that needs Kafka does load it (the hook works)', () => {
    const r = cliWithoutKafka('source', '--help');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('node-rdkafka was loaded');
  });

  it('the help of a subcommand lists its own options', () => {
    const r = cliWithoutKafka('help', 'validate');
    expect(r.stdout).toMatch(/--config <file>/);
  });
});
