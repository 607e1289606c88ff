/**
 * The loop guard of a two-way sync (docs/two-way-sync.md). When the sink writes a record, its
 * results topic says which record (`ashbyId`) and the `updatedAt` Ashby returned for the write
 * (`ashbyUpdatedAt`). When the source later emits that record and its `updatedAt` is still that
 * one, the latest change is the sink's own: the source marks the record with
 * `ashby.origin: ashby-kafka-sink` and `ashby.idempotency_key`, and whatever feeds the sink from
 * this topic drops it (`isSinkEcho`). A later change by someone else moves `updatedAt`, so it is
 * never marked.
 */
export const ORIGIN_HEADER = 'ashby.origin';
export const IDEMPOTENCY_KEY_HEADER = 'ashby.idempotency_key';
export const SINK_ORIGIN = 'ashby-kafka-sink';

/** What the index needs of a results record (src/sink/results.ts). */
export interface SinkWrite {
  status: string;
  ashbyId: string | null;
  ashbyUpdatedAt?: Date | string | null;
  idempotencyKey: string | null;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: number;
}

/** The key a write is known by: the command's idempotencyKey, else its position. */
export function writeKey(
  w: Pick<SinkWrite, 'idempotencyKey' | 'sourceTopic' | 'sourcePartition' | 'sourceOffset'>,
): string {
  return w.idempotencyKey ?? `${w.sourceTopic}/${w.sourcePartition}/${w.sourceOffset}`;
}

function instant(v: unknown): number | undefined {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

/**
 * The sink's latest write per Ashby id. Bounded: the oldest ids go first, which only means a
 * very old write is no longer recognised (its record is emitted unmarked, as any change is).
 */
export class SinkWriteIndex {
  private readonly byId = new Map<string, { updatedAt: number; key: string }>();

  constructor(private readonly maxIds = 200_000) {}

  get size(): number {
    return this.byId.size;
  }

  add(w: SinkWrite): void {
    const updatedAt = instant(w.ashbyUpdatedAt);
    if (w.status !== 'ok' || !w.ashbyId || updatedAt === undefined) return;
    const current = this.byId.get(w.ashbyId);
    if (current && current.updatedAt > updatedAt) return;
    this.byId.delete(w.ashbyId);
    this.byId.set(w.ashbyId, { updatedAt, key: writeKey(w) });
    if (this.byId.size > this.maxIds) this.byId.delete(this.byId.keys().next().value!);
  }

  /** The headers marking a record whose latest change is the sink's write; undefined when it is not. */
  echoHeaders(id: string, updatedAt: unknown): Record<string, string> | undefined {
    const write = this.byId.get(id);
    const at = instant(updatedAt);
    if (!write || at === undefined || at !== write.updatedAt) return undefined;
    return { [ORIGIN_HEADER]: SINK_ORIGIN, [IDEMPOTENCY_KEY_HEADER]: write.key };
  }
}

type Headers =
  Readonly<Record<string, string | Buffer | undefined>> | ReadonlyArray<Readonly<Record<string, string | Buffer>>>;

/** Whether a record read from a source topic is the sink's own write coming back (drop it before feeding the sink). */
export function isSinkEcho(headers: Headers | undefined): boolean {
  if (!headers) return false;
  const list = Array.isArray(headers) ? headers : [headers as Readonly<Record<string, string | Buffer | undefined>>];
  return list.some((h) => {
    const v = h[ORIGIN_HEADER];
    return v !== undefined && v.toString() === SINK_ORIGIN;
  });
}
