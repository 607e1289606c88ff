/**
 * The one error base of the project. Every error a user can see carries:
 * - a stable `code` (documented in docs/errors.md, checked by a table test),
 * - whether retrying the same operation can succeed (`retriable`),
 * - the Ashby request id when an Ashby call was involved,
 * - a message that says what to do, not only what broke.
 *
 * Subclasses live next to the code that raises them (ashby/errors.ts, kafka/errors.ts, …).
 */
export interface AshbyKafkaErrorOptions {
  retriable?: boolean;
  requestId?: string | undefined;
  cause?: unknown;
  /** Extra machine-readable facts (endpoint, topic, field path…). Never secrets. */
  details?: Record<string, unknown>;
}

export class AshbyKafkaError extends Error {
  readonly code: string;
  readonly retriable: boolean;
  readonly requestId: string | undefined;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, options: AshbyKafkaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.requestId = options.requestId;
    this.details = options.details ?? {};
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retriable: this.retriable,
      ...(this.requestId ? { requestId: this.requestId } : {}),
      ...(Object.keys(this.details).length ? { details: this.details } : {}),
    };
  }
}

/** Invalid configuration or command-line input. Never retriable: the user must change something. */
export class ConfigError extends AshbyKafkaError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('CONFIG_INVALID', message, { details });
  }
}

/** A state that should be impossible; reaching it is a bug in ashby-kafka. */
export class InternalError extends AshbyKafkaError {
  constructor(message: string, cause?: unknown) {
    super('INTERNAL', `${message} (this is a bug in ashby-kafka; please report it)`, { cause });
  }
}

/**
 * Prefix a short action to an error while keeping its code, retriability and request id
 * ("list candidates: …"). Non-project errors become INTERNAL with the original as cause.
 */
export function wrapError(action: string, err: unknown): AshbyKafkaError {
  if (err instanceof AshbyKafkaError) {
    const wrapped = Object.create(Object.getPrototypeOf(err)) as AshbyKafkaError;
    Object.assign(wrapped, err);
    Object.defineProperty(wrapped, 'message', {
      value: `${action}: ${err.message}`,
      enumerable: false,
      writable: true,
    });
    Object.defineProperty(wrapped, 'cause', { value: err, enumerable: false, writable: true });
    Object.defineProperty(wrapped, 'stack', {
      value: `${wrapped.name}: ${wrapped.message}`,
      enumerable: false,
      writable: true,
    });
    return wrapped;
  }
  const message = err instanceof Error ? err.message : String(err);
  return new AshbyKafkaError('INTERNAL', `${action}: ${message}`, { cause: err });
}

export function isRetriable(err: unknown): boolean {
  return err instanceof AshbyKafkaError && err.retriable;
}
