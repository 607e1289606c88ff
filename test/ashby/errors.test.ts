import { AshbyKafkaError } from '../../src/errors.js';
import {
  AshbyAbortedError,
  AshbyAmbiguousWriteError,
  AshbyApiError,
  AshbyCursorError,
  AshbyError,
  AshbyFeatureUnavailableError,
  AshbyInvalidKeyError,
  AshbyInvalidResponseError,
  AshbyMissingKeyError,
  AshbyNetworkError,
  AshbyPermissionError,
  AshbyRateLimitedError,
  AshbyServerError,
  AshbySyncTokenError,
  AshbyTimeoutError,
  isRestartError,
} from '../../src/ashby/errors.js';
import { AshbyPagingUsageError } from '../../src/ashby/paginator.js';
import { AshbyUnexpectedShapeError } from '../../src/ashby/validate.js';

/** Every Ashby error class, its stable code and retriability (STYLE "Errors carry stable codes"); docs/errors.md lists the same. */
const table: { make: () => AshbyKafkaError; name: string; code: string; retriable: boolean; says: RegExp }[] = [
  {
    make: () => new AshbyMissingKeyError(),
    name: 'AshbyMissingKeyError',
    code: 'ASHBY_MISSING_KEY',
    retriable: false,
    says: /credential/,
  },
  {
    make: () => new AshbyInvalidKeyError(),
    name: 'AshbyInvalidKeyError',
    code: 'ASHBY_INVALID_KEY',
    retriable: false,
    says: /credentials rotate/,
  },
  {
    make: () => new AshbyPermissionError({ endpoint: 'candidate.create', module: 'Candidates', access: 'write' }),
    name: 'AshbyPermissionError',
    code: 'ASHBY_PERMISSION_DENIED',
    retriable: false,
    says: /^candidate\.create needs Candidates: write\. Ask an Ashby admin to edit this API key under Admin → Integrations → API Keys and grant Candidates write\.$/,
  },
  {
    make: () => new AshbyRateLimitedError({ retryAfterMs: 3000 }),
    name: 'AshbyRateLimitedError',
    code: 'ASHBY_RATE_LIMITED',
    retriable: true,
    says: /wait 3s/,
  },
  {
    make: () => new AshbyApiError('invalid_input', 'bad'),
    name: 'AshbyApiError',
    code: 'ASHBY_API_ERROR',
    retriable: false,
    says: /invalid_input — bad/,
  },
  {
    make: () => new AshbySyncTokenError('sync_token_expired', undefined),
    name: 'AshbySyncTokenError',
    code: 'ASHBY_SYNC_TOKEN_REJECTED',
    retriable: false,
    says: /full sync/,
  },
  {
    make: () => new AshbyCursorError('next_cursor_expired', undefined),
    name: 'AshbyCursorError',
    code: 'ASHBY_CURSOR_REJECTED',
    retriable: false,
    says: /first page/,
  },
  {
    make: () => new AshbyFeatureUnavailableError('feature_not_enabled', undefined),
    name: 'AshbyFeatureUnavailableError',
    code: 'ASHBY_FEATURE_UNAVAILABLE',
    retriable: false,
    says: /leave the stream out/,
  },
  {
    make: () => new AshbyServerError({ httpStatus: 502 }),
    name: 'AshbyServerError',
    code: 'ASHBY_SERVER_ERROR',
    retriable: true,
    says: /HTTP 502/,
  },
  {
    make: () => new AshbyInvalidResponseError('body is not JSON'),
    name: 'AshbyInvalidResponseError',
    code: 'ASHBY_INVALID_RESPONSE',
    retriable: true,
    says: /base_url/,
  },
  {
    make: () => new AshbyNetworkError({ requestSent: false, systemCode: 'ECONNREFUSED' }),
    name: 'AshbyNetworkError',
    code: 'ASHBY_NETWORK',
    retriable: true,
    says: /ECONNREFUSED/,
  },
  {
    make: () => new AshbyTimeoutError({ phase: 'headers', timeoutMs: 5 }),
    name: 'AshbyTimeoutError',
    code: 'ASHBY_TIMEOUT',
    retriable: true,
    says: /timeouts\.headers_ms/,
  },
  {
    make: () =>
      new AshbyAmbiguousWriteError({ endpoint: 'candidate.create', cause: new AshbyServerError({ httpStatus: 500 }) }),
    name: 'AshbyAmbiguousWriteError',
    code: 'ASHBY_WRITE_OUTCOME_UNKNOWN',
    retriable: false,
    says: /look the record up/,
  },
  {
    make: () => new AshbyAbortedError({ endpoint: 'job.list' }),
    name: 'AshbyAbortedError',
    code: 'ASHBY_ABORTED',
    retriable: false,
    says: /shutting down/,
  },
  {
    make: () => new AshbyPagingUsageError('no sync', 'source.list'),
    name: 'AshbyPagingUsageError',
    code: 'ASHBY_PAGING_UNSUPPORTED',
    retriable: false,
    says: /no sync/,
  },
  {
    make: () => new AshbyUnexpectedShapeError([{ path: '/id', message: 'Expected string' }]),
    name: 'AshbyUnexpectedShapeError',
    code: 'ASHBY_UNEXPECTED_SHAPE',
    retriable: false,
    says: /\/id Expected string/,
  },
];

describe('Ashby error taxonomy', () => {
  it.each(table)(
    '$name has code $code, retriable=$retriable and says what to do',
    ({ make, name, code, retriable, says }) => {
      const err = make();
      expect(err).toBeInstanceOf(AshbyKafkaError);
      expect(err.name).toBe(name);
      expect(err.code).toBe(code);
      expect(err.retriable).toBe(retriable);
      expect(err.message).toMatch(says);
      expect(err.toJSON()).toMatchObject({ name, code, retriable });
    },
  );

  it('codes are unique', () => {
    const codes = table.map((t) => t.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('restart errors are API errors with the Ashby code kept, and are recognised as restarts', () => {
    const token = new AshbySyncTokenError('incremental_sync_too_large', 'too many pages', {
      endpoint: 'candidate.list',
      requestId: 'R1',
    });
    expect(token).toBeInstanceOf(AshbyApiError);
    expect(token.ashbyCode).toBe('incremental_sync_too_large');
    expect(token.requestId).toBe('R1');
    expect(token.details).toMatchObject({ endpoint: 'candidate.list', ashbyCode: 'incremental_sync_too_large' });
    expect(isRestartError(token)).toBe(true);
    expect(isRestartError(new AshbyCursorError('invalid_next_cursor', undefined))).toBe(true);
    expect(isRestartError(new AshbyApiError('invalid_input', undefined))).toBe(false);
  });

  it('a permission error for an endpoint outside the map still says how to fix it and keeps what Ashby said', () => {
    const err = new AshbyPermissionError({ endpoint: 'future.thing', ashbyMessage: 'needs Widgets read' });
    expect(err.message).toBe(
      'future.thing needs a permission this key lacks. Ask an Ashby admin to edit this API key under Admin → Integrations → API Keys. (Ashby said: needs Widgets read)',
    );
    expect(err).toBeInstanceOf(AshbyError);
  });

  it('timeouts know whether the request left: only a connect timeout proves it did not', () => {
    expect(new AshbyTimeoutError({ phase: 'connect' }).requestSent).toBe(false);
    expect(new AshbyTimeoutError({ phase: 'headers' }).requestSent).toBe(true);
    expect(new AshbyTimeoutError({ phase: 'body' }).requestSent).toBe(true);
  });
});
