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
export {
  CONFIDENTIAL_SCAN_MAX_PAGES,
  MODULE_PROBES,
  readableModules,
  reportAllows,
  testAshbyKey,
  toTestRecord,
  type ConfidentialVisibility,
  type KeyTestOptions,
  type KeyTestReport,
  type ModuleAccess,
} from './key-test.js';
export { promptHidden, readApiKey, readKeyFromStream, type KeyInput } from './read-key.js';
