import { AshbyKafkaError } from '../errors.js';

/**
 * Errors of service mode, each with the HTTP status the REST API answers with. The body is
 * always `{error_code, message}` (plus `problems` for an invalid config).
 */
export type ServeErrorCode =
  | 'SERVE_NOT_FOUND'
  | 'SERVE_CONFLICT'
  | 'SERVE_NOT_PAUSED'
  | 'SERVE_UNAUTHORIZED'
  | 'SERVE_BAD_REQUEST'
  | 'SERVE_CREDENTIAL_IN_USE';

const STATUS: Record<ServeErrorCode, number> = {
  SERVE_NOT_FOUND: 404,
  SERVE_CONFLICT: 409,
  SERVE_NOT_PAUSED: 409,
  SERVE_UNAUTHORIZED: 401,
  SERVE_BAD_REQUEST: 400,
  SERVE_CREDENTIAL_IN_USE: 409,
};

export class ServeError extends AshbyKafkaError {
  readonly httpStatus: number;
  constructor(code: ServeErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, { details });
    this.httpStatus = STATUS[code];
  }
}

/** The HTTP status of any error the service raises: config problems are 400, unknown ones 500. */
export function httpStatusOf(err: unknown): number {
  if (err instanceof ServeError) return err.httpStatus;
  if (err instanceof AshbyKafkaError) {
    if (
      err.code === 'CONFIG_INVALID' ||
      err.code === 'CREDENTIAL_NAME_INVALID' ||
      err.code === 'CREDENTIAL_KEY_INVALID'
    )
      return 400;
    if (err.code === 'CREDENTIAL_NOT_FOUND') return 404;
    if (err.code === 'CREDENTIAL_EXISTS') return 409;
    if (err.code === 'ASHBY_INVALID_KEY' || err.code === 'ASHBY_PERMISSION_DENIED') return 400;
  }
  return 500;
}
