import { createHash } from 'node:crypto';
import {
  AshbyCursorError,
  AshbyInvalidResponseError,
  AshbySyncTokenError,
  type AshbyPage,
  type PagesOptions,
} from '../ashby/index.js';
import { JsonSlice } from '../json/bytes.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { KEY_FIELD, type CatalogStream } from './catalog.js';
import type { PassMode, StreamPosition } from './position.js';

/**
 * Reads one stream from Ashby as a sequence of batches (one per page of the stream's top-level
 * list), each carrying the position to store once every record up to it is acknowledged. This is
 * the connector half of the source: it knows Ashby's paging rules (docs/ashby-api.md §2.1, §2.2) and nothing of Kafka.
 *
 * - Incremental: a stored sync token starts an incremental pass; the last page's new token is
 *   in the last batch's position.
 * - Token restart codes (sync_token_expired / _invalid, incremental_sync_too_large): the token is
 *   dropped and a full pass starts from page 1, with a `restart` event saying why.
 * - Cursor restart codes (next_cursor_expired, invalid_next_cursor): the pass restarts from page 1
 *   with the same base token.
 * - Child streams (interview_stages of interview_plans, …) page through the parent list and, for
 *   each parent record on a page, read the child list in full; one batch per parent page.
 * - A position with an unfinished pass (exactly-once checkpoints) resumes from its cursor.
 * - Snapshot streams in incremental mode (top-level lists without a sync token, and children
 *   declared `rereadAll`): every record is read, and only those whose digest differs from the
 *   last completed pass's are yielded; the last batch's position carries the new digests. Ashby's lists carry no deletions, so a record that disappears is
 *   simply no longer tracked.
 */

/** Above this many records a snapshot stream keeps no digests and produces every record each pass (the state record stays well under Kafka's 1 MB). */
export const MAX_SNAPSHOT_DIGESTS = 8_000;

/** What the reader needs from the Ashby client: AshbyClient.pages. */
export interface ListSource {
  pages<T = unknown>(
    endpoint: string,
    body?: Record<string, unknown>,
    options?: PagesOptions,
  ): AsyncIterable<AshbyPage<T>>;
}

export type { PassMode } from './position.js';

export interface ReadRecord {
  /** The Kafka key: the record's Ashby id. */
  key: string;
  /** Ashby's JSON for the record (with the parent id added for child streams that lack it). */
  value: Record<string, unknown>;
  /**
   * The record's JSON bytes, when it was read as such (a top-level record of a large page):
   * `value` is then parsed from them on first use, and `key` read again from that value.
   */
  readonly json?: JsonSlice;
}

/**
 * A record read as its JSON bytes. Its key is the first `id` (or key fields) in them; once
 * `value` is read, the bytes are parsed and the key taken from the parsed value, exactly as for
 * any other record (JSON.parse keeps the last of repeated keys: the caller reads `value` for
 * any record that the raw writer declines, which it does for repeated keys).
 */
class SlicedRecord implements ReadRecord {
  private parsed: Record<string, unknown> | undefined;

  constructor(
    readonly json: JsonSlice,
    public key: string,
    private readonly stream: CatalogStream,
    private readonly requestId: string | undefined,
  ) {}

  get value(): Record<string, unknown> {
    if (this.parsed === undefined) {
      const record = toRecord(this.stream, parseSlice(this.stream, this.json, this.requestId), this.requestId);
      this.key = record.key;
      this.parsed = record.value;
    }
    return this.parsed;
  }

  set value(value: Record<string, unknown>) {
    this.parsed = value;
  }
}

function parseSlice(stream: CatalogStream, slice: JsonSlice, requestId: string | undefined): Record<string, unknown> {
  try {
    return slice.parse() as Record<string, unknown>;
  } catch (err) {
    throw new AshbyInvalidResponseError(`a ${stream.endpoint} record is not valid JSON (${(err as Error).message})`, {
      endpoint: stream.endpoint,
      requestId,
      cause: err,
    });
  }
}

/** The key of a record read as bytes, from its first key members; undefined when they are not plain strings. */
function sliceKey(stream: CatalogStream, slice: JsonSlice): string | undefined {
  const fields = stream.keyFields ?? [KEY_FIELD];
  let key = '';
  for (let i = 0; i < fields.length; i++) {
    const v = slice.firstString(fields[i]!);
    if (!v) return undefined;
    key = i === 0 ? v : `${key}:${v}`;
  }
  return key;
}

export interface ReadBatch {
  kind: 'batch';
  /**
   * The batch's records. They belong to the consumer: the reader keeps no reference to them
   * except through this property, so a consumer that replaces it with [] once it is done lets
   * them be collected while the reader waits at its yield.
   */
  records: ReadRecord[];
  /** Ashby request id of the (top-level) page. */
  requestId: string | undefined;
  pageNumber: number;
  mode: PassMode;
  /** Calls made for this batch (1, or 1 + one per parent record for child streams). */
  calls: number;
  /** Store this once every record of this and earlier batches is acknowledged. */
  position: StreamPosition;
  last: boolean;
}

