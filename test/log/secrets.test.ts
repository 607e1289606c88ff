import { clearSecretsForTests, registerSecret, scrub, scrubDeep } from '../../src/log/secrets.js';
import { createLogger } from '../../src/log/logger.js';

afterEach(() => clearSecretsForTests());

describe('secrets', () => {
  const key = 'sandbox_full_0123456789abcdef';

  it('scrubs the key, its Basic Authorization form and its bare base64 form', () => {
    registerSecret(key);
    const basic = Buffer.from(`${key}:`).toString('base64');
    const bare = Buffer.from(key).toString('base64');
    const text = `key=${key} auth="Basic ${basic}" b64=${bare}`;
    const out = scrub(text);
    expect(out).not.toContain(key);
    expect(out).not.toContain(basic.replace(/=+$/, ''));
    expect(out).not.toContain(bare.replace(/=+$/, ''));
    expect(out).toBe('key=[REDACTED] auth="Basic [REDACTED]" b64=[REDACTED]');
  });

  it('leaves text alone when nothing is registered, and ignores too-short values', () => {
    registerSecret('abc');
    expect(scrub('abc def')).toBe('abc def');
  });

  it('scrubs nested values', () => {
    registerSecret(key);
    expect(scrubDeep({ a: [key, { b: `x${key}y` }], n: 1 })).toEqual({
      a: ['[REDACTED]', { b: 'x[REDACTED]y' }],
      n: 1,
    });
  });

  it('logger output never contains a registered secret, in json or pretty form', () => {
    registerSecret(key);
    const lines: string[] = [];
    for (const format of ['json', 'pretty'] as const) {
      const log = createLogger({ format, write: (l) => lines.push(l), level: 'debug' });
      log.info(`calling with ${key}`, {
        header: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
        err: new Error(key),
      });
    }
    expect(lines).toHaveLength(2);
    for (const l of lines) {
      expect(l).not.toContain(key);
      expect(l).toContain('[REDACTED]');
    }
  });
});
