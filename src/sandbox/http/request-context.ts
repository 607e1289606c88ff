import type { ResolvedKey } from '../auth/keys.js';
import type { SandboxClock } from '../clock.js';
import type { World } from '../data/world.js';
import type { RunRegistry } from '../lists/runs.js';
import type { TokenCodec } from '../lists/tokens.js';
import type { ResolvedSandboxOptions } from '../options.js';
import type { JobApplicationIndex } from '../store/job-index.js';
import type { Store } from '../store/store.js';
import type { ViewContext } from '../views/context.js';
import type { Body } from './params.js';

/** Token and cursor validity switches the admin interface flips (docs/ashby-api.md §2.2 restart errors). */
export interface TokenPolicy {
  /** Bumped by "invalidate": older tokens/cursors answer *_invalid. */
  syncGeneration: number;
  cursorGeneration: number;
  /** Set by "expire": tokens/cursors issued before this sandbox instant answer *_expired. */
  syncExpiredBefore: number;
  cursorExpiredBefore: number;
}

/** The sandbox state a request handler may use. */
export interface SandboxCore {
  readonly options: ResolvedSandboxOptions;
  readonly world: World;
  readonly store: Store;
  readonly clock: SandboxClock;
  readonly tokens: TokenCodec;
  readonly runs: RunRegistry;
  readonly policy: TokenPolicy;
  readonly jobApplications: JobApplicationIndex;
  /** Webhook settings (webhook.create and friends); set once the dispatcher exists. */
  readonly webhookSettings: WebhookSettings | undefined;
}

/** What the webhook.* endpoints manage (the sandbox's WebhookDispatcher). */
export interface WebhookSettings {
  createSetting(webhookType: string, requestUrl: string, secretToken: string): WebhookSettingRecord;
  setting(id: string): WebhookSettingRecord | undefined;
  updateSetting(
    id: string,
    patch: { enabled?: boolean; requestUrl?: string; secretToken?: string },
  ): WebhookSettingRecord | undefined;
  deleteSetting(id: string): WebhookSettingRecord | undefined;
}

export interface WebhookSettingRecord {
  id: string;
  enabled: boolean;
  requestUrl: string;
  secretToken: string;
  webhookType: string;
}

export interface RequestContext {
  core: SandboxCore;
  key: ResolvedKey;
  view: ViewContext;
  endpoint: string;
  body: Body;
  requestId: string;
  /** Webhook events this request causes; sent after the response (docs/ashby-api.md §6). */
  events: WebhookEvent[];
}

export interface WebhookEvent {
  action: string;
  data: unknown;
}

/** What a handler returns: the envelope fields after `success: true`. */
export interface HandlerResult {
  results: unknown;
  moreDataAvailable?: boolean;
  nextCursor?: string;
  syncToken?: string;
  warnings?: string[];
}

export type Handler = (ctx: RequestContext) => HandlerResult;
