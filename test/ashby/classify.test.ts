import {
  classifyResponse,
  parseRetryAfter,
  readErrorCode,
  readWarnings,
  type RawResponse,
} from '../../src/ashby/classify.js';
import {
  AshbyApiError,
  AshbyCursorError,
  AshbyFeatureUnavailableError,
  AshbyInvalidKeyError,
  AshbyInvalidResponseError,
  AshbyMissingKeyError,
  AshbyPermissionError,
  AshbyRateLimitedError,
  AshbyServerError,
  AshbySyncTokenError,
  AshbyTimeoutError,
} from '../../src/ashby/errors.js';

const raw = (status: number, body: unknown, headers: Record<string, string> = {}): RawResponse => ({
  status,
  headers: { 'x-ashby-request-id': '01HEADER0000000000000000RQ', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const envelope = (code: string, extra: Record<string, unknown> = {}) => ({
  success: false,
  errors: [code],
  errorInfo: { code, message: `about ${code}`, requestId: '01BODY00000000000000000RQ' },
  ...extra,
});

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

describe('classifyResponse', () => {
  it('returns the envelope of a success and takes the request id from the header', () => {
    const out = classifyResponse('candidate.info', raw(200, { success: true, results: { id: 'c1' } }));
    expect(out.envelope.results).toEqual({ id: 'c1' });
    expect(out.requestId).toBe('01HEADER0000000000000000RQ');
  });

  it.each([
    ['401 plain text', raw(401, 'Unauthorized'), AshbyMissingKeyError, 'ASHBY_MISSING_KEY'],
    ['403 plain text', raw(403, 'Forbidden'), AshbyInvalidKeyError, 'ASHBY_INVALID_KEY'],
    [
      '403 missing_endpoint_permission',
      raw(403, envelope('missing_endpoint_permission')),
      AshbyPermissionError,
      'ASHBY_PERMISSION_DENIED',
    ],
    [
      '200 missing_endpoint_permission',
      raw(200, envelope('missing_endpoint_permission')),
      AshbyPermissionError,
      'ASHBY_PERMISSION_DENIED',
    ],
    [
      '429',
      raw(429, envelope('rate_limit_exceeded'), { 'retry-after': '2' }),
      AshbyRateLimitedError,
      'ASHBY_RATE_LIMITED',
    ],
    ['200 success:false', raw(200, envelope('candidate_not_found')), AshbyApiError, 'ASHBY_API_ERROR'],
    [
      '200 sync_token_expired',
      raw(200, envelope('sync_token_expired')),
      AshbySyncTokenError,
      'ASHBY_SYNC_TOKEN_REJECTED',
    ],
    [
      '200 sync_token_invalid',
      raw(200, envelope('sync_token_invalid')),
      AshbySyncTokenError,
      'ASHBY_SYNC_TOKEN_REJECTED',
    ],
    [
      '200 incremental_sync_too_large',
      raw(200, envelope('incremental_sync_too_large')),
      AshbySyncTokenError,
      'ASHBY_SYNC_TOKEN_REJECTED',
    ],
    ['200 next_cursor_expired', raw(200, envelope('next_cursor_expired')), AshbyCursorError, 'ASHBY_CURSOR_REJECTED'],
    ['200 invalid_next_cursor', raw(200, envelope('invalid_next_cursor')), AshbyCursorError, 'ASHBY_CURSOR_REJECTED'],
    [
      '200 feature_not_enabled',
      raw(200, envelope('feature_not_enabled')),
      AshbyFeatureUnavailableError,
      'ASHBY_FEATURE_UNAVAILABLE',
    ],
    [
      '200 a message naming a disabled feature',
      raw(200, {
        success: false,
        errors: ['forbidden'],
        errorInfo: { code: 'forbidden', message: 'The Fraud Detection feature is not enabled for this organization' },
      }),
      AshbyFeatureUnavailableError,
      'ASHBY_FEATURE_UNAVAILABLE',
    ],
    ['500', raw(500, 'oops'), AshbyServerError, 'ASHBY_SERVER_ERROR'],
    ['503 with envelope', raw(503, envelope('unavailable')), AshbyServerError, 'ASHBY_SERVER_ERROR'],
    ['408', raw(408, ''), AshbyTimeoutError, 'ASHBY_TIMEOUT'],
    ['404 unknown endpoint', raw(404, envelope('not_found')), AshbyApiError, 'ASHBY_API_ERROR'],
    ['200 not JSON', raw(200, '<html>proxy</html>'), AshbyInvalidResponseError, 'ASHBY_INVALID_RESPONSE'],
    ['200 without success', raw(200, { results: [] }), AshbyInvalidResponseError, 'ASHBY_INVALID_RESPONSE'],
  ])('%s → %p', (_label, response, cls, code) => {
    const err = thrown(() => classifyResponse('candidate.create', response));
    expect(err).toBeInstanceOf(cls);
    expect((err as AshbyApiError).code).toBe(code);
  });

  it('never trusts the status alone: 200 with success:false is an error with the Ashby code and the body request id', () => {
    const err = thrown(() =>
      classifyResponse('application.changeStage', raw(200, envelope('application_not_found'))),
    ) as AshbyApiError;
    expect(err.ashbyCode).toBe('application_not_found');
    expect(err.requestId).toBe('01BODY00000000000000000RQ');
    expect(err.retriable).toBe(false);
    expect(err.message).toBe('application.changeStage failed: application_not_found — about application_not_found');
  });

  it('names endpoint, module and access in the permission error', () => {
    const err = thrown(() =>
      classifyResponse('candidate.create', raw(403, envelope('missing_endpoint_permission'))),
    ) as AshbyPermissionError;
    expect(err.module).toBe('Candidates');
    expect(err.access).toBe('write');
    expect(err.endpoint).toBe('candidate.create');
    expect(err.message).toMatch(
      /^candidate\.create needs Candidates: write\. Ask an Ashby admin to edit this API key under Admin → Integrations → API Keys and grant Candidates write\./,
    );
  });

  it('reads the 429 Retry-After and the partner scope header', () => {
    const plain = thrown(() =>
      classifyResponse('job.list', raw(429, envelope('rate_limit_exceeded'), { 'retry-after': '7' })),
    ) as AshbyRateLimitedError;
    expect(plain.retryAfterMs).toBe(7000);
    expect(plain.scope).toBe('api-key');
    const partner = thrown(() =>
      classifyResponse(
        'job.list',
        raw(429, envelope('rate_limit_exceeded'), { 'x-ratelimit-scope': 'integration-partner' }),
      ),
    ) as AshbyRateLimitedError;
    expect(partner.scope).toBe('integration-partner');
    expect(partner.retryAfterMs).toBeUndefined();
  });

  it('reads the code as errorInfo.code ?? errors[0], tolerating errors of objects and errorInfo: null', () => {
    expect(readErrorCode({ success: false, errors: ['invalid_input'] }).code).toBe('invalid_input');
    expect(readErrorCode({ success: false, errorInfo: { code: 'job_not_found', message: 'm' } }).code).toBe(
      'job_not_found',
    );
    expect(readErrorCode({ success: false, errors: ['a'], errorInfo: { code: 'b' } }).code).toBe('b');
    expect(readErrorCode({ success: false, errors: ['invalid_input'], errorInfo: null }).code).toBe('invalid_input');
    expect(readErrorCode({ success: false, errors: [{ message: 'must be a uuid', parameter: 'jobId' }] })).toEqual({
      code: undefined,
      message: 'must be a uuid',
      requestId: undefined,
    });
    const err = thrown(() =>
      classifyResponse(
        'job.info',
        raw(200, { success: false, errors: [{ message: 'must be a uuid', parameter: 'id' }], errorInfo: null }),
      ),
    );
    expect(err).toBeInstanceOf(AshbyApiError);
    expect((err as AshbyApiError).ashbyCode).toBe('http_200');
    expect(err.message).toContain('must be a uuid');
  });

  it('reads warnings as strings', () => {
    expect(readWarnings({ success: true, warnings: ['unable_to_add_application_metadata', { code: 'x' }] })).toEqual([
      'unable_to_add_application_metadata',
      '{"code":"x"}',
    ]);
    expect(readWarnings({ success: true })).toEqual([]);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    ['3', 3000],
    ['0', 0],
    ['1.5', 1500],
    ['Thu, 01 Jan 2026 00:00:05 GMT', 5000],
    ['Wed, 31 Dec 2025 23:59:00 GMT', 0],
    ['soon', undefined],
    [undefined, undefined],
  ])('%p → %p ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });
});
