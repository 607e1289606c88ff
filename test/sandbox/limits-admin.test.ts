import { RateLimiter } from '../../src/sandbox/limits/rate-limiter.js';
import { basic, fixture } from './helpers/sandbox-fixture.js';

/** Rate limits, forced and random faults, and the admin interface (in-process and over the engine's HTTP path). */

describe('rate limiting', () => {
  it("answers 429 with Retry-After and the error envelope once a key's bucket is empty, per key", () => {
    const f = fixture({ scale: 20, rateLimit: { perSecond: 0.5, burst: 3 } });
    for (let i = 0; i < 3; i++) expect(f.call('apiKey.info').status).toBe(200);
    const limited = f.call('apiKey.info');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('2');
    expect(limited.headers['x-ratelimit-scope']).toBeUndefined();
    expect(limited.json).toEqual({
      success: false,
      errors: ['rate_limit_exceeded'],
      errorInfo: {
        code: 'rate_limit_exceeded',
        message: expect.stringContaining('this API key'),
        requestId: expect.any(String),
      },
    });
    expect(f.call('apiKey.info', {}, 'sandbox_readonly').status).toBe(200);
  });

  it('marks the integration-partner variant and shares one bucket across keys', () => {
    const f = fixture({ scale: 20, rateLimit: { perSecond: 1, burst: 1, scope: 'integration-partner' } });
    expect(f.call('apiKey.info').status).toBe(200);
    const limited = f.call('apiKey.info', {}, 'sandbox_readonly');
    expect(limited.status).toBe(429);
    expect(limited.headers['x-ratelimit-scope']).toBe('integration-partner');
    expect(limited.json.errorInfo.message).toContain('integration partner');
  });

  it('refills the bucket over time', () => {
    let now = 0;
    const limiter = new RateLimiter(2, 2, 'key', () => now);
    expect([limiter.take('k').allowed, limiter.take('k').allowed, limiter.take('k').allowed]).toEqual([
      true,
      true,
      false,
    ]);
    now = 499;
    expect(limiter.take('k')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    now = 500;
    expect(limiter.take('k').allowed).toBe(true);
  });
});

describe('forced outcomes', () => {
  const f = fixture({ scale: 20 });

  it('forces 5xx, 429 and connection resets on the next calls of an endpoint, then recovers', () => {
    f.admin.forceNext('candidate.list', 1, { status: 503 });
    f.admin.forceNext('candidate.list', 1, { status: 429, retryAfterSeconds: 7 });
    f.admin.forceNext('candidate.list', 1, { reset: true });
    const first = f.call('candidate.list');
    expect([first.status, first.json.errorInfo.code]).toEqual([503, 'internal_server_error']);
    const second = f.call('candidate.list');
    expect([second.status, second.headers['retry-after']]).toEqual([429, '7']);
    const third = f.engine.handle({
      method: 'POST',
      path: '/candidate.list',
      headers: { authorization: basic('sandbox_full') },
      body: '',
    });
    expect(third.fault).toBe('reset');
    expect(f.call('candidate.list').status).toBe(200);
  });

  it.each([
    ['a 503', { status: 503 as const, afterApply: true }, 503],
    ['a reset connection', { reset: true as const, afterApply: true }, 'reset'],
  ])('afterApply: the write is carried out, then its answer is lost as %s', (_label, outcome, seen) => {
    const name = `Applied Unanswered ${String(seen)}`;
    f.admin.forceNext('candidate.create', 1, outcome);
    const r = f.engine.handle({
      method: 'POST',
      path: '/candidate.create',
      headers: { authorization: basic('sandbox_full'), 'content-type': 'application/json' },
      body: JSON.stringify({ name, email: `${String(seen)}.applied@example.com` }),
    });
    expect(r.fault ?? r.status).toBe(seen);
    expect(r.body).not.toContain(name);
    expect(f.ok('candidate.search', { name }).results.map((c: { name: string }) => c.name)).toEqual([name]);
    expect(f.admin.callLog({ path: 'candidate.create' }).at(-1)).toMatchObject({
      status: seen === 'reset' ? 0 : 503,
      errorCode: seen === 'reset' ? 'connection_reset' : 'internal_server_error',
    });
    // Without afterApply the same outcome stops the call before the endpoint runs.
    f.admin.forceNext('candidate.create', 1, { status: 503 });
    expect(f.call('candidate.create', { name: 'Never Stored' }).status).toBe(503);
    expect(f.ok('candidate.search', { name: 'Never Stored' }).results).toEqual([]);
  });

  it('applies "*" to any endpoint and leaves other endpoints alone', () => {
    f.admin.forceNext('job.list', 1, { errorCode: 'sync_token_expired' });
    expect(f.call('candidate.list').status).toBe(200);
    f.admin.forceNext('*', 1, { status: 500 });
    expect(f.call('user.list').status).toBe(500);
    expect(f.call('job.list').json.errorInfo.code).toBe('sync_token_expired');
  });
});

describe('random faults', () => {
  const outcomes = (seed: number) => {
    const f = fixture({ scale: 20, faults: { serverErrorRate: 0.2, resetRate: 0.1, slowBodyRate: 0.1, seed } });
    return Array.from({ length: 200 }, () => {
      const r = f.engine.handle({
        method: 'POST',
        path: '/apiKey.info',
        headers: { authorization: basic('sandbox_full') },
        body: '',
      });
      return r.fault ?? r.status;
    });
  };

  it('injects 5xx, resets and slow bodies at about the configured rates, reproducibly per seed', () => {
    const a = outcomes(7);
    expect(outcomes(7)).toEqual(a);
    expect(outcomes(8)).not.toEqual(a);
    const count = (x: unknown) => a.filter((o) => o === x).length;
    expect(count(503)).toBeGreaterThan(20);
    expect(count(503)).toBeLessThan(60);
    expect(count('reset')).toBeGreaterThan(5);
    expect(count('slow-body')).toBeGreaterThan(5);
    expect(count(200)).toBeGreaterThan(90);
  });
});

describe('random lost responses', () => {
  it('carry the call out and then reset the connection, at about the configured rate, reproducibly per seed', () => {
    const run = (seed: number) => {
      const f = fixture({ scale: 20, faults: { lostResponseRate: 0.3, seed } });
      const faults = Array.from({ length: 60 }, (_, i) => {
        const r = f.engine.handle({
          method: 'POST',
          path: '/candidate.create',
          headers: { authorization: basic('sandbox_full'), 'content-type': 'application/json' },
          body: JSON.stringify({ name: `Lost ${i}` }),
        });
        return r.fault ?? r.status;
      });
      return { faults, stored: f.ok('candidate.search', { name: 'Lost ' }).results.length };
    };
    const a = run(3);
    expect(run(3).faults).toEqual(a.faults);
    const lost = a.faults.filter((x) => x === 'reset').length;
    expect(a.faults.filter((x) => x !== 200 && x !== 'reset')).toEqual([]);
    expect(lost).toBeGreaterThan(8);
    expect(lost).toBeLessThan(30);
    // Every create was carried out, answered or not.
    expect(a.stored).toBe(60);
  });
});

describe('admin', () => {
  const f = fixture({ scale: 50 });

  it('creates, updates, reads and deletes records, and writes show up in incremental sync', () => {
    const token = f.all('application.list').syncToken;
    const candidate = f.admin.create('candidate', { name: 'Admin Made' });
    expect(candidate).toMatchObject({ name: 'Admin Made', applicationIds: [] });
    const job = f.ok('job.list', { limit: 1 }).results[0];
    const stage = f.ok('interviewStage.list', { interviewPlanId: job.defaultInterviewPlanId }).results[2];
    const app = f.admin.create('application', {
      candidateId: candidate.id,
      jobId: job.id,
      interviewPlanId: job.defaultInterviewPlanId,
      stageId: stage.id,
      status: 'Active',
    });
    expect(f.ok('candidate.info', { id: candidate.id }).results.applicationIds).toEqual([app.id]);
    const updated = f.admin.update('application', app.id as string, { sourceId: null });
    expect(updated.source).toBeNull();
    expect(f.all('application.list', { syncToken: token }).records.map((a) => a.id)).toEqual([app.id]);
    expect(f.admin.model('application', app.id as string)).toMatchObject({
      stageId: stage.id,
      candidateId: candidate.id,
    });
    expect(f.admin.delete('application', app.id as string)).toBe(true);
    expect(f.admin.get('application', app.id as string)).toBeUndefined();
    expect(f.ok('candidate.info', { id: candidate.id }).results.applicationIds).toEqual([]);
    expect(() => f.admin.create('application', { candidateId: 'nope' })).toThrow('candidateId and jobId');
    expect(() => f.admin.get('widget' as 'job', 'x')).toThrow('unknown entity');
  });

  it('deleting a candidate deletes its applications', () => {
    const c = f.ok('candidate.list', { limit: 50 }).results.find((x: any) => x.applicationIds.length);
    f.admin.delete('candidate', c.id);
    expect(f.call('candidate.info', { id: c.id }).json.errorInfo.code).toBe('candidate_not_found');
    expect(f.call('application.info', { applicationId: c.applicationIds[0] }).json.errorInfo.code).toBe(
      'application_not_found',
    );
  });

  it('moves the clock forward only, and record timestamps follow it', () => {
    const before = f.admin.clockNow();
    expect(Date.parse(f.admin.advanceClock(3_600_000)) - Date.parse(before)).toBe(3_600_000);
    expect(() => f.admin.setClock('2020-01-01T00:00:00.000Z')).toThrow('only moves forward');
    const made = f.ok('candidate.create', { name: 'Later' }).results;
    expect(Date.parse(made.createdAt)).toBeGreaterThanOrEqual(Date.parse(before) + 3_600_000);
  });

  it('logs every call with method, path, key, body, status, error code and request id', () => {
    f.admin.resetCallLog();
    const ok = f.call('candidate.list', { limit: 2 });
    f.call('candidate.list', { limit: 0 }, 'sandbox_readonly');
    f.call('candidate.list', {}, null);
    expect(f.admin.callLog()).toEqual([
      {
        at: expect.any(String),
        method: 'POST',
        path: 'candidate.list',
        keyName: 'sandbox_full',
        body: { limit: 2 },
        status: 200,
        errorCode: null,
        requestId: ok.headers['x-ashby-request-id'],
      },
      expect.objectContaining({
        keyName: 'sandbox_readonly',
        body: { limit: 0 },
        status: 200,
        errorCode: 'invalid_input',
      }),
      expect.objectContaining({ keyName: null, status: 401, errorCode: 'unauthenticated' }),
    ]);
    expect(f.admin.callLog({ keyName: 'sandbox_readonly' })).toHaveLength(1);
  });

  it('serves the same commands at POST /_sandbox/<command>, for the full key only', () => {
    const admin = (command: string, body: unknown, key = 'sandbox_full') =>
      f.engine.handle({
        method: 'POST',
        path: `/_sandbox/${command}`,
        headers: { authorization: basic(key), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const created = JSON.parse(admin('create', { entity: 'candidate', fields: { name: 'Over HTTP' } }).body);
    expect(created).toMatchObject({ success: true, results: { name: 'Over HTTP' } });
    expect(JSON.parse(admin('get', { entity: 'candidate', id: created.results.id }).body).results.name).toBe(
      'Over HTTP',
    );
    admin('forceRestart', { endpoint: 'candidate.list', code: 'next_cursor_expired' });
    expect(f.call('candidate.list').json.errorInfo.code).toBe('next_cursor_expired');
    expect(JSON.parse(admin('callLog', { path: 'candidate.list' }).body).results.at(-1).errorCode).toBe(
      'next_cursor_expired',
    );
    expect(admin('stats', {}, 'sandbox_readonly').status).toBe(403);
    expect(admin('teleport', {}).status).toBe(404);
    expect(
      JSON.parse(admin('update', { entity: 'candidate', id: 'nope', patch: {} }).body).errorInfo.message,
    ).toContain('no candidate with id nope');
    expect(f.admin.callLog().some((e) => e.path.startsWith('_sandbox'))).toBe(false);
  });
});