export interface RestartEvent {
  kind: 'restart';
  /** `full`: the sync token was dropped; `pass`: the pass restarts from page 1 with the same token. */
  restart: 'full' | 'pass';
  ashbyCode: string;
  requestId: string | undefined;
  reason: string;
}

export type ReadEvent = ReadBatch | RestartEvent;

export interface ReadOptions {
  /** `full_refresh` ignores stored tokens. */
  mode: 'incremental' | 'full_refresh';
  signal?: AbortSignal;
  logger?: Logger;
  /** Children of one parent page read at once (they share the key's rate budget anyway). */
  childConcurrency?: number;
  /** Restarts of one pass before giving up (a cursor that keeps expiring means something else is wrong). */
  maxRestarts?: number;
}

const DEFAULT_CHILD_CONCURRENCY = 4;
const DEFAULT_MAX_RESTARTS = 3;

export async function* readStream(
  client: ListSource,
  stream: CatalogStream,
  top: CatalogStream,
  start: StreamPosition,
  options: ReadOptions,
): AsyncGenerator<ReadEvent, void, undefined> {
  const log = options.logger ?? silentLogger;
  const incrementalCapable = top.paging === 'sync';
  // Snapshot streams: digests of the last completed pass, and of this one as it goes. Top-level
  // lists without a sync token, and children whose parents are all re-read on every pass.
  const snapshot =
    options.mode === 'incremental' && (stream === top ? !incrementalCapable : stream.parent?.rereadAll === true);
  const previous = snapshot ? start.digests : undefined;
  let digests: Record<string, string> | undefined = snapshot ? {} : undefined;
  let baseToken = options.mode === 'incremental' && incrementalCapable && !snapshot ? start.syncToken : undefined;
  let resumeCursor: string | undefined;
  let pageOffset = 0;
  // An unfinished pass checkpointed under exactly-once continues from its cursor, unless the
  // config now asks for full refreshes and the pass was incremental.
  if (start.pass && !(options.mode === 'full_refresh' && start.pass.mode === 'incremental')) {
    baseToken = start.pass.mode === 'incremental' && incrementalCapable && !snapshot ? start.pass.from : undefined;
    resumeCursor = start.pass.cursor;
    pageOffset = start.pass.pages;
  }
  let restarts = 0;

  for (;;) {
    const mode: PassMode = baseToken === undefined && previous === undefined ? 'full' : 'incremental';
    try {
      const body: Record<string, unknown> = {
        ...(top.body ?? {}),
        ...(resumeCursor !== undefined ? { cursor: resumeCursor } : {}),
      };
      // The records of a stream's own pages stay bytes until they are needed (ReadRecord.json);
      // a snapshot stream digests every parsed record, and a child stream reads only ids here.
      const pages = client.pages<Record<string, unknown> | JsonSlice>(top.endpoint, body, {
        ...(baseToken !== undefined ? { syncToken: baseToken } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(stream === top && !snapshot ? { slices: true } : {}),
      });
      // One page's batch (its own frame, so nothing of the page outlives the call but the batch).
      const batchOf = async (page: AshbyPage<Record<string, unknown> | JsonSlice>): Promise<ReadBatch> => {
        const pageNumber = pageOffset + page.pageNumber;
        const last = !page.moreDataAvailable;
        let records: ReadRecord[];
        let calls = 1;
        if (stream === top) {
          records = page.results.map((r) => toRecord(stream, r, page.requestId));
        } else {
          const parents = page.results.map((r) => idOf(top, r, page.requestId));
          calls += parents.length;
          records = await readChildren(client, stream, parents, options);
        }
        // The paginator waits at its yield holding this page object until the next page is
        // asked for: drop the parsed results from it.
        page.results = [];
        if (digests) records = unchangedDropped(records, previous, digests);
        if (digests && Object.keys(digests).length > MAX_SNAPSHOT_DIGESTS) {
          log.warn(`more than ${MAX_SNAPSHOT_DIGESTS} records: this stream is produced in full on every pass`, {
            stream: stream.name,
          });
          digests = undefined;
        }
        const position: StreamPosition = last
          ? { ...(page.syncToken !== undefined ? { syncToken: page.syncToken } : {}), ...(digests ? { digests } : {}) }
          : {
              ...(baseToken !== undefined ? { syncToken: baseToken } : {}),
              ...(previous ? { digests: previous } : {}),
              pass: {
                mode,
                ...(baseToken !== undefined ? { from: baseToken } : {}),
                cursor: page.nextCursor!,
                pages: pageNumber,
              },
            };
        return { kind: 'batch', records, requestId: page.requestId, pageNumber, mode, calls, position, last };
      };
      // Iterated by hand, not with for await: a suspended generator keeps its locals (and
      // for await its last iterator result), and the parsed page must not be held while the
      // next one is fetched (docs/profiles/serve-cpu.md). While this generator waits at the
      // yield it holds the batch it gave out: a consumer that is done with the records before it
      // asks for the next batch sets `records` to [] (see ReadBatch).
      const iterator = pages[Symbol.asyncIterator]();
      try {
        for (;;) {
          let next: IteratorResult<AshbyPage<Record<string, unknown> | JsonSlice>> | undefined = await iterator.next();
          if (next.done) break;
          let batch: ReadBatch | undefined = await batchOf(next.value);
          next = undefined;
          yield batch;
          batch = undefined;
        }
      } finally {
        await iterator.return?.();
      }
      return;
    } catch (err) {
      if (!(err instanceof AshbySyncTokenError || err instanceof AshbyCursorError)) throw err;
      if (++restarts > (options.maxRestarts ?? DEFAULT_MAX_RESTARTS)) throw err;
      const dropToken = err instanceof AshbySyncTokenError;
      if (dropToken && baseToken === undefined) throw err; // a full pass cannot be told its token is bad
      const restart: RestartEvent = {
        kind: 'restart',
        restart: dropToken ? 'full' : 'pass',
        ashbyCode: err.ashbyCode,
        requestId: err.requestId,
        reason: dropToken
          ? `Ashby rejected the stored sync token (${err.ashbyCode}); running a full sync instead`
          : `Ashby rejected the page cursor (${err.ashbyCode}); restarting the pass from the first page`,
      };
      log.warn(restart.reason, { stream: stream.name, ashbyCode: err.ashbyCode, requestId: err.requestId });
      yield restart;
      if (dropToken) baseToken = undefined;
      if (digests) digests = {};
      resumeCursor = undefined;
      pageOffset = 0;
    }
  }
}

function idOf(stream: CatalogStream, json: Record<string, unknown> | JsonSlice, requestId: string | undefined): string {
  const record = json instanceof JsonSlice ? parseSlice(stream, json, requestId) : json;
  const id = record?.[KEY_FIELD];
  if (typeof id !== 'string' || id === '') {
    throw new AshbyInvalidResponseError(`a ${stream.endpoint} record has no string \`${KEY_FIELD}\``, {
      endpoint: stream.endpoint,
      requestId,
    });
  }
  return id;
}

/** Records whose digest changed since `previous` (all of them without one); records every digest in `into`. */
function unchangedDropped(
  records: ReadRecord[],
  previous: Record<string, string> | undefined,
  into: Record<string, string>,
): ReadRecord[] {
  return records.filter((r) => {
    const digest = createHash('sha256').update(JSON.stringify(r.value)).digest('base64url').slice(0, 22);
    into[r.key] = digest;
    return previous?.[r.key] !== digest;
  });
}

/** The Kafka key: Ashby's id, or the stream's `keyFields` joined by `:` (each must be a non-empty string). */
function toRecord(
  stream: CatalogStream,
  record: Record<string, unknown> | JsonSlice,
  requestId: string | undefined,
): ReadRecord {
  if (record instanceof JsonSlice) {
    const key = sliceKey(stream, record);
    // A key that is not a plain string in the bytes (or is missing): parsed now, with its error if any.
    if (key !== undefined) return new SlicedRecord(record, key, stream, requestId);
    return toRecord(stream, parseSlice(stream, record, requestId), requestId);
  }
  if (!stream.keyFields) return { key: idOf(stream, record, requestId), value: record };
  const parts = stream.keyFields.map((field) => {
    const v = record?.[field];
    if (typeof v !== 'string' || v === '') {
      throw new AshbyInvalidResponseError(
        `a ${stream.endpoint} record has no string \`${field}\` (part of the ${stream.name} key)`,
        { endpoint: stream.endpoint, requestId },
      );
    }
    return v;
  });
  return { key: parts.join(':'), value: record };
}

/** Every child of these parents, in parent order; at most `childConcurrency` parents read at once. */
export async function readChildren(
  client: ListSource,
  stream: CatalogStream,
  parents: string[],
  options: ReadOptions,
): Promise<ReadRecord[]> {
  const parent = stream.parent!;
  const out: ReadRecord[][] = new Array(parents.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < parents.length) {
      const i = next++;
      const parentId = parents[i]!;
      const records: ReadRecord[] = [];
      const body = { ...(stream.body ?? {}), [parent.param]: parentId };
      for await (const page of client.pages<Record<string, unknown>>(
        stream.endpoint,
        body,
        options.signal ? { signal: options.signal } : {},
      )) {
        for (const r of page.results) {
          const value = parent.addField && r[parent.addField] === undefined ? { ...r, [parent.addField]: parentId } : r;
          records.push(toRecord(stream, value, page.requestId));
        }
      }
      out[i] = records;
    }
  };
  const n = Math.min(options.childConcurrency ?? DEFAULT_CHILD_CONCURRENCY, parents.length);
  await Promise.all(Array.from({ length: n }, worker));
  return out.flat();
}
