import type { Body } from '../http/params.js';
import { AshbyWireError } from '../http/wire-error.js';
import type { ForcedOutcome, RestartCode } from '../limits/faults.js';
import type { SandboxFeature } from '../options.js';
import type { EntityName } from '../store/entities.js';
import type { SandboxAdmin } from './admin.js';

/**
 * `POST /_sandbox/<command>` with a JSON body, guarded by the sandbox_full key: the admin
 * interface for a sandbox running in another process (the CLI, the demo script). Each command
 * maps to the SandboxAdmin method of the same name; docs/sandbox.md lists them with examples.
 */
export function adminHttpDispatcher(admin: SandboxAdmin): (command: string, body: Body) => unknown {
  const str = (body: Body, key: string): string => {
    const v = body[key];
    if (typeof v !== 'string' || !v) throw new AshbyWireError('invalid_input', `${key} is required`);
    return v;
  };
  const obj = (body: Body, key: string): Record<string, unknown> => {
    const v = body[key] ?? {};
    if (typeof v !== 'object' || Array.isArray(v))
      throw new AshbyWireError('invalid_input', `${key} must be an object`);
    return v as Record<string, unknown>;
  };
  const commands: Record<string, (body: Body) => unknown> = {
    get: (b) => admin.get(str(b, 'entity') as EntityName, str(b, 'id')) ?? null,
    model: (b) => admin.model(str(b, 'entity') as EntityName, str(b, 'id')) ?? null,
    create: (b) => admin.create(str(b, 'entity') as EntityName, obj(b, 'fields')),
    update: (b) => admin.update(str(b, 'entity') as EntityName, str(b, 'id'), obj(b, 'patch')),
    delete: (b) => admin.delete(str(b, 'entity') as EntityName, str(b, 'id')),
    setKeyAccess: (b) =>
      admin.setKeyAccess(str(b, 'key'), {
        ...(b.confidential !== undefined ? { confidential: b.confidential as boolean } : {}),
        ...(b.privateFields !== undefined ? { privateFields: b.privateFields as boolean } : {}),
      }),
    setFeature: (b) => admin.setFeature(str(b, 'feature') as SandboxFeature, b.enabled as boolean),
    clock: () => admin.clockNow(),
    advanceClock: (b) => admin.advanceClock(Number(b.ms)),
    setClock: (b) => admin.setClock(str(b, 'instant')),
    expireSyncTokens: () => admin.expireSyncTokens(),
    invalidateSyncTokens: () => admin.invalidateSyncTokens(),
    expireCursors: () => admin.expireCursors(),
    invalidateCursors: () => admin.invalidateCursors(),
    forceNext: (b) =>
      admin.forceNext(str(b, 'endpoint'), Number(b.count ?? 1), obj(b, 'outcome') as unknown as ForcedOutcome),
    forceRestart: (b) => admin.forceRestart(str(b, 'endpoint'), str(b, 'code') as RestartCode, Number(b.count ?? 1)),
    clearForced: () => admin.clearForced(),
    callLog: (b) =>
      admin.callLog({
        ...(typeof b.path === 'string' ? { path: b.path } : {}),
        ...(typeof b.keyName === 'string' ? { keyName: b.keyName } : {}),
      }),
    resetCallLog: () => admin.resetCallLog(),
    webhookDeliveries: () => admin.webhookDeliveries(),
    mergeCandidates: (b) => admin.mergeCandidates(str(b, 'keepId'), str(b, 'mergedId')),
    addWebhook: (b) =>
      admin.addWebhook(str(b, 'url'), str(b, 'secret'), Array.isArray(b.events) ? (b.events as string[]) : undefined),
    removeWebhook: (b) => admin.removeWebhook(str(b, 'url')),
    injectWebhookFaults: (b) =>
      admin.injectWebhookFaults({
        duplicate: Number(b.duplicate ?? 0),
        reorder: Number(b.reorder ?? 0),
        badSignature: Number(b.badSignature ?? 0),
      }),
    stats: () => admin.stats(),
  };
  return (command, body) => {
    const run = commands[command];
    if (!run)
      throw new AshbyWireError(
        'not_found',
        `Unknown sandbox admin command "${command}"; known: ${Object.keys(commands).join(', ')}`,
        404,
      );
    return run(body);
  };
}
