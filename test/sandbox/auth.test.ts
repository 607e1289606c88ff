import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/errors.js';
import { createSandboxEngine, type SandboxOptions } from '../../src/sandbox/index.js';
import { basic, fixture } from './helpers/sandbox-fixture.js';

/** Transport and auth as Ashby does them (docs/ashby-api.md §1, §4). */

const KEYS: SandboxOptions['keys'] = [
  { name: 'jobs_reader', permissions: ['jobsRead'] },
  { name: 'retired', permissions: ['*'], deactivated: true },
  {
    name: 'custom',
    secret: 'custom-secret-123',
    title: 'Custom key',
    permissions: ['candidatesRead', 'candidatesWrite', 'apiKeysRead'],
    privateFields: true,
  },
];
const f = fixture({ keys: KEYS });
const raw = (init: { method?: string; path?: string; headers?: Record<string, string>; body?: string }) =>
  f.engine.handle({
    method: init.method ?? 'POST',
    path: init.path ?? '/candidate.list',
    headers: init.headers ?? {},
    body: init.body ?? '{}',
  });

describe('authentication', () => {
  it('answers 401 with an error envelope when no key is sent', () => {
    const r = f.call('candidate.list', {}, null);
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({
      success: false,
      errors: ['unauthenticated'],
      errorInfo: { code: 'unauthenticated' },
    });
    expect(r.json.errorInfo.requestId).toBe(r.headers['x-ashby-request-id']);
  });

  it('answers 401 for a non-Basic Authorization header', () => {
    expect(raw({ headers: { authorization: 'Bearer sandbox_full' } }).status).toBe(401);
  });

  it('answers 403 for an unknown key and for a deactivated one', () => {
    expect(f.call('candidate.list', {}, 'not_a_key').status).toBe(403);
    const retired = f.call('candidate.list', {}, 'retired');
    expect(retired.status).toBe(403);
    expect(retired.json.errorInfo.code).toBe('forbidden');
  });

  it('takes the key as the Basic username and ignores the password', () => {
    const r = raw({
      headers: {
        authorization: `Basic ${Buffer.from('sandbox_full:anything').toString('base64')}`,
        'content-type': 'application/json',
      },
    });
    expect(r.status).toBe(200);
  });

  it("answers 403 missing_endpoint_permission when the key lacks the endpoint's module permission", () => {
    const r = f.call('candidate.list', {}, 'jobs_reader');
    expect(r.status).toBe(403);
    expect(r.json).toEqual({
      success: false,
      errors: ['missing_endpoint_permission'],
      errorInfo: {
        code: 'missing_endpoint_permission',
        message: expect.stringContaining('candidatesRead'),
        requestId: expect.any(String),
      },
    });
    expect(f.call('job.list', {}, 'jobs_reader').status).toBe(200);
  });

  it('refuses writes to the read-only key', () => {
    const r = f.call('candidate.create', { name: 'X' }, 'sandbox_readonly');
    expect(r.status).toBe(403);
    expect(r.json.errorInfo.code).toBe('missing_endpoint_permission');
  });

  it('reports key title and scopes from apiKey.info', () => {
    expect(f.ok('apiKey.info', {}, 'custom-secret-123').results).toMatchObject({
      title: 'Custom key',
      scopes: ['apiKeys:read', 'candidates:read', 'candidates:write'],
    });
    expect(f.call('apiKey.info', {}, 'jobs_reader').json.errorInfo.code).toBe('missing_endpoint_permission');
    const readonly = f.call('apiKey.info', {}, 'sandbox_readonly').json.results;
    expect(readonly.title).toBe('Sandbox read-only');
    expect(readonly.scopes).toContain('jobs:read');
    expect(readonly.scopes.some((s: string) => s.endsWith(':write'))).toBe(false);
  });

  it('can send plain-text auth failures instead of envelopes', () => {
    const text = fixture({ compat: { authErrorBody: 'text' } });
    const r = text.call('candidate.list', {}, null);
    expect([r.status, r.text, r.headers['content-type']]).toEqual([401, 'Unauthorized', 'text/plain; charset=utf-8']);
  });
});

