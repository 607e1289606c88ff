import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type avsc from 'avsc';
import { parseSchema, type AvroSchema, type Serde } from '../../avro/index.js';
import { AvroContractError } from '../../avro/errors.js';
import type { KafkaProducer, OutgoingRecord } from '../../kafka/index.js';
import { HEADERS } from '../headers.js';
import type { DeletionReason } from '../webhooks/routes.js';

/**
 * Writes departures: a tombstone (the record's key with a null value) on the stream's own topic,
 * so compaction removes the record, and a record on the deletions topic saying why
 * (schemas/deletions.avsc). Both are acknowledged before `write` resolves. A record that only
 * became invisible to the key gets the deletions record without a tombstone, unless asked.
 */

export interface DepartureRecord {
  stream: string;
  id: string;
  reason: DeletionReason;
  mergedInto?: string;
  observedAt: string;
  eventId?: string;
  action?: string;
  /** Default: every reason but no_longer_visible. */
  tombstone?: boolean;
}

export interface DeletionWriterDeps {
  producer: () => Promise<Pick<KafkaProducer, 'send'>>;
  serde: Serde;
  keyFormat: 'string' | 'avro';
  deletionsTopic: string;
  topicOf: (stream: string) => string;
  /** Resolves once the topic exists (created like the record topics when missing). */
  ensureTopic: (topic: string) => Promise<void>;
  /** Header `ashby.sync_run_id` of what is written. */
  runId: string;
  /** Header `ashby.sync_mode`: `webhook` (default) or `reconcile`. */
  syncMode?: 'webhook' | 'reconcile';
}

const cache = new Map<string, avsc.Type>();

export function loadDeletionType(schemasDir: string): avsc.Type {
  let type = cache.get(schemasDir);
  if (!type) {
    const path = join(schemasDir, 'deletions.avsc');
    let json: AvroSchema;
    try {
      json = JSON.parse(readFileSync(path, 'utf8')) as AvroSchema;
    } catch (err) {
      throw new AvroContractError(`cannot read the deletions schema ${path}: ${(err as Error).message}`, { path }, err);
    }
    type = parseSchema(json, path);
    cache.set(schemasDir, type);
  }
  return type;
}

export async function writeDepartures(
  deps: DeletionWriterDeps,
  departures: readonly DepartureRecord[],
  type: avsc.Type,
): Promise<void> {
  if (departures.length === 0) return;
  const topics = new Set([deps.deletionsTopic, ...departures.map((d) => deps.topicOf(d.stream))]);
  await Promise.all([...topics].map((t) => deps.ensureTopic(t)));
  const producer = await deps.producer();
  const sends: Promise<unknown>[] = [];
  for (const d of departures) {
    const tombstone = d.tombstone ?? d.reason !== 'no_longer_visible';
    const topic = deps.topicOf(d.stream);
    const headers = {
      [HEADERS.stream]: d.stream,
      [HEADERS.syncMode]: deps.syncMode ?? 'webhook',
      [HEADERS.runId]: deps.runId,
      [HEADERS.emittedAt]: new Date().toISOString(),
      'ashby.deletion_reason': d.reason,
    };
    const records: OutgoingRecord[] = [];
    // Tombstone first: a consumer that sees the deletions record can rely on the tombstone being there.
    if (tombstone) records.push({ topic, key: await key(deps, topic, d.id), value: null, headers });
    const value = {
      stream: d.stream,
      id: d.id,
      reason: d.reason,
      mergedInto: d.mergedInto ?? null,
      tombstoned: tombstone,
      observedAt: new Date(d.observedAt),
      eventId: d.eventId ?? null,
      action: d.action ?? null,
    };
    records.push({
      topic: deps.deletionsTopic,
      key: await key(deps, deps.deletionsTopic, d.id),
      value: await deps.serde.encodeValue(deps.deletionsTopic, type, value),
      headers,
    });
    for (const r of records) sends.push(producer.send(r));
  }
  await Promise.all(sends);
}

function key(deps: DeletionWriterDeps, topic: string, id: string): Promise<Buffer | string> | string {
  return deps.keyFormat === 'avro' ? deps.serde.encodeKey(topic, id) : id;
}
