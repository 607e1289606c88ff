import type avsc from 'avsc';
import type { BodyWriter, ByteWriter } from '../byte-writer.js';
import { InternalError } from '../../errors.js';
import { AvroDecodeError, AvroEncodeError } from '../errors.js';
import { canonicalFormOf, findViolation } from '../schema.js';

/**
 * The per-record work of both serde modes: write a header and the Avro body into one buffer,
 * and read a body back, resolving the writer schema against the reader's. The hot path is one
 * `type.encode` (or a body writer) into a reused scratch buffer plus one copy out, like avsc's
 * own toBuffer (which, with its 1 KiB buffer, encodes a larger record twice).
 */
export type Resolver = ReturnType<avsc.Type['createResolver']>;

export function typeName(type: avsc.Type): string {
  return (type as { name?: string }).name ?? (type as { typeName: string }).typeName;
}

/**
 * A reused buffer that framed records are written into, one after another from `pos`. A write
 * that runs past its end only advances `pos` (ByteWriter): the buffer then grows, keeping the
 * records before the one being written, and that record is written again.
 */
class Scratch implements ByteWriter {
  pos = 0;

  constructor(public buf: Buffer) {}

  /** header + what `write` writes for `json`, from `pos`; false (and `pos` back) when it declines. */
  frame<T>(header: Buffer, write: BodyWriter<T>, json: T): boolean {
    const start = this.pos;
    for (;;) {
      this.writeHeader(header, start);
      if (!write(json, this)) {
        this.pos = start;
        return false;
      }
      if (this.pos <= this.buf.length) return true;
      this.grow(start, this.pos);
    }
  }

  /** header + avsc's encoding of `value`, from `pos`. Throws AvroEncodeError naming the first invalid field. */
  encode(type: avsc.Type, header: Buffer, value: unknown): void {
    const start = this.pos;
    for (;;) {
      this.writeHeader(header, start);
      let end: number;
      try {
        end = type.encode(value, this.buf, this.pos);
      } catch (err) {
        this.pos = start;
        throw encodeError(type, value, err);
      }
      if (end >= 0) {
        this.pos = end;
        return;
      }
      // encode returns minus the missing byte count when the buffer is too small.
      this.grow(start, this.buf.length - end);
    }
  }

  /** The bytes from `from` to `pos`, in a Buffer of their own. */
  copyOut(from: number): Buffer {
    const out = Buffer.allocUnsafe(this.pos - from);
    this.buf.copy(out, 0, from, this.pos);
    return out;
  }

  /** Writes the header at `start` (growing first when it does not fit) and leaves `pos` after it. */
  private writeHeader(header: Buffer, start: number): void {
    const h = header.length;
    if (start + h > this.buf.length) this.grow(start, start + h);
    const buf = this.buf;
    // The header (5 or 10 bytes) is written byte by byte: a native copy costs more.
    for (let i = 0; i < h; i++) buf[start + i] = header[i]!;
    this.pos = start + h;
  }

  /** A buffer of at least `need` bytes that keeps the bytes before `keep`; `pos` goes back to `keep`. */
  private grow(keep: number, need: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, need));
    this.buf.copy(next, 0, 0, keep);
    this.buf = next;
    this.pos = keep;
  }
}

/** One record at a time: encodeFramed and frameBody. */
const recordScratch = new Scratch(Buffer.allocUnsafe(64 * 1024));

/** header + Avro body of `value`. Throws AvroEncodeError naming the first invalid field. */
export function encodeFramed(type: avsc.Type, header: Buffer, value: unknown): Buffer {
  recordScratch.pos = 0;
  recordScratch.encode(type, header, value);
  return recordScratch.copyOut(0);
}

/**
 * header + the Avro body that `write` writes for `json`, or undefined when it declines. The
 * body writer must write exactly what `type.encode` of the value would (mapping/direct-writer.ts).
 */
export function frameBody<T>(header: Buffer, write: BodyWriter<T>, json: T): Buffer | undefined {
  recordScratch.pos = 0;
  return recordScratch.frame(header, write, json) ? recordScratch.copyOut(0) : undefined;
}

/** Where a page's values are written before they are copied out together (PageValues). */
const INITIAL_PAGE_SCRATCH = 256 * 1024;
/** A page scratch grown past this (a page of very large records) is let go once that page is done. */
const MAX_KEPT_PAGE_SCRATCH = 4 * 1024 * 1024;
const pageScratch = new Scratch(Buffer.allocUnsafe(INITIAL_PAGE_SCRATCH));
/** Whether a PageValues is writing into pageScratch. */
let pageScratchInUse = false;

/**
 * The framed values of a page's records, written one after another and then copied out into
 * one Buffer: `values.subarray(ends[i - 1] ?? 0, ends[i])` is record i. A page waiting to be
 * produced is then one Buffer and its offsets, not a Buffer per record that V8 tracks until
 * librdkafka has copied it.
 *
 * Every page shares one scratch buffer, so a page must be written from its first `add` to
 * `finish` (or `abandon`) in one synchronous step; opening a second page before that throws.
 */
export class PageValues {
  readonly ends: number[] = [];
  private open = true;

  constructor() {
    if (pageScratchInUse) throw new InternalError('a page of Avro values is already being written');
    pageScratchInUse = true;
    pageScratch.pos = 0;
  }

  /** header + what `write` writes for `json`; false when it declines (nothing is added). */
  addBody<T>(header: Buffer, write: BodyWriter<T>, json: T): boolean {
    if (!pageScratch.frame(header, write, json)) return false;
    this.ends.push(pageScratch.pos);
    return true;
  }

  /** header + avsc's encoding of `value`. Throws AvroEncodeError naming the first invalid field. */
  addEncoded(type: avsc.Type, header: Buffer, value: unknown): void {
    pageScratch.encode(type, header, value);
    this.ends.push(pageScratch.pos);
  }

  /** The values, in one Buffer of their exact length; the scratch is free for the next page. */
  finish(): Buffer {
    const out = pageScratch.copyOut(0);
    this.abandon();
    return out;
  }

  /** Frees the scratch without a result (the page failed). */
  abandon(): void {
    if (!this.open) return;
    this.open = false;
    pageScratchInUse = false;
    if (pageScratch.buf.length > MAX_KEPT_PAGE_SCRATCH) pageScratch.buf = Buffer.allocUnsafe(INITIAL_PAGE_SCRATCH);
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