describe('transport', () => {
  it('answers 404 with an envelope for an unknown path', () => {
    const r = f.call('candidate.teleport');
    expect(r.status).toBe(404);
    expect(r.json.errorInfo.code).toBe('not_found');
  });

  it('answers 501 not_implemented_in_sandbox for a spec endpoint the sandbox lacks, never an empty success', () => {
    const r = f.call('report.generate');
    expect(r.status).toBe(501);
    expect(r.json).toMatchObject({ success: false, errors: ['not_implemented_in_sandbox'] });
  });

  it('answers 405 to anything but POST', () => {
    const r = raw({ method: 'GET', headers: { authorization: basic('sandbox_full') } });
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe('POST');
  });

  it('serves the early-2024 snake_case spellings unless switched off', () => {
    const app = f.ok('application.list', { limit: 1 }).results[0];
    expect(f.call('application.change_source', { applicationId: app.id, sourceId: null }).json.success).toBe(true);
    expect(fixture({ compat: { snakeCaseAliases: false } }).call('application.change_source', {}).status).toBe(404);
  });

  it('answers malformed JSON and non-JSON bodies with HTTP 200 invalid_input', () => {
    const bad = raw({
      headers: { authorization: basic('sandbox_full'), 'content-type': 'application/json' },
      body: '{"limit":',
    });
    expect(bad.status).toBe(200);
    expect(JSON.parse(bad.body).errorInfo.code).toBe('invalid_input');
    const form = raw({
      headers: { authorization: basic('sandbox_full'), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'limit=5',
    });
    expect(JSON.parse(form.body).errorInfo.code).toBe('invalid_input');
  });

  it('accepts an empty body as {}', () => {
    expect(raw({ headers: { authorization: basic('sandbox_full') }, body: '' }).status).toBe(200);
  });

  it('sends ULID request ids, JSON content type and the version headers, echoing a pinned Ashby-Version', () => {
    const r = raw({
      headers: {
        authorization: basic('sandbox_full'),
        'content-type': 'application/json',
        'ashby-version': '2026-01-01',
      },
    });
    expect(r.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'ashby-version': '2026-01-01',
      'ashby-version-status': 'active',
    });
    expect(r.headers['x-ashby-request-id']).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    const ids = new Set(Array.from({ length: 50 }, () => f.call('apiKey.info').headers['x-ashby-request-id']));
    expect(ids.size).toBe(50);
  });

  it('keeps the envelope field order of Ashby: success, results, then paging fields', () => {
    expect(f.call('department.list').text).toMatch(
      /^\{"success":true,"results":\[.*\],"moreDataAvailable":false,"syncToken":"[^"]+"\}$/,
    );
  });
});

describe('key configuration', () => {
  it('reads keys from a YAML keys file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-keys-'));
    const file = join(dir, 'keys.yaml');
    writeFileSync(file, 'keys:\n  - name: offers_only\n    permissions: [offersRead]\n    confidential: true\n');
    const { engine } = createSandboxEngine({ keysFile: file });
    expect(engine.keys.map((k) => k.name)).toEqual(['sandbox_full', 'sandbox_readonly', 'offers_only']);
    expect(engine.keys[2]).toMatchObject({
      secret: 'offers_only',
      confidential: true,
      privateFields: false,
      deactivated: false,
    });
  });

  it.each([
    [{ keys: [{ name: 'x', permissions: ['jobsReed'] }] }, 'keys[0].permissions[0] is "jobsReed"'],
    [{ keys: [{ name: 'bad name!', permissions: [] }] }, 'keys[0].name must be'],
    [{ keys: [{ name: 'x', secret: 'a:b', permissions: [] }] }, 'keys[0].secret must be'],
    [{ keys: [{ name: 'x', secret: 'sandbox_full', permissions: [] }] }, 'have the same secret'],
    [{ keysFile: '/nonexistent/keys.yaml' }, 'cannot read the sandbox keys file'],
    [{ scale: 0 }, 'sandbox option scale must be an integer between 1 and'],
    [{ pageSize: { emptyPageEvery: 1 } }, 'emptyPageEvery must be 0 (off) or at least 2'],
    [{ clock: { start: 'yesterday' } }, 'clock.start must be an ISO instant'],
    [{ rateLimit: { perSecond: 0 } }, 'rateLimit.perSecond must be a number between'],
    [{ webhooks: [{ url: 'ftp://x', secret: 's' }] }, 'webhooks[0].url must be an http(s) URL'],
  ] as [SandboxOptions, string][])('rejects %j with a message naming the option', (options, message) => {
    let error: unknown;
    try {
      createSandboxEngine(options);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(message);
  });
});
