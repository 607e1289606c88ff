import { createServer } from 'node:net';
import {
  AshbyAmbiguousWriteError,
  AshbyApiError,
  AshbyInvalidKeyError,
  AshbyMissingKeyError,
  AshbyNetworkError,
  AshbyPermissionError,
  AshbyRateLimitedError,
  AshbyServerError,
  AshbyTimeoutError,
} from '../../../src/ashby/index.js';
import type { RunningSandbox } from '../../../src/sandbox/index.js';
import { TEST_KEYS, rejection, rewritingProxy, sandbox, withSandbox } from './helpers.js';

/** Each error class of the client, produced by a real sandbox over HTTP (docs/ashby-api.md §1.5). */
let sb: RunningSandbox;
const pool = withSandbox({}, (ready) => (sb = ready));

const NEW_CANDIDATE = { name: 'Ada Integration', email: 'ada.integration@example.com' };

describe('authentication', () => {
  it('no key reaching Ashby (401) → ASHBY_MISSING_KEY, not retried', async () => {
    const proxy = await rewritingProxy(sb.url, { stripAuth: true });
    try {
      const err = await rejection(pool.make(proxy.url, sb.keys.full).candidate.info({ id: 'x' }));
      expect(err).toBeInstanceOf(AshbyMissingKeyError);
      expect(err).toMatchObject({
        code: 'ASHBY_MISSING_KEY',
        httpStatus: 401,
        retriable: false,
        endpoint: 'candidate.info',
      });
      expect(sb.admin.callLog({ path: '/candidate.info' })).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });

  it('an unknown key (403) → ASHBY_INVALID_KEY with the request id, not retried', async () => {
    const err = await rejection(pool.make(sb.url, 'no-such-key-abcdef').apiKey.info());
    expect(err).toBeInstanceOf(AshbyInvalidKeyError);
    expect(err).toMatchObject({ code: 'ASHBY_INVALID_KEY', httpStatus: 403, retriable: false });
    expect(err.requestId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(err.message).toContain('credentials rotate');
    expect(sb.admin.callLog({ path: '/apiKey.info' })).toHaveLength(1);
  });

  it('a deactivated key (403) → ASHBY_INVALID_KEY', async () => {
    const retired = TEST_KEYS.find((k) => k.name === 'retired')!.secret;
    const err = await rejection(pool.make(sb.url, retired).job.info('x'));
    expect(err).toBeInstanceOf(AshbyInvalidKeyError);
  });
});

describe('permissions', () => {
  it('a read-only key on candidate.create → ASHBY_PERMISSION_DENIED naming endpoint, module, access and the fix', async () => {
    const err = await rejection(pool.make(sb.url, sb.keys.readonly).candidate.create(NEW_CANDIDATE));
    expect(err).toBeInstanceOf(AshbyPermissionError);
    expect(err).toMatchObject({
      code: 'ASHBY_PERMISSION_DENIED',
      httpStatus: 403,
      module: 'Candidates',
      access: 'write',
      endpoint: 'candidate.create',
      retriable: false,
    });
    expect(err.message).toContain('candidate.create needs Candidates: write');
    expect(err.message).toContain('Admin → Integrations → API Keys');
    // A permission refusal is certain: not ambiguous, not retried, nothing created.
    expect(err).not.toBeInstanceOf(AshbyAmbiguousWriteError);
    expect(sb.admin.callLog({ path: '/candidate.create' })).toHaveLength(1);
    expect(sb.admin.callLog({ path: '/candidate.create' })[0]).toMatchObject({
      status: 403,
      errorCode: 'missing_endpoint_permission',
    });
  });

  it('a key without Jobs on job.list → names Jobs: read', async () => {
    const noJobs = pool.make(sb.url, TEST_KEYS.find((k) => k.name === 'jobs_only')!.secret);
    const err = await rejection(noJobs.call('candidate.list', { limit: 1 }));
    expect(err).toBeInstanceOf(AshbyPermissionError);
    expect(err.message).toContain('candidate.list needs Candidates: read');
  });
});

describe('API errors (HTTP 200, success:false)', () => {
  it('candidate.info on an unknown id → ASHBY_API_ERROR with Ashby code and request id, not retried', async () => {
    const err = await rejection(
      pool.make(sb.url, sb.keys.full).candidate.info({ id: '00000000-0000-4000-8000-000000000000' }),
    );
    expect(err).toBeInstanceOf(AshbyApiError);
    expect(err).toMatchObject({
      code: 'ASHBY_API_ERROR',
      ashbyCode: 'candidate_not_found',
      httpStatus: 200,
      retriable: false,
    });
    expect(err.requestId).toEqual(expect.any(String));
    expect(sb.admin.callLog({ path: '/candidate.info' })).toHaveLength(1);
  });

  it('a forced error code is read from the envelope, not the status', async () => {
    sb.admin.forceNext('candidate.create', 1, { errorCode: 'invalid_input', message: 'name is required' });
    const err = await rejection(pool.make(sb.url, sb.keys.full).candidate.create(NEW_CANDIDATE));
    expect(err).toMatchObject({ code: 'ASHBY_API_ERROR', ashbyCode: 'invalid_input' });
    expect(err.message).toContain('name is required');
  });
});

describe('server, rate and network errors', () => {
  it('5xx on a read is retried, then succeeds', async () => {
    sb.admin.forceNext('job.info', 2, { status: 503 });
    const job = sb.admin.create('job', {}) as { id: string };
    const res = await pool.make(sb.url, sb.keys.full).job.info(job.id);
    expect(res.results.id).toBe(job.id);
    expect(sb.admin.callLog({ path: '/job.info' }).map((e) => e.status)).toEqual([503, 503, 200]);
  });

  it('5xx that outlasts the retries → ASHBY_SERVER_ERROR (retriable) after 1 + retries attempts', async () => {
    sb.admin.forceNext('job.list', 10, { status: 502 });
    const err = await rejection(
      pool
        .make(sb.url, sb.keys.full, { retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 } })
        .call('job.list', { limit: 1 }),
    );
    expect(err).toBeInstanceOf(AshbyServerError);
    expect(err).toMatchObject({ code: 'ASHBY_SERVER_ERROR', httpStatus: 502, retriable: true });
    expect(sb.admin.callLog({ path: '/job.list' })).toHaveLength(3);
  });

  it('429 that outlasts the retries → ASHBY_RATE_LIMITED with the Retry-After', async () => {
    sb.admin.forceNext('user.list', 5, { status: 429, retryAfterSeconds: 0 });
    const err = await rejection(
      pool
        .make(sb.url, sb.keys.full, { retry: { retries: 1, minDelayMs: 1, maxDelayMs: 2 } })
        .call('user.list', { limit: 1 }),
    );
    expect(err).toBeInstanceOf(AshbyRateLimitedError);
    expect(err).toMatchObject({ code: 'ASHBY_RATE_LIMITED', httpStatus: 429, retryAfterMs: 0, retriable: true });
  });

  it('a reset connection on a read is retried (ASHBY_NETWORK is retriable)', async () => {
    sb.admin.forceNext('department.list', 1, { reset: true });
    const res = await pool.make(sb.url, sb.keys.full).call<unknown[]>('department.list', { limit: 2 });
    expect(res.results.length).toBeGreaterThan(0);
    expect(sb.admin.callLog({ path: '/department.list' })).toHaveLength(2);
  });

  it('a refused connection → ASHBY_NETWORK ECONNREFUSED, marked as not sent', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const err = await rejection(
      pool
        .make(`http://127.0.0.1:${port}`, sb.keys.full, { retry: { retries: 1, minDelayMs: 1, maxDelayMs: 2 } })
        .call('job.list', {}),
    );
    expect(err).toBeInstanceOf(AshbyNetworkError);
    expect(err).toMatchObject({ code: 'ASHBY_NETWORK', requestSent: false, retriable: true });
    expect(err.message).toContain('ECONNREFUSED');
  });

  it('a slow answer → ASHBY_TIMEOUT (headers) naming the setting to raise', async () => {
    // undici checks headers timeouts on a ~1 s tick, so the sandbox must be slower than that.
    const slow = await sandbox({ latencyMs: 4_000 });
    try {
      const err = await rejection(
        pool
          .make(slow.url, slow.keys.full, { timeouts: { headersMs: 200 }, retry: { retries: 0 } })
          .call('job.list', { limit: 1 }),
      );
      expect(err).toBeInstanceOf(AshbyTimeoutError);
      expect(err).toMatchObject({ code: 'ASHBY_TIMEOUT', phase: 'headers', retriable: true });
      expect(err.message).toContain('ashby.timeouts.headers_ms');
    } finally {
      await slow.close();
    }
  });
});
