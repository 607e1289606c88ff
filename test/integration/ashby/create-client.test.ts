import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../../src/config/load.js';
import { CredentialStore } from '../../../src/credentials/index.js';
import { clearSecretsForTests, scrub } from '../../../src/log/secrets.js';
import { ashbyClientOptions, createAshbyClient } from '../../../src/config/ashby-options.js';
import type { RunningSandbox } from '../../../src/sandbox/index.js';
import { sandbox } from './helpers.js';

/** createAshbyClient: config section → client options, key from the named credential, real calls. */
let sb: RunningSandbox;
let dir: string;
beforeAll(async () => {
  sb = await sandbox();
  dir = await mkdtemp(join(tmpdir(), 'ak-create-client-'));
});
afterAll(async () => {
  await sb.close();
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => clearSecretsForTests());

const config = (ashby: Record<string, unknown>) => resolveConfig({ ashby, kafka: {} }).ashby;

it('maps every ashby setting onto the client options (defaults included)', () => {
  const a = config({
    api_key: 'k_1234567890',
    base_url: 'http://127.0.0.1:1/prefix',
    ashby_version: '2026-01-01',
    timeouts: { connect_ms: 1, headers_ms: 2, body_ms: 3 },
    retry: { retries: 4, min_delay_ms: 5, max_delay_ms: 6 },
    rate: { requests_per_second: 7, burst: 8, max_concurrent: 9 },
  });
  expect(ashbyClientOptions(a, 'k_1234567890')).toEqual({
    apiKey: 'k_1234567890',
    baseUrl: 'http://127.0.0.1:1/prefix',
    ashbyVersion: '2026-01-01',
    timeouts: { connectMs: 1, headersMs: 2, bodyMs: 3 },
    retry: { retries: 4, minDelayMs: 5, maxDelayMs: 6 },
    rate: { requestsPerSecond: 7, burst: 8, maxConcurrent: 9 },
  });
  expect(ashbyClientOptions(config({ api_key: 'k_1234567890' }), 'k')).toMatchObject({
    baseUrl: 'https://api.ashbyhq.com',
    timeouts: { connectMs: 10_000, headersMs: 60_000, bodyMs: 60_000 },
    retry: { retries: 8, minDelayMs: 500, maxDelayMs: 30_000 },
    rate: { requestsPerSecond: 15, burst: 30, maxConcurrent: 8 },
  });
});

it('resolves a named credential and talks to Ashby with it', async () => {
  const storePath = join(dir, 'store', 'credentials.json');
  await new CredentialStore({ path: storePath, env: {} }).add('sandbox', sb.keys.full);
  clearSecretsForTests();
  const client = await createAshbyClient(config({ credential: 'sandbox', base_url: sb.url }), { storePath, env: {} });
  try {
    expect((await client.apiKey.info()).results.title).toBe('Sandbox full access');
    expect(scrub(`key ${sb.keys.full}`)).toBe('key [REDACTED]');
  } finally {
    await client.close();
  }
});

it('fails with CREDENTIAL_NOT_FOUND before any call when the credential is missing', async () => {
  sb.admin.resetCallLog();
  await expect(
    createAshbyClient(config({ credential: 'missing', base_url: sb.url }), {
      storePath: join(dir, 'none.json'),
      env: {},
    }),
  ).rejects.toMatchObject({
    code: 'CREDENTIAL_NOT_FOUND',
  });
  expect(sb.admin.callLog()).toHaveLength(0);
});
