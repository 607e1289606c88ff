import type avsc from 'avsc';
import type { Serde, StreamMapper } from '../../avro/index.js';
import { PageValues } from '../../avro/serde/framing.js';
import { wrapError } from '../../errors.js';
import { releaseBody } from '../../json/bytes.js';
import { KafkaError, type DeliveryCallback, type KafkaProducer, type OutgoingRecord } from '../../kafka/index.js';
import type { Logger } from '../../log/logger.js';
import type { CatalogStream } from '../catalog.js';
import { HEADERS, HEADER_NAMES, type HeaderName } from '../headers.js';
import type { SinkWriteIndex } from '../loop-guard.js';
import type { StreamPosition, StreamState } from '../position.js';
import {
  readStream,
  type ListSource,
  type ReadBatch,
  type ReadEvent,
  type ReadRecord,
  type RestartEvent,
} from '../stream-reader.js';
import { DeliveryTracker } from './delivery-tracker.js';
import { prefetch } from './prefetch.js';
import type { ProgressSink, StreamProgress } from './progress.js';
import type { KafkaStateStore, StateStore } from './state-store.js';

/**
 * Runs one stream for one pass: pages from the reader (prefetched one ahead), mapped to Avro,
 * encoded, produced with the Ashby id as key, and the position stored only once Kafka has
 * acknowledged everything before it.
 *
 * At-least-once (default): records of all pages are in flight together (bounded); at the end
 * of the pass every delivery is awaited, then the new position (sync token) is saved. Meanwhile,
 * every `checkpointIntervalMs`, the cursor after the last page whose records are all
 * acknowledged is saved (with the old token), so a crashed pass resumes there; pages after it
 * are produced again (at-least-once).
 *
 * Exactly-once: each page's records and the position after the page go in one transaction of
 * this stream's transactional producer, so a crash resumes from the last committed page and a
 * read_committed consumer sees each record once.
 */

