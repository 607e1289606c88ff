import type avsc from 'avsc';
import type { BodyWriter, ByteWriter } from '../byte-writer.js';
import { AvroDecodeError, AvroEncodeError } from '../errors.js';
import { canonicalFormOf, findViolation } from '../schema.js';

/**
 * The per-record work of both serde modes: write a header and the Avro body into one buffer,
 * and read a body back, resolving the writer schema against the reader's. The hot path is one
 * `type.encode` into a reused scratch buffer plus one copy out, like avsc's own toBuffer (which,
 * with its 1 KiB buffer, encodes a larger record twice).
 */
const INITIAL_SCRATCH = 64 * 1024;
let scratch = Buffer.allocUnsafe(INITIAL_SCRATCH);

export type Resolver = ReturnType<avsc.Type['createResolver']>;

export function typeName(type: avsc.Type): string {
  return (type as { name?: string }).name ?? (type as { typeName: string }).typeName;
}

/** header + Avro body of `value`. Throws AvroEncodeError naming the first invalid field. */
export function encodeFramed(type: avsc.Type, header: Buffer, value: unknown): Buffer {
  const h = header.length;
  let pos: number;
  for (;;) {
    try {
      pos = type.encode(value, scratch, h);
    } catch (err) {
      throw encodeError(type, value, err);
    }
    if (pos >= 0) break;
    // encode returns minus the missing byte count when the buffer is too small.
    scratch = Buffer.allocUnsafe(Math.max(scratch.length * 2, scratch.length - pos + h));
  }
  // The header (5 or 10 bytes) is written straight into the output: a native copy costs more.
  const out = Buffer.allocUnsafe(pos);
  for (let i = 0; i < h; i++) out[i] = header[i]!;
  scratch.copy(out, h, h, pos);
  return out;
}

const bodyWriter: ByteWriter = { buf: scratch, pos: 0 };

/**
 * header + the Avro body that `write` writes for `json`, or undefined when it declines. The
 * body writer must write exactly what `type.encode` of the value would (mapping/direct-writer.ts).
 */
export function frameBody<T>(header: Buffer, write: BodyWriter<T>, json: T): Buffer | undefined {
  const h = header.length;
  const w = bodyWriter;
  w.buf = scratch;
  w.pos = h;
  for (;;) {
    if (!write(json, w)) return undefined;
    if (w.pos <= scratch.length) break;
    scratch = Buffer.allocUnsafe(Math.max(scratch.length * 2, w.pos));
    w.buf = scratch;
    w.pos = h;
  }
  const out = Buffer.allocUnsafe(w.pos);
  for (let i = 0; i < h; i++) out[i] = header[i]!;
  scratch.copy(out, h, h, w.pos);
  return out;
}

/** Where a page's values are written before they are copied out together (PageValues). */
const INITIAL_PAGE_SCRATCH = 256 * 1024;
/** A page scratch grown past this (a page of very large records) is let go once that page is done. */
const MAX_KEPT_PAGE_SCRATCH = 4 * 1024 * 1024;
let pageScratch = Buffer.allocUnsafe(INITIAL_PAGE_SCRATCH);
/** Whether a PageValues is writing into pageScratch. */
let pageScratchInUse = false;

/**
 * The framed values of a page's records, written one after another and then copied out into
 * one Buffer: `values.subarray(ends[i - 1] ?? 0, ends[i])` is record i. A page waiting to be
 * produced is then one Buffer and its offsets, not a Buffer per record that V8 tracks until
 * librdkafka has copied it, and no record is copied twice (scratch, then its own Buffer).
 *
 * Every page shares one scratch buffer, so a page must be written from its first `add` to
 * `finish` (or `abandon`) in one synchronous step; opening a second page before that throws.
 */
export class PageValues {
  private readonly w: ByteWriter = { buf: pageScratch, pos: 0 };
  readonly ends: number[] = [];
  private open = true;

  constructor() {
    if (pageScratchInUse) throw new Error('internal error: a page of values is already being written');
    pageScratchInUse = true;
  }

  /** header + what `write` writes for `json`; false when it declines (nothing is added). */
  addBody<T>(header: Buffer, write: BodyWriter<T>, json: T): boolean {
    const w = this.w;
    const start = w.pos;
    for (;;) {
      this.writeHeader(header, start);
      if (!write(json, w)) {
        w.pos = start;
        return false;
      }
      if (w.pos <= w.buf.length) break;
      this.grow(start, w.pos);
    }
    this.ends.push(w.pos);
    return true;
  }

