import { silentLogger } from '../log/logger.js';
import { FULL_KEY, READONLY_KEY } from './auth/keys.js';
import { SandboxAdmin } from './admin/admin.js';
import { adminHttpDispatcher } from './admin/admin-http.js';
import { SandboxEngine } from './engine.js';
import { listen } from './http/server.js';
import { resolveSandboxOptions, type SandboxOptions } from './options.js';
import { WebhookDispatcher } from './webhooks/dispatcher.js';

export interface RunningSandbox {
  /** Base URL, e.g. http://127.0.0.1:43567 (no trailing slash). */
  url: string;
  /** Key name → secret; `full` and `readonly` are the two default keys. */
  keys: { full: string; readonly: string } & Record<string, string>;
  /** In-process control: records, clock, tokens, forced failures, call log. */
  admin: SandboxAdmin;
  /** The engine, for benchmarks that bypass HTTP. */
  engine: SandboxEngine;
  close(): Promise<void>;
}

/** Builds the engine and admin without an HTTP server (benchmarks, unit tests of the engine). */
export function createSandboxEngine(
  options: SandboxOptions = {},
  defaults: { port?: number; follow?: boolean } = {},
): { engine: SandboxEngine; admin: SandboxAdmin; webhooks: WebhookDispatcher } {
  const resolved = resolveSandboxOptions(options, defaults);
  const engine = new SandboxEngine(resolved);
  const webhooks = new WebhookDispatcher(resolved.webhooks, options.logger ?? silentLogger);
  engine.setEventSink((events) => webhooks.enqueue(events));
  engine.webhookSettings = webhooks;
  const admin = new SandboxAdmin(engine, webhooks);
  engine.setAdminDispatcher(adminHttpDispatcher(admin));
  return { engine, admin, webhooks };
}

/**
 * Starts a local Ashby on 127.0.0.1 (an ephemeral port unless `port` is given). Options are
 * validated first; an invalid option throws a ConfigError naming it.
 */
export async function startSandbox(
  options: SandboxOptions = {},
  defaults: { port?: number; follow?: boolean } = {},
): Promise<RunningSandbox> {
  const { engine, admin, webhooks } = createSandboxEngine(options, defaults);
  const logger = options.logger ?? silentLogger;
  const server = await listen(engine, engine.options.host, engine.options.port, logger);
  const keys: Record<string, string> = {};
  for (const key of engine.keys) keys[key.name] = key.secret;
  return {
    url: server.url,
    keys: { ...keys, full: keys[FULL_KEY]!, readonly: keys[READONLY_KEY]! },
    admin,
    engine,
    close: async () => {
      await server.close();
      await webhooks.close();
    },
  };
}
