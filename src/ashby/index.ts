export { AshbyClient } from './client.js';
export { FilePart, encodeMultipart, hasFilePart } from './multipart.js';
export { JsonSlice } from '../json/bytes.js';
export type {
  AshbyCallObserver,
  AshbyClientOptions,
  AshbyPage,
  AshbyResult,
  CallKind,
  CallOptions,
  PagesOptions,
} from './types.js';
export type { AshbyEndpoints } from './endpoints/index.js';
export * from './errors.js';
export { AshbyPagingUsageError } from './paginator.js';
export { AshbyUnexpectedShapeError, checkRecord, type RecordIssue, type ValidationMode } from './validate.js';
export {
  COMPLETENESS_FLAGS,
  LIST_PAGING,
  MAX_PAGE_SIZE,
  listPaging,
  withCompletenessFlags,
  type ListPaging,
} from './completeness.js';
export { CURSOR_RESTART_CODES, SYNC_TOKEN_RESTART_CODES, parseRetryAfter } from './classify.js';
export {
  PERMISSION_MODULES,
  endpointPermissions,
  parsePermission,
  permissionFor,
  scopesAllow,
  type EndpointPermission,
  type PermissionModule,
} from './permissions.js';
export { RateBudget, type RateBudgetOptions, type RateBudgetStats } from './rate-budget.js';
export { MAX_RETRY_AFTER_MS } from './client.js';
export type { RetryPolicy } from '../retry.js';
export * from './records/index.js';
