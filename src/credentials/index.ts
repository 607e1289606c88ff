export { resolveAshbyApiKey, type ResolveKeyOptions } from './resolve.js';
export {
  CredentialStore,
  normalizeKey,
  validateCredentialName,
  type CredentialEntry,
  type CredentialInfo,
  type CredentialStoreOptions,
  type CredentialTestRecord,
} from './store.js';
export { CredentialError, type CredentialErrorCode } from './errors.js';
export { MASTER_KEY_ENV, STORE_PATH_ENV, resolveStorePath } from './paths.js';
