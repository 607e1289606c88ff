import type { KafkaProducer } from '../../kafka/index.js';
import type { CatalogStream } from '../catalog.js';
import { toOutgoing, type EncodeContext } from '../runtime/stream-task.js';
import { readChildren, type ListSource } from '../stream-reader.js';

/**
 * Re-reads the children of the parents a webhook named (the interview events of a schedule, the
 * history of an application) and produces them. Parent-driven incremental reads only see
 * children whose parent changed; these events say which children did. No position is stored:
 * the regular passes keep their own, this only brings records forward.
 */
export interface ChildRefresh {
  client: ListSource;
  stream: CatalogStream;
  parentIds: readonly string[];
  encode: EncodeContext;
  producer: Pick<KafkaProducer, 'send'>;
  topicReady: Promise<void>;
  signal?: AbortSignal;
}

/** Returns the number of records produced (all acknowledged). */
export async function refreshChildren(r: ChildRefresh): Promise<number> {
  if (r.parentIds.length === 0) return 0;
  const records = await readChildren(r.client, r.stream, [...r.parentIds], {
    mode: 'incremental',
    ...(r.signal ? { signal: r.signal } : {}),
  });
  await r.topicReady;
  const out = await toOutgoing(r.encode, { mode: 'incremental', requestId: undefined, records });
  await Promise.all(out.map((record) => r.producer.send(record)));
  return records.length;
}
