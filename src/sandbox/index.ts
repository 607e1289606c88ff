export { startSandbox, createSandboxEngine, type RunningSandbox } from './start.js';
export {
  resolveSandboxOptions,
  DEFAULT_CLOCK_START,
  DEFAULT_SCALE,
  type SandboxOptions,
  type ResolvedSandboxOptions,
} from './options.js';
export { FULL_KEY, READONLY_KEY, DEFAULT_KEYS, type SandboxKeyDefinition } from './auth/keys.js';
export { SandboxAdmin, SandboxAdminError } from './admin/admin.js';
export type { CallLogEntry } from './admin/call-log.js';
export { RESTART_CODES, type RestartCode, type ForcedOutcome } from './limits/faults.js';
export { signWebhook, type WebhookDelivery } from './webhooks/dispatcher.js';
export { SandboxEngine, API_VERSION, ADMIN_PREFIX, type WireRequest, type WireResponse } from './engine.js';
export { MAX_PAGE_SIZE } from './lists/paginator.js';
export type { EntityName } from './store/entities.js';
