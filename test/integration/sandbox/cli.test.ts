import { Command } from 'commander';
import { request } from 'undici';
import { ConfigError } from '../../../src/errors.js';
import {
  registerSandboxCommand,
  sandboxOptionsFromCli,
  startSandboxFromCli,
  type SandboxCliOptions,
} from '../../../src/cli/sandbox.js';
import type { CliIo } from '../../../src/cli/output.js';

/** `ashby-kafka sandbox`: flags, the start banner, and a clean stop on SIGTERM. */

const base: SandboxCliOptions = { host: '127.0.0.1', port: '0', seed: '1', scale: '50' };

function memoryIo(): CliIo & { text: () => string } {
  let out = '';
  return { out: (t) => (out += t), err: (t) => (out += t), isTTY: false, text: () => out };
}

describe('sandbox command', () => {
  it('maps flags to sandbox options', () => {
    expect(
      sandboxOptionsFromCli({
        ...base,
        latencyMs: '20',
        latencyJitterMs: '5',
        rateLimit: '10',
        rateLimitScope: 'integration-partner',
        fault5xxRate: '0.1',
        webhook: ['http://127.0.0.1:9/h=s3cret'],
        frozenClock: true,
        emptyPageEvery: '3',
      }),
    ).toMatchObject({
      port: 0,
      seed: 1,
      scale: 50,
      latencyMs: { meanMs: 20, jitterMs: 5 },
      rateLimit: { perSecond: 10, burst: 10, scope: 'integration-partner' },
      faults: { serverErrorRate: 0.1 },
      webhooks: [{ url: 'http://127.0.0.1:9/h', secret: 's3cret' }],
      pageSize: { emptyPageEvery: 3 },
      clock: { follow: false },
    });
  });

  it.each([
    [{ scale: 'many' }, '--scale must be a number'],
    [{ rateLimitScope: 'planet' }, '--rate-limit-scope must be'],
    [{ webhook: ['http://x'] }, '--webhook must be URL=SECRET'],
    [{ authErrorBody: 'html' }, '--auth-error-body must be'],
  ])('rejects %j', (flags, message) => {
    expect(() => sandboxOptionsFromCli({ ...base, ...flags } as SandboxCliOptions)).toThrow(ConfigError);
    expect(() => sandboxOptionsFromCli({ ...base, ...flags } as SandboxCliOptions)).toThrow(message);
  });

  it('prints the base URL and the API keys on start', async () => {
    const io = memoryIo();
    const sb = await startSandboxFromCli(base, io);
    try {
      expect(io.text()).toContain(`Ashby sandbox listening on ${sb.url}`);
      expect(io.text()).toMatch(/sandbox_full\s+sandbox_full/);
      expect(io.text()).toMatch(/sandbox_readonly\s+sandbox_readonly/);
      expect(io.text()).toContain('50 candidates');
    } finally {
      await sb.close();
    }
  });

  it('runs from the registered command until SIGTERM, then stops cleanly', async () => {
    const io = memoryIo();
    const program = new Command().exitOverride();
    registerSandboxCommand(program, io);
    const done = program.parseAsync(['node', 'ashby-kafka', 'sandbox', '--port', '0', '--scale', '20']);
    for (let i = 0; i < 100 && !/listening on (\S+)/.test(io.text()); i++) await new Promise((r) => setTimeout(r, 20));
    const url = /listening on (\S+)/.exec(io.text())![1]!;
    const res = await request(`${url}/apiKey.info`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('sandbox_full:').toString('base64')}` },
    });
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    process.emit('SIGTERM');
    await done;
    expect(io.text()).toContain('Ashby sandbox stopped');
    await expect(request(`${url}/apiKey.info`, { method: 'POST' })).rejects.toThrow();
  });
});
