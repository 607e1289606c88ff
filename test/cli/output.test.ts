import { describe, expect, it } from '@jest/globals';
import { AshbyKafkaError, ConfigError, InternalError, wrapError } from '../../src/errors.js';
import { ExitCode, reportError } from '../../src/cli/output.js';

/** The exit codes docs/cli.md documents, one per kind of failure. */
describe('reportError exit codes', () => {
  const io = () => {
    let err = '';
    return { out: () => undefined, err: (t: string) => void (err += t), isTTY: false, text: () => err };
  };

  it.each([
    ['a job failure', new AshbyKafkaError('ASHBY_PERMISSION_DENIED', 'no'), ExitCode.failure, 1],
    ['an invalid config', new ConfigError('bad'), ExitCode.usage, 2],
    ['a bug raised as InternalError', new InternalError('impossible'), ExitCode.internal, 70],
    [
      'a foreign error wrapped with an action',
      wrapError('list candidates', new TypeError('x is undefined')),
      ExitCode.internal,
      70,
    ],
    ['a foreign error', new TypeError('x is undefined'), ExitCode.internal, 70],
  ])('%s', (_what, err, code, number) => {
    const out = io();
    expect(reportError(err, out)).toBe(code);
    expect(code).toBe(number);
    expect(out.text()).toMatch(/^error \[[A-Z_]+\]: /);
  });
});
