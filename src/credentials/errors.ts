import { AshbyKafkaError } from '../errors.js';

/**
 * Errors of the credential store. None is retriable: each one needs the user to change a file
 * mode, an environment variable or a name. Messages name the file and the fix, never the key.
 */
export type CredentialErrorCode =
  | 'CREDENTIAL_NOT_FOUND'
  | 'CREDENTIAL_EXISTS'
  | 'CREDENTIAL_NAME_INVALID'
  | 'CREDENTIAL_KEY_INVALID'
  | 'CREDENTIAL_STORE_INSECURE'
  | 'CREDENTIAL_STORE_CORRUPT'
  | 'CREDENTIAL_STORE_IO'
  | 'CREDENTIAL_STORE_LOCKED'
  | 'CREDENTIAL_MASTER_KEY_REQUIRED'
  | 'CREDENTIAL_DECRYPT_FAILED';

export class CredentialError extends AshbyKafkaError {
  constructor(code: CredentialErrorCode, message: string, details: Record<string, unknown> = {}, cause?: unknown) {
    super(code, message, { details, cause });
  }
}