  /** header + avsc's encoding of `value`. Throws AvroEncodeError naming the first invalid field. */
  addEncoded(type: avsc.Type, header: Buffer, value: unknown): void {
    const w = this.w;
    const start = w.pos;
    for (;;) {
      this.writeHeader(header, start);
      let pos: number;
      try {
        pos = type.encode(value, w.buf, w.pos);
      } catch (err) {
        w.pos = start;
        throw encodeError(type, value, err);
      }
      // encode returns minus the missing byte count when the buffer is too small.
      if (pos >= 0) {
        w.pos = pos;
        break;
      }
      this.grow(start, w.buf.length - pos);
    }
    this.ends.push(w.pos);
  }

  /** The values, in one Buffer of their exact length; the scratch is free for the next page. */
  finish(): Buffer {
    const out = Buffer.allocUnsafe(this.w.pos);
    this.w.buf.copy(out, 0, 0, this.w.pos);
    this.abandon();
    return out;
  }

  /** Frees the scratch without a result (the page failed). */
  abandon(): void {
    if (!this.open) return;
    this.open = false;
    pageScratchInUse = false;
    if (pageScratch.length > MAX_KEPT_PAGE_SCRATCH) pageScratch = Buffer.allocUnsafe(INITIAL_PAGE_SCRATCH);
  }

  /** Writes the header at `start` (growing first when it does not fit) and leaves `pos` after it. */
  private writeHeader(header: Buffer, start: number): void {
    const h = header.length;
    if (start + h > this.w.buf.length) this.grow(start, start + h);
    const buf = this.w.buf;
    // The header (5 or 10 bytes) is written byte by byte: a native copy costs more.
    for (let i = 0; i < h; i++) buf[start + i] = header[i]!;
    this.w.pos = start + h;
  }

  /** A scratch of at least `need` bytes that keeps the values before `keep`. */
  private grow(keep: number, need: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.w.buf.length * 2, need));
    this.w.buf.copy(next, 0, 0, keep);
    pageScratch = next;
    this.w.buf = next;
    this.w.pos = keep;
  }
}

function encodeError(type: avsc.Type, value: unknown, err: unknown): AvroEncodeError {
  const violation = findViolation(type, value);
  if (violation) return new AvroEncodeError(typeName(type), violation.path, violation.problem, { cause: err });
  return new AvroEncodeError(typeName(type), '', `is invalid (${(err as Error).message})`, { cause: err });
}

/**
 * Resolvers from a writer type to a reader type, per reader. Identical canonical forms need
 * none: the reader reads the bytes directly.
 */
const resolvers = new WeakMap<avsc.Type, WeakMap<avsc.Type, Resolver | null>>();

export function resolverFor(reader: avsc.Type, writer: avsc.Type): Resolver | undefined {
  if (reader === writer) return undefined;
  let byWriter = resolvers.get(reader);
  if (!byWriter) {
    byWriter = new WeakMap();
    resolvers.set(reader, byWriter);
  }
  let resolver = byWriter.get(writer);
  if (resolver === undefined) {
    if (canonicalFormOf(reader) === canonicalFormOf(writer)) {
      resolver = null;
    } else {
      try {
        resolver = reader.createResolver(writer);
      } catch (err) {
        throw new AvroDecodeError(
          `data written with schema ${typeName(writer)} cannot be read as ${typeName(reader)}: ${(err as Error).message}. The schemas are not compatible.`,
          { writer: typeName(writer), reader: typeName(reader) },
          err,
        );
      }
    }
    byWriter.set(writer, resolver);
  }
  return resolver ?? undefined;
}

function contextOf(topic: string, schemaId: number | undefined): Record<string, unknown> {
  return schemaId === undefined ? { topic } : { topic, schemaId };
}

/**
 * Decodes `bytes` from `offset` to the end; anything left over or missing is an error naming
 * the topic (and the schema id, in Confluent format). The error context is built only on failure.
 */
export function decodeBody(
  reader: avsc.Type,
  resolver: Resolver | undefined,
  bytes: Buffer,
  offset: number,
  topic: string,
  schemaId?: number,
): unknown {
  let result: { value: unknown; offset: number };
  try {
    result = reader.decode(bytes, offset, resolver);
  } catch (err) {
    throw new AvroDecodeError(
      `corrupt Avro body (${(err as Error).message}): the bytes do not match the schema the message names; check that its producer encodes with the schema it registered`,
      contextOf(topic, schemaId),
      err,
    );
  }
  if (result.offset < 0)
    throw new AvroDecodeError(
      'truncated Avro body: the message ends before the record does',
      contextOf(topic, schemaId),
    );
  if (result.offset !== bytes.length) {
    throw new AvroDecodeError(
      `${bytes.length - result.offset} unexpected bytes after the Avro record: the writer used a different schema`,
      contextOf(topic, schemaId),
    );
  }
  return result.value;
}
