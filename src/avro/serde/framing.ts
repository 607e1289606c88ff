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
