import type { CommandEntity } from '../avro/contract.js';
import { permissionFor, scopesAllow } from '../ashby/permissions.js';
import type { Logger } from '../log/logger.js';
import { CATALOG, type OperationCatalog } from './operations/catalog.js';
import type { AshbyCaller } from './reconcile.js';

/**
 * A warning at start when `apiKey.info` shows the key lacks a scope the configured command topics
 * will need. Advisory only: Ashby's answer to the first write is what the sink acts on (a key's
 * scopes can change while the sink runs, and apiKey.info itself needs API Keys read). The
 * endpoints come from the operation catalog, as `check`'s do.
 */
export interface MissingScope {
  scope: string;
  endpoints: string[];
}

/** Scopes the key lacks for these entities, from an apiKey.info scope list. */
export function missingScopes(
  scopes: readonly string[],
  entities: readonly CommandEntity[],
  catalog: OperationCatalog = CATALOG,
): MissingScope[] {
  const missing = new Map<string, Set<string>>();
  for (const entity of entities) {
    for (const endpoint of catalog.endpointsOf(entity)) {
      if (scopesAllow(scopes, endpoint) !== false) continue;
      const scope = permissionFor(endpoint)!.scope;
      if (!missing.has(scope)) missing.set(scope, new Set());
      missing.get(scope)!.add(endpoint);
    }
  }
  return [...missing].map(([scope, eps]) => ({ scope, endpoints: [...eps] }));
}

export async function warnAboutScopes(
  ashby: AshbyCaller,
  entities: readonly CommandEntity[],
  onPermissionError: 'fail' | 'dlq',
  log: Logger,
): Promise<MissingScope[]> {
  let scopes: string[];
  try {
    const info = await ashby.call<{ scopes?: string[] }>('apiKey.info', {}, { kind: 'read' });
    if (!Array.isArray(info.results.scopes)) return [];
    scopes = info.results.scopes;
  } catch (err) {
    log.debug('apiKey.info failed; write access is checked at the first write instead', { err: err as Error });
    return [];
  }
  const missing = missingScopes(scopes, entities);
  for (const m of missing) {
    log.warn(
      `the API key lacks ${m.scope}, which ${m.endpoints.join(', ')} need; those commands will ${onPermissionError === 'fail' ? 'stop the sink' : 'be dead-lettered'} (grant it under Admin → Integrations → API Keys)`,
      { scope: m.scope },
    );
  }
  return missing;
}
