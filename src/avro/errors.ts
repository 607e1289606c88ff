import { AshbyKafkaError, type AshbyKafkaErrorOptions } from '../errors.js';

/**
 * Failures of the Avro contract: mapping Ashby JSON to records, encoding, decoding, and the
 * schema registry. One class per thing the caller does differently about it; each has a
 * stable code (test/avro/errors.test.ts checks the table).
 */

/** A stream or command entity the contract does not define (a typo in a config, most likely). */
export class AvroContractError extends AshbyKafkaError {
  constructor(message: string, details: Record<string, unknown> = {}, cause?: unknown) {
    super('AVRO_CONTRACT_INVALID', message, { details, cause });
  }
}

/**
 * An Ashby record (or command) whose value cannot be mapped onto its schema: a required field is
 * missing or has a type the schema cannot hold. `path` names the field, e.g. `job.title`.
 */
export class AvroMappingError extends AshbyKafkaError {
  readonly path: string;

  constructor(subject: string, path: string, problem: string, details: Record<string, unknown> = {}) {
    super(
      'AVRO_MAPPING_FAILED',
      `${subject}: field ${path || '(root)'} ${problem}. If Ashby changed this field, the schema in schemas/ needs a new version (see docs/avro.md "Evolving the contract").`,
      { details: { path, ...details } },
    );
    this.path = path;
  }
}

/**
 * A destination command that cannot be turned into Ashby calls: invalid JSON, a field the schema
 * does not have, a missing required field, or a field the operation does not take. Never
 * retriable: the destination sends it to its dead-letter topic.
 */
export class CommandInvalidError extends AshbyKafkaError {
  readonly path: string;

  constructor(entity: string, path: string, problem: string, details: Record<string, unknown> = {}) {
    super(
      'COMMAND_INVALID',
      `${entity} command: ${path ? `field ${path} ` : ''}${problem}. See schemas/commands/${entity}.avsc for the fields each operation takes.`,
      {
        details: { entity, path, ...details },
      },
    );
    this.path = path;
  }
}

/** A value that does not match the schema it is being encoded with. Not retriable: the data is wrong. */
export class AvroEncodeError extends AshbyKafkaError {
  readonly path: string;

  constructor(schemaName: string, path: string, problem: string, options: AshbyKafkaErrorOptions = {}) {
    super('AVRO_ENCODE_FAILED', `cannot encode ${schemaName}: field ${path || '(root)'} ${problem}`, {
      ...options,
      details: { schema: schemaName, path, ...(options.details ?? {}) },
    });
    this.path = path;
  }
}

/**
 * Bytes that cannot be decoded: wrong framing, an unknown schema id or fingerprint, truncated or
 * corrupt data, or a writer schema the reader cannot resolve. Never retriable: the destination
 * sends such messages to its dead-letter topic.
 */
export class AvroDecodeError extends AshbyKafkaError {
  constructor(message: string, details: Record<string, unknown> = {}, cause?: unknown) {
    super('AVRO_DECODE_FAILED', message, { details, cause });
  }
}

export interface RegistryErrorOptions extends AshbyKafkaErrorOptions {
  url?: string;
  httpStatus?: number;
  /** The registry's own error code, e.g. 40401 (subject not found), 409 (incompatible). */
  registryCode?: number;
}

export class RegistryError extends AshbyKafkaError {
  readonly httpStatus: number | undefined;
  readonly registryCode: number | undefined;

  constructor(code: string, message: string, options: RegistryErrorOptions = {}) {
    super(code, message, {
      ...options,
      details: {
        ...(options.url ? { url: options.url } : {}),
        ...(options.httpStatus !== undefined ? { httpStatus: options.httpStatus } : {}),
        ...(options.registryCode !== undefined ? { registryCode: options.registryCode } : {}),
        ...(options.details ?? {}),
      },
    });
    this.httpStatus = options.httpStatus;
    this.registryCode = options.registryCode;
  }
}

/** The registry cannot be reached, timed out, or answered 5xx/429. Retriable. */
export class RegistryUnavailableError extends RegistryError {
  // Private (#) so that they stay out of the error's serialised form in logs.
  readonly #url: string;
  readonly #why: string;
  readonly #options: RegistryErrorOptions;

  constructor(url: string, why: string, options: RegistryErrorOptions = {}) {
    super(
      'REGISTRY_UNAVAILABLE',
      `schema registry at ${url} is unavailable (${why}). Check that it is running and reachable (npm run stack:status for the local one), then run again.`,
      {
        retriable: true,
        url,
        ...options,
      },
    );
    this.#url = url;
    this.#why = why;
    this.#options = options;
  }

  /** The same failure, saying it was the last of `attempts` (the retries ran out). */
  afterAttempts(attempts: number): RegistryUnavailableError {
    return new RegistryUnavailableError(this.#url, `${this.#why}; ${attempts} attempts`, {
      ...this.#options,
      details: { ...this.#options.details, attempts },
      cause: this,
    });
  }
}

/** HTTP 401/403 from the registry. */
export class RegistryAuthError extends RegistryError {
  constructor(url: string, httpStatus: number, options: RegistryErrorOptions = {}) {
    super(
      'REGISTRY_AUTH_FAILED',
      `schema registry at ${url} refused the credentials (HTTP ${httpStatus}). Check schema_registry.username and schema_registry.password, or schema_registry.bearer_token, in the pipeline config.`,
      { url, httpStatus, ...options },
    );
  }
}

/** The registry rejected a schema because it breaks the subject's compatibility level. */
export class RegistryIncompatibleSchemaError extends RegistryError {
  constructor(subject: string, compatibility: string, registryMessage: string, options: RegistryErrorOptions = {}) {
    super(
      'REGISTRY_INCOMPATIBLE_SCHEMA',
      `the schema for subject "${subject}" is not ${compatibility}-compatible with the versions already registered (registry said: ${registryMessage}). ` +
        'Make the change compatible (add fields as optional with a default, never remove or retype a field), or register it under a new subject.',
      { ...options, details: { subject, compatibility, ...(options.details ?? {}) } },
    );
  }
}

/** A subject or schema id the registry does not know. */
export class RegistryNotFoundError extends RegistryError {
  constructor(what: string, options: RegistryErrorOptions = {}) {
    super(
      'REGISTRY_NOT_FOUND',
      `schema registry has no ${what}. Was it deleted, or is the consumer pointed at a different registry than the producer?`,
      options,
    );
  }
}

/** Any other 4xx: a malformed schema or request; a bug or a misconfiguration. */
export class RegistryRequestError extends RegistryError {
  constructor(action: string, registryMessage: string, options: RegistryErrorOptions = {}) {
    super('REGISTRY_REQUEST_FAILED', `schema registry rejected ${action}: ${registryMessage}`, options);
  }
}
