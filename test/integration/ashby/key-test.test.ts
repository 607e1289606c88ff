import { AshbyInvalidKeyError } from '../../../src/ashby/index.js';
import {
  readableModules,
  reportAllows,
  testAshbyKey,
  toTestRecord,
  type KeyTestReport,
} from '../../../src/credentials/index.js';
import { clearSecretsForTests } from '../../../src/log/secrets.js';
import type { RunningSandbox } from '../../../src/sandbox/index.js';
import { ClientPool, TEST_KEYS, drain, rejection, sandbox } from './helpers.js';

/** `credentials test` / `check` logic against keys with different permissions and confidential access. */
let sb: RunningSandbox;
const pool = new ClientPool();
let confidentialJobId: string;
beforeAll(async () => {
  sb = await sandbox();
  const jobs = await drain(pool.make(sb.url, sb.keys.full).pages<{ id: string; confidential: boolean }>('job.list'));
  confidentialJobId = jobs.find((j) => j.confidential)!.id;
});
afterAll(async () => {
  await pool.closeAll();
  await sb.close();
});
afterEach(() => {
  sb.admin.resetCallLog();
  clearSecretsForTests();
});

const secret = (name: string): string => TEST_KEYS.find((k) => k.name === name)!.secret;
const run = (key: string, opts = {}): Promise<KeyTestReport> => testAshbyKey(pool.make(sb.url, key), opts);
const readOf = (r: KeyTestReport, m: string): string | undefined => r.modules.find((x) => x.moduleKey === m)?.read;

it('full key: title and scopes from apiKey.info, write everywhere, confidential jobs visible', async () => {
  const r = await run(sb.keys.full);
  expect(r.title).toBe('Sandbox full access');
  expect(r.scopes).toEqual(expect.arrayContaining(['candidates:read', 'candidates:write', 'jobs:write']));
  expect(r.modules.every((m) => m.write === 'yes')).toBe(true);
  expect(r.confidentialJobs.state).toBe('visible');
  expect(reportAllows(r, 'candidate.create')).toBe(true);
  // With scopes known, no module is probed.
  expect(sb.admin.callLog({ path: '/candidate.list' })).toHaveLength(0);
});

it('read-only key: no write scopes, confidential jobs not visible; a known confidential job proves it', async () => {
  const r = await run(sb.keys.readonly);
  expect(r.modules.every((m) => m.write === 'no')).toBe(true);
  expect(r.confidentialJobs.state).toBe('not-visible');
  expect(reportAllows(r, 'candidate.create')).toBe(false);
  const probed = await run(sb.keys.readonly, { confidentialJobId });
  expect(probed.confidentialJobs).toMatchObject({
    state: 'not-visible',
    evidence: expect.stringContaining('job_not_found'),
  });
  const full = await run(sb.keys.full, { confidentialJobId });
  expect(full.confidentialJobs.state).toBe('visible');
});

it('a key without API Keys read: probes one read per module (limit 1) and reports what is readable', async () => {
  const r = await run(secret('no_apikeys'));
  expect(r.scopes).toBeUndefined();
  expect(r.title).toBeUndefined();
  expect(readableModules(r).sort()).toEqual(['candidates', 'jobs', 'organization']);
  expect(readOf(r, 'offers')).toBe('not-readable');
  expect(readOf(r, 'interviews')).toBe('not-readable');
  expect(readOf(r, 'apiKeys')).toBe('not-readable');
  expect(readOf(r, 'reports')).toBe('not-probed');
  expect(r.modules.every((m) => m.write === 'unknown')).toBe(true);
  expect(r.confidentialJobs.state).toBe('visible');
  expect(sb.admin.callLog({ path: '/candidate.list' }).map((e) => e.body)).toEqual([{ limit: 1 }]);
  expect(reportAllows(r, 'candidate.list')).toBe(true);
  expect(reportAllows(r, 'offer.list')).toBe(false);
  expect(reportAllows(r, 'candidate.create')).toBeUndefined();
  expect(toTestRecord(r)).toMatchObject({
    ok: true,
    readable_modules: expect.arrayContaining(['jobs']),
    confidential_jobs_visible: true,
  });
});

it('a jobs-only key without the confidential option sees no confidential job', async () => {
  const r = await run(secret('jobs_only'));
  expect(readableModules(r)).toEqual(['jobs']);
  expect(r.confidentialJobs.state).toBe('not-visible');
});

it('an unknown key fails the test with ASHBY_INVALID_KEY', async () => {
  expect(await rejection(run('definitely-not-a-key'))).toBeInstanceOf(AshbyInvalidKeyError);
});