/** How long a failed transactional send waits for the producer to report the fatal error behind it. */
const FATAL_ERROR_GRACE_MS = 200;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Records in flight before the loop waits for acknowledgements (bounds memory with the producer's own cap). */
const MAX_OUTSTANDING = 5_000;

/** Runner-wide: the same for every stream of every pass. */
export interface StreamRuntime {
  /** Two-way sync: the sink's writes, to mark records whose latest change is one (loop-guard.ts). */
  sinkWrites?: SinkWriteIndex;
  client: ListSource;
  mapper: StreamMapper;
  serde: Serde;
  stateStore: StateStore;
  mode: 'incremental' | 'full_refresh';
  keyFormat: 'string' | 'avro';
  /** The headers each record carries (`source.headers`). */
  headers: ReadonlySet<HeaderName>;
  exactlyOnce: boolean;
  signal: AbortSignal | undefined;
  prefetchPages: number;
  /** Records in flight per stream before the loop waits for acknowledgements (default MAX_OUTSTANDING). */
  maxOutstanding?: number;
  /** At-least-once: minimum time between checkpoints of an unfinished pass (0: after every acknowledged page). */
  checkpointIntervalMs: number;
}

/** One pass: its id, where progress goes, its logger. */
export interface PassScope {
  runId: string;
  sink: ProgressSink;
  logger: Logger;
}

/** One stream of one pass. */
export interface StreamJob {
  stream: CatalogStream;
  top: CatalogStream;
  topic: string;
  /** Resolves once the topic exists; awaited before the first record is produced. */
  topicReady: Promise<void>;
  /** State key: the topic name. */
  stateKey: string;
  start: StreamPosition;
  valueType: avsc.Type;
  /** At-least-once: the shared producer. Exactly-once: this stream's transactional producer. */
  producer: Pick<
    KafkaProducer,
    'send' | 'produce' | 'beginTransaction' | 'commitTransaction' | 'abortTransaction' | 'fatal'
  >;
  progress: StreamProgress;
}

type StreamTaskContext = StreamRuntime & PassScope & StreamJob;

/** A page's records awaiting acknowledgement, and the position to store once they all are. */
interface PageMark {
  left: number;
  failed: boolean;
  position: StreamPosition;
}

export type StreamOutcome = 'done' | 'stopped';

export async function runStreamTask(runtime: StreamRuntime, pass: PassScope, job: StreamJob): Promise<StreamOutcome> {
  const ctx: StreamTaskContext = { ...runtime, ...pass, ...job };
  const { progress, sink } = ctx;
  progress.phase = 'reading';
  progress.startedAt = performance.now();
  sink.update(progress);
  const tracker = new DeliveryTracker();
  let final: StreamPosition | undefined;
  // At-least-once checkpoints: pages in produce order; the head is popped once all its records are acknowledged.
  const marks: PageMark[] = [];
  let lastCheckpoint = performance.now();
  let checkpointing: Promise<void> = Promise.resolve();
  const checkpoint = (): void => {
    let acked: StreamPosition | undefined;
    while (marks.length > 0 && marks[0]!.left === 0 && !marks[0]!.failed) acked = marks.shift()!.position;
    if (!acked?.pass || performance.now() - lastCheckpoint < ctx.checkpointIntervalMs) return;
    lastCheckpoint = performance.now();
    const state = stateOf(ctx, acked);
    checkpointing = checkpointing.then(() =>
      ctx.stateStore.save(ctx.stateKey, state).catch((err: unknown) =>
        ctx.logger.warn('could not store a checkpoint; a crash would restart this pass', {
          stream: ctx.stream.name,
          err: err as Error,
        }),
      ),
    );
  };
  const events = readStream(ctx.client, ctx.stream, ctx.top, ctx.start, {
    mode: ctx.mode,
    logger: ctx.logger,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  for await (const ev of prefetch(encodePages(ctx, events), ctx.prefetchPages)) {
    if (ctx.signal?.aborted) return 'stopped';
    if (ev.kind === 'restart') {
      progress.restarts++;
      marks.length = 0; // positions from before the restart must not become checkpoints
      if (ctx.exactlyOnce && ev.restart === 'pass') {
        ctx.logger.warn(
          'pages committed before the restart will be produced again (a cursor cannot be resumed once Ashby rejects it)',
          { stream: ctx.stream.name },
        );
      }
      sink.update(progress);
      continue;
    }
    if (tracker.error !== undefined) throw tracker.error;
    await ctx.topicReady;
    progress.mode = ev.mode;
    if (ctx.exactlyOnce) {
      progress.bytes += await produceInTransaction(ctx, ev);
    } else {
      const mark: PageMark = { left: ev.encoded.length, failed: false, position: ev.position };
      marks.push(mark);
      progress.bytes += await produceBatch(ctx, ev, tracker, mark);
      checkpoint();
    }
    progress.pages++;
    progress.calls += ev.calls;
    progress.records += ev.encoded.length;
    sink.update(progress);
    if (ev.last) final = ev.position;
  }
  if (final === undefined) return 'stopped';
  if (!ctx.exactlyOnce) {
    progress.phase = 'flushing';
    sink.update(progress);
    await tracker.settled();
    await checkpointing; // a late checkpoint must not overwrite the final position
    await ctx.stateStore.save(ctx.stateKey, stateOf(ctx, final));
  }
  return 'done';
}

/** A page as the task produces it: its records mapped and encoded. */
type EncodedBatch = Omit<ReadBatch, 'records'> & { encoded: EncodedRecords };

/**
 * Maps and encodes each page as soon as it is read, before it waits for its turn to be produced
 * (prefetch). A parsed page is a large graph of small objects; encoded, it is one Buffer and its
 * keys (EncodedRecords). So the parsed records die young, in the same synchronous step that
 * parsed them, instead of surviving into V8's old generation while pages wait, which cost the
 * 50-tenant worker more in garbage collection than the mapping itself
 * (docs/profiles/serve-cpu.md). An encoding error still surfaces in page order, when the loop
 * reaches that page.
 */
async function* encodePages(
  ctx: StreamTaskContext,
  events: AsyncIterable<ReadEvent>,
): AsyncGenerator<EncodedBatch | RestartEvent, void, undefined> {
  const iterator = events[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<ReadEvent> | undefined = await iterator.next();
      if (next.done) return;
      if (next.value.kind === 'restart') {
        yield next.value;
        continue;
      }
      const batch = next.value;
      const bodies = bodiesOf(batch.records);
      let encoded: EncodedBatch | undefined = await encodeBatch(ctx, batch);
      // A suspended generator keeps its locals: neither this one nor the reader, which waits at
      // its own yield holding the batch until the next page is asked for, may hold the parsed
      // records while the encoded page waits (ReadBatch.records).
      batch.records = [];
      next = undefined;
      // Nothing reads the page's JSON bytes again: hand their memory back now.
      for (const body of bodies) releaseBody(body);
      bodies.length = 0;
      yield encoded;
      encoded = undefined;
    }
  } finally {
    await iterator.return?.();
  }
}

/** The response bodies that a batch's records were read from (one for a page, more for child streams). */
function bodiesOf(records: readonly ReadRecord[]): Buffer[] {
  const bodies: Buffer[] = [];
  for (const r of records) {
    const src = r.json?.src;
    if (src !== undefined && !bodies.includes(src)) bodies.push(src);
  }
  return bodies;
}

async function encodeBatch(ctx: StreamTaskContext, batch: ReadBatch): Promise<EncodedBatch> {
  return {
    kind: 'batch',
    encoded: await encodeRecords(ctx, batch),
    requestId: batch.requestId,
    pageNumber: batch.pageNumber,
    mode: batch.mode,
    calls: batch.calls,
    position: batch.position,
    last: batch.last,
  };
}

function stateOf(ctx: StreamTaskContext, position: StreamPosition): StreamState {
  return { stream: ctx.stream.name, ...position, updatedAt: new Date().toISOString(), runId: ctx.runId };
}

/** What encoding a batch needs (exported for webhook rounds, which produce re-read children outside a pass). */
export type EncodeContext = Pick<
  StreamTaskContext,
  'stream' | 'runId' | 'serde' | 'topic' | 'valueType' | 'mapper' | 'keyFormat' | 'headers' | 'sinkWrites'
>;

/**
 * A page's records, encoded: every value in one Buffer (framing.ts `PageValues`), each record
 * made into an OutgoingRecord only when it is produced. A page waiting its turn is then a few
 * objects, where a Buffer and a record object per record lived until produced, long enough for
 * V8 to move them to its old generation.
 */
export class EncodedRecords {
  constructor(
    readonly topic: string,
    private readonly keys: ReadonlyArray<string | Buffer>,
    private readonly values: Buffer,
    private readonly ends: readonly number[],
    /** The page's headers, shared by its records; undefined when `source.headers` is `none`. */
    private readonly headers: Readonly<Record<string, string>> | undefined,
    /** Records with headers of their own (a two-way sync's echo headers added), by index. */
    private readonly ownHeaders: ReadonlyMap<number, Readonly<Record<string, string>>> | undefined,
    /** Every record's Kafka timestamp: when the page was encoded (ms since the epoch). */
    private readonly timestamp: number,
  ) {}

  get length(): number {
    return this.keys.length;
  }

  record(i: number): OutgoingRecord {
    return {
      topic: this.topic,
      key: this.keys[i]!,
      value: this.values.subarray(i === 0 ? 0 : this.ends[i - 1], this.ends[i]),
      headers: this.ownHeaders?.get(i) ?? this.headers,
      timestamp: this.timestamp,
    };
  }

  all(): OutgoingRecord[] {
    const out: OutgoingRecord[] = new Array(this.length);
    for (let i = 0; i < out.length; i++) out[i] = this.record(i);
    return out;
  }

  /** The key and value bytes (what the byte metrics count). */
  payloadBytes(): number {
    let n = this.values.length;
    for (const key of this.keys) n += typeof key === 'string' ? Buffer.byteLength(key) : key.length;
    return n;
  }
}

/** A batch's records encoded, as records to send (webhook rounds send them all at once). */
export async function toOutgoing(
  ctx: EncodeContext,
  batch: Pick<ReadBatch, 'mode' | 'requestId' | 'records'>,
): Promise<OutgoingRecord[]> {
  return (await encodeRecords(ctx, batch)).all();
}

/** A batch's records encoded: their Avro values behind the topic's framing, their keys and headers. */
export async function encodeRecords(
  ctx: EncodeContext,
  batch: Pick<ReadBatch, 'mode' | 'requestId' | 'records'>,
): Promise<EncodedRecords> {
  const n = batch.records.length;
  const emittedAt = Date.now();
  const headers = pageHeaders(ctx, batch, emittedAt);
  if (n === 0) return new EncodedRecords(ctx.topic, [], Buffer.alloc(0), [], headers, undefined, emittedAt);
  // The message header is resolved once per page (the registry is asked on a topic's first record
  // only); each record is then encoded synchronously behind it: its Avro body written straight
  // from its JSON bytes when it was read as such, else from the parsed JSON, or, when its
  // catch-alls are not empty (or it cannot be mapped), mapped and then encoded by avsc. A record
  // the raw writer declines is parsed here (reading `value`), which also settles its key.
  let header: Buffer;
  try {
    header = await ctx.serde.valueHeader(ctx.topic, ctx.valueType);
  } catch (err) {
    throw wrapError(`${ctx.stream.name}: encode record ${batch.records[0]!.key}`, err);
  }
  const encodeKey = ctx.keyFormat === 'avro' ? await ctx.serde.keyEncoder(ctx.topic) : undefined;
  const { mapper, sinkWrites, valueType } = ctx;
  const stream = ctx.stream.name;
  const writeBody = mapper.bodyWriter(stream);
  const writeRaw = mapper.rawWriter(stream);
  const keys: Array<string | Buffer> = new Array(n);
  let ownHeaders: Map<number, Record<string, string>> | undefined;
  // From here to finish() in one synchronous step: every page shares PageValues' scratch.
  const values = new PageValues();
  try {
    for (let i = 0; i < n; i++) {
      const r = batch.records[i]!;
      try {
        if (!(r.json && values.addBody(header, writeRaw, r.json)) && !values.addBody(header, writeBody, r.value))
          values.addEncoded(valueType, header, mapper.toStreamRecord(stream, r.value));
      } catch (err) {
        throw wrapError(`${stream}: encode record ${r.key}`, err);
      }
      keys[i] = encodeKey ? encodeKey(r.key) : r.key;
      const echo = sinkWrites?.echoHeaders(r.key, (r.value as { updatedAt?: unknown } | null)?.updatedAt);
      if (echo) (ownHeaders ??= new Map()).set(i, { ...headers, ...echo });
    }
    return new EncodedRecords(ctx.topic, keys, values.finish(), values.ends, headers, ownHeaders, emittedAt);
  } finally {
    values.abandon();
  }
}

/**
 * The headers `source.headers` selects, for every record of a page: one object, frozen, so that
 * the producer converts it once (undefined when none is selected).
 */
function pageHeaders(
  ctx: EncodeContext,
  batch: Pick<ReadBatch, 'mode' | 'requestId'>,
  emittedAt: number,
): Readonly<Record<string, string>> | undefined {
  const selected = ctx.headers;
  if (selected.size === 0) return undefined;
  const all: Record<HeaderName, string | undefined> = {
    [HEADERS.stream]: ctx.stream.name,
    [HEADERS.syncMode]: batch.mode,
    [HEADERS.runId]: ctx.runId,
    [HEADERS.requestId]: batch.requestId,
    [HEADERS.emittedAt]: new Date(emittedAt).toISOString(),
  };
  const headers: Record<string, string> = {};
  for (const name of HEADER_NAMES) {
    const value = all[name];
    if (selected.has(name) && value !== undefined) headers[name] = value;
  }
  return Object.freeze(headers);
}

async function produceBatch(
  ctx: StreamTaskContext,
  batch: EncodedBatch,
  tracker: DeliveryTracker,
  mark: PageMark,
): Promise<number> {
  const records = batch.encoded;
  // One callback per page, not per record, and no promise per record: each delivery updates the
  // page's mark and the tracker.
  const done: DeliveryCallback = (err) => {
    if (err) {
      mark.failed = true;
      tracker.fail(err);
    } else {
      mark.left--;
      tracker.acknowledge();
    }
  };
  const limit = ctx.maxOutstanding ?? MAX_OUTSTANDING;
  for (let i = 0; i < records.length; i++) {
    if (tracker.outstanding >= limit) await tracker.below(limit / 2);
    tracker.handOver();
    // librdkafka copies the record before produce returns: its value view dies young.
    ctx.producer.produce(records.record(i), done);
  }
  return records.payloadBytes();
}

/** Produces one page in a transaction; resolves with its payload bytes once committed. */
async function produceInTransaction(ctx: StreamTaskContext, batch: EncodedBatch): Promise<number> {
  const store = ctx.stateStore as KafkaStateStore;
  const records = batch.encoded;
  const tracker = new DeliveryTracker();
  await ctx.producer.beginTransaction();
  try {
    // Every record of the page (and the position) must be acknowledged inside the transaction
    // before it commits: a send still waiting for an in-flight slot would otherwise miss the
    // commit, and a read_committed consumer would see part of a page without its position.
    for (let i = 0; i < records.length; i++) tracker.track(ctx.producer.send(records.record(i)));
    tracker.track(ctx.producer.send(store.record(ctx.stateKey, stateOf(ctx, batch.position))));
    await tracker.settled();
    await ctx.producer.commitTransaction();
    return records.payloadBytes();
  } catch (caught) {
    // Fenced mid-page: the page's sends fail first (purged), and the fatal error that explains
    // them arrives on the producer's next poll, or from the abort. Report the cause, not the symptom.
    if (!ctx.producer.fatal && caught instanceof KafkaError && caught.code === 'KAFKA_DELIVERY_FAILED')
      await sleep(FATAL_ERROR_GRACE_MS);
    if (ctx.producer.fatal) throw ctx.producer.fatal;
    if ((caught as { fatal?: boolean }).fatal !== true) {
      try {
        await ctx.producer.abortTransaction();
      } catch (abortErr) {
        if (abortErr instanceof KafkaError && abortErr.code === 'KAFKA_FENCED') throw abortErr;
        ctx.logger.warn('could not abort the transaction', { stream: ctx.stream.name, err: abortErr as Error });
      }
    }
    throw caught;
  }
}
