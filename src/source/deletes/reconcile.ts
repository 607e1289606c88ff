import type { Serde } from '../../avro/index.js';
import { CompactedLog, type LogRecord, type RdConfig } from '../../kafka/index.js';
import type { CatalogStream } from '../catalog.js';
import { KEY_FIELD } from '../catalog.js';
import type { ListSource } from '../stream-reader.js';
import { IdSet } from './id-set.js';

/**
 * Delete reconciliation (docs/webhooks.md, `source.reconcile_deletes`): Ashby's lists never
 * report deletions, so a record deleted without a webhook would stay in its compacted topic
 * forever. For one stream:
 *
 * 1. Read the topic from its beginning to its end and keep the keys whose last value is not a
 *    tombstone, in an IdSet (16 bytes per UUID, not a Map of records).
 * 2. Then list every id Ashby still has (a full listing, no sync token) and strike each from
 *    the set. What remains is missing from Ashby. The topic is read first on purpose: every key
 *    it held existed before the listing began, so a record created meanwhile is never mistaken
 *    for a deleted one.
 *
 * Only top-level streams keyed by `id` are reconciled (children are re-read with their parents).
 */

export interface ReconcileStreamDeps {
  rd: RdConfig;
  client: ListSource;
  serde: Serde;
  keyFormat: 'string' | 'avro';
  signal?: AbortSignal;
}

export interface StreamReconciliation {
  stream: string;
  topic: string;
  /** Live keys the topic held. */
  topicKeys: number;
  /** Ids Ashby listed. */
  listed: number;
  /** Live keys Ashby no longer lists. */
  missing: string[];
  /** Bytes of the id table at its largest. */
  idSetBytes: number;
  /** Time reading the topic, and listing Ashby. */
  scanMs: number;
  listMs: number;
}

/** Whether the stream can be reconciled: a top-level list keyed by the record id. */
export function reconcilable(stream: CatalogStream): boolean {
  return !stream.parent && (stream.keyFields === undefined || stream.keyFields.join(':') === KEY_FIELD);
}

/** The record key as text: the UTF-8 key, or the Avro string of an Avro key. */
async function keyOf(
  deps: Pick<ReconcileStreamDeps, 'serde' | 'keyFormat'>,
  topic: string,
  r: LogRecord,
): Promise<string> {
  return deps.keyFormat === 'avro' ? deps.serde.decodeKey(topic, r.keyBytes) : r.key;
}

/** The live keys of a topic (last value not null), read to its end. A missing topic is empty. */
export async function liveKeys(
  deps: Pick<ReconcileStreamDeps, 'rd' | 'serde' | 'keyFormat'>,
  topic: string,
): Promise<IdSet> {
  const set = new IdSet();
  const apply = (key: string, value: Buffer | null): void => {
    if (value === null) set.delete(key);
    else set.add(key);
  };
  // Avro keys decode asynchronously (the registry is asked once per schema id); keep their order.
  let chain = Promise.resolve();
  const log = await CompactedLog.open({
    config: deps.rd,
    topic,
    name: `delete reconciliation of ${topic}`,
    missingIsEmpty: true,
    onRecord: (r) => {
      if (deps.keyFormat === 'string') return apply(r.key, r.value);
      const key = keyOf(deps, topic, r);
      chain = chain.then(async () => apply(await key, r.value));
    },
  });
  await log.close();
  await chain;
  return set;
}

/** The last values of `ids` in a topic (ids whose last value is a tombstone are left out). */
export async function lastValues(
  deps: Pick<ReconcileStreamDeps, 'rd' | 'serde' | 'keyFormat'>,
  topic: string,
  /** Undefined: every key (small topics only). */
  ids: ReadonlySet<string> | undefined,
): Promise<Map<string, unknown>> {
  const raw = new Map<string, Buffer>();
  if (ids?.size === 0) return new Map();
  let chain = Promise.resolve();
  const log = await CompactedLog.open({
    config: deps.rd,
    topic,
    name: `delete reconciliation of ${topic}`,
    missingIsEmpty: true,
    onRecord: (r) => {
      const settle = (key: string): void => {
        if (ids && !ids.has(key)) return;
        if (r.value === null) raw.delete(key);
        else raw.set(key, r.value);
      };
      if (deps.keyFormat === 'string') settle(r.key);
      else {
        const key = deps.serde.decodeKey(topic, r.keyBytes);
        chain = chain.then(async () => settle(await key));
      }
    },
  });
  await log.close();
  await chain;
  const out = new Map<string, unknown>();
  for (const [k, v] of raw) out.set(k, await deps.serde.decodeValue(topic, v));
  return out;
}

/**
 * One stream's comparison. Throws when the listing fails (nothing is then tombstoned); a
 * permission refusal is an AshbyPermissionError the caller reports as a skipped stream.
 */
export async function reconcileStream(
  deps: ReconcileStreamDeps,
  stream: CatalogStream,
  topic: string,
): Promise<StreamReconciliation> {
  const started = performance.now();
  const keys = await liveKeys(deps, topic);
  const scanMs = performance.now() - started;
  const topicKeys = keys.size;
  const idSetBytes = keys.bytes;
  let listed = 0;
  if (topicKeys > 0) {
    const pages = deps.client.pages<Record<string, unknown>>(
      stream.endpoint,
      { ...(stream.body ?? {}) },
      {
        ...(deps.signal ? { signal: deps.signal } : {}),
      },
    );
    for await (const page of pages) {
      for (const r of page.results) {
        const id = r?.[KEY_FIELD];
        if (typeof id !== 'string') continue;
        listed++;
        keys.delete(id);
      }
    }
  }
  const listMs = performance.now() - started - scanMs;
  return { stream: stream.name, topic, topicKeys, listed, missing: [...keys], idSetBytes, scanMs, listMs };
}
