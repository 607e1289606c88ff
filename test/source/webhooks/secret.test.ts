import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { resolveWebhookSecret } from '../../../src/config/webhook-secret.js';
import { resolveConfig } from '../../../src/config/load.js';
import { CredentialStore } from '../../../src/credentials/index.js';
import { createLogger } from '../../../src/log/logger.js';
import { clearSecretsForTests, scrub } from '../../../src/log/secrets.js';
import { signWebhook } from '../../../src/sandbox/index.js';
import { startWebhookIntake } from '../../../src/source/webhooks/intake.js';
import type { Round } from '../../../src/source/webhooks/doorbell.js';

const SECRET = 'whsec_4f1c9a7e2b8d6035';
let dir: string;
let storePath: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ak-whsecret-'));
  storePath = join(dir, 'credentials.json');
  await new CredentialStore({ path: storePath, env: {} }).add('hooks', SECRET);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  clearSecretsForTests();
});

const hooks = (extra: Record<string, unknown>) => ({
  host: '127.0.0.1',
  port: 0,
  path: '/webhooks/ashby',
  max_body_bytes: 4_096,
  replay_window: '10m',
  coalesce: '20ms',
  ...extra,
});

describe('the webhook secret from the credential store', () => {
  it('resolves source.webhooks.credential and registers it with the log scrubber', async () => {
    expect(await resolveWebhookSecret({ credential: 'hooks' }, { storePath })).toBe(SECRET);
    expect(scrub(`signed with ${SECRET}`)).toBe('signed with [REDACTED]');
    expect(await resolveWebhookSecret({ secret: ` ${SECRET} ` })).toBe(SECRET);
  });

  it.each([
    [{}, 'set secret'],
    [{ secret: SECRET, credential: 'hooks' }, 'not both'],
    [{ secret: '  ' }, 'empty'],
  ])('rejects %j', async (h, text) => {
    await expect(resolveWebhookSecret(h, { storePath })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining(text),
    });
  });

  it('fails with the store error for an unknown name, without printing any secret', async () => {
    const err = (await resolveWebhookSecret({ credential: 'nope' }, { storePath }).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).not.toContain(SECRET);
  });

  it('is checked by the config loader: exactly one of secret and credential', () => {
    const base = { ashby: { api_key: 'k_1234567890' }, kafka: { bootstrap_servers: 'x:9092' } };
    expect(() =>
      resolveConfig({ ...base, source: { webhooks: { port: 1, secret: 's', credential: 'hooks' } } }, { env: {} }),
    ).toThrow(/exactly one/);
    expect(() => resolveConfig({ ...base, source: { webhooks: { port: 1 } } }, { env: {} })).toThrow(/exactly one/);
    expect(
      resolveConfig({ ...base, source: { webhooks: { port: 1, credential: 'hooks' } } }, { env: {} }).source!.webhooks,
    ).toMatchObject({ credential: 'hooks' });
  });

  it('signs the receiver of a pipeline whose secret is a credential; the secret never reaches the log', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', format: 'json', write: (l) => lines.push(l) });
    const rounds: Round[] = [];
    const intake = await startWebhookIntake(
      hooks({ credential: 'hooks' }) as never,
      async (r) => void rounds.push(r),
      logger,
      { storePath },
    );
    try {
      const post = async (body: string, signature: string): Promise<number> => {
        const res = await request(intake.url, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', 'ashby-signature': signature },
        });
        await res.body.dump();
        return res.statusCode;
      };
      const body = JSON.stringify({ action: 'candidateDelete', data: { candidate: { id: 'c-1' } } });
      expect(await post(body, signWebhook(body, SECRET))).toBe(204);
      expect(await post(body.replace('c-1', 'c-2'), signWebhook(body, 'another-secret-123'))).toBe(401);
      await intake.idle();
      expect(rounds.flatMap((r) => r.departures.map((d) => d.id))).toEqual(['c-1']);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.join('\n')).not.toContain(SECRET);
    } finally {
      await intake.close();
    }
  });
});
