import { AshbyApiError, AshbyPermissionError, scopesAllow } from '../ashby/index.js';
import type { Contract } from '../avro/index.js';
import type { CatalogStream, StreamCatalog, SyncMode } from './catalog.js';

/**
 * `discover`: the catalog as a user sees it, plus whether this key can read each stream. The
 * answer comes from apiKey.info's scopes; a key that may not call apiKey.info is probed with a
 * one-record read of each distinct endpoint instead (a permission error means "no").
 */
export interface DiscoveredStream {
  stream: string;
  endpoint: string;
  key: string;
  /** Avro record full name of the topic's values. */
  schema: string;
  syncModes: SyncMode[];
  parent: string | null;
  enabledByDefault: boolean;
  /** Permission module and scope the stream needs (both endpoints for child streams). */
  scopes: string[];
  /** true / false, or null when neither apiKey.info nor a probe could tell. */
  readable: boolean | null;
  note: string | null;
}

export interface DiscoverClient {
  apiKey: { info(): Promise<{ results: { scopes?: string[] | null } }> };
  call(endpoint: string, body?: Record<string, unknown>): Promise<unknown>;
}

export async function discoverStreams(
  catalog: StreamCatalog,
  contract: Contract,
  client: DiscoverClient,
): Promise<{ via: 'scopes' | 'probe'; streams: DiscoveredStream[] }> {
  let scopes: string[] | undefined;
  try {
    scopes = (await client.apiKey.info()).results.scopes ?? undefined;
  } catch (err) {
    if (!(err instanceof AshbyPermissionError)) throw err;
  }
  const probed = new Map<string, Promise<boolean>>();
  const probe = (endpoint: string, body: Record<string, unknown>): Promise<boolean> => {
    let p = probed.get(endpoint);
    if (!p) {
      p = client.call(endpoint, { ...body, limit: 1 }).then(
        () => true,
        (err: unknown) => {
          if (err instanceof AshbyPermissionError) return false;
          // Ashby checks the permission before the body: any other refusal (e.g. a child
          // endpoint's missing parent id) means the key got past it.
          if (err instanceof AshbyApiError) return true;
          throw err;
        },
      );
      probed.set(endpoint, p);
    }
    return p;
  };
  const endpointsOf = (s: CatalogStream): CatalogStream[] => [s, ...(s.parent ? [catalog.get(s.parent.stream)!] : [])];
  const streams: DiscoveredStream[] = [];
  for (const s of catalog.all()) {
    const needs = endpointsOf(s);
    let readable: boolean | null;
    if (scopes) {
      const answers = needs.map((n) => scopesAllow(scopes!, n.endpoint));
      readable = answers.includes(false) ? false : answers.includes(undefined) ? null : true;
    } else {
      readable = (await Promise.all(needs.map((n) => probe(n.endpoint, n.body ?? {})))).every(Boolean);
    }
    const type = contract.streamType(s.name) as { name?: string };
    streams.push({
      stream: s.name,
      endpoint: s.endpoint,
      key: s.key,
      schema: type.name ?? s.name,
      syncModes: s.syncModes,
      parent: s.parent?.stream ?? null,
      enabledByDefault: s.enabledByDefault,
      scopes: [...new Set(needs.map((n) => n.scope).filter((x): x is string => x !== undefined))],
      readable,
      note: [s.note, s.feature && `needs ${s.feature}`].filter(Boolean).join('; ') || null,
    });
  }
  return { via: scopes ? 'scopes' : 'probe', streams };
}

export function formatDiscovery(streams: readonly DiscoveredStream[]): string {
  const rows = [['STREAM', 'KEY', 'SCHEMA', 'SYNC MODES', 'PARENT', 'DEFAULT', 'READABLE', 'ENDPOINT']];
  for (const s of streams) {
    rows.push([
      s.stream,
      s.key,
      s.schema,
      s.syncModes.join(','),
      s.parent ?? '-',
      s.enabledByDefault ? 'on' : 'off',
      s.readable === null ? '?' : s.readable ? 'yes' : `no (${s.scopes.join(', ')})`,
      s.endpoint,
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return `${rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}
