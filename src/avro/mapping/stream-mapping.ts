import type { BodyWriter } from '../byte-writer.js';
import { loadContract, type Contract } from '../contract.js';
import { AvroMappingError } from '../errors.js';
import { formatPath } from '../schema.js';
import { compileSchema } from './compile.js';
import { NO_FIT, type Notes } from './converters.js';
import { compileDirectWriter } from './direct-writer.js';
import { compileRawWriter, type RawBodyWriter } from './raw-writer.js';

/**
 * Ashby JSON ⇄ Avro value for the source streams. Pure and lossless:
 * `fromStreamRecord(s, toStreamRecord(s, x))` deep-equals `x` for every record Ashby sends,
 * including fields this schema version does not know (they travel in the catch-all).
 */
export interface StreamMapper {
  toStreamRecord(stream: string, ashby: Record<string, unknown>): Record<string, unknown>;
  /**
   * Writes the Avro body of toStreamRecord's value straight from the JSON, for the records
   * whose catch-alls stay empty; declines (false) the others (direct-writer.ts).
   */
  bodyWriter(stream: string): BodyWriter;
  /**
   * The same from the record's JSON bytes, without parsing them; declines (false) whatever the
   * body writer declines, and more (raw-writer.ts).
   */
  rawWriter(stream: string): RawBodyWriter;
  fromStreamRecord(stream: string, value: Record<string, unknown>): Record<string, unknown>;
}

export function createStreamMapper(contract: Contract): StreamMapper {
  const converter = perStream((stream) =>
    compileSchema(contract.streamSchema(stream), `schemas/streams/${stream}.avsc`),
  );
  const bodyWriter = perStream((stream) => compileDirectWriter(converter(stream)));
  const rawWriter = perStream((stream) => compileRawWriter(converter(stream)));

  return {
    toStreamRecord(stream, ashby) {
      const notes: Notes = { keepRaw: false, failPath: [], failProblem: '' };
      const out = converter(stream).toAvro(ashby, notes);
      if (out === NO_FIT) {
        const id = typeof ashby?.id === 'string' ? ashby.id : undefined;
        throw new AvroMappingError(
          `${stream} record${id ? ` ${id}` : ''}`,
          formatPath(notes.failPath),
          notes.failProblem,
          { stream, ...(id ? { id } : {}) },
        );
      }
      return out as Record<string, unknown>;
    },
    fromStreamRecord(stream, value) {
      return converter(stream).fromAvro(value) as Record<string, unknown>;
    },
    rawWriter,
    bodyWriter,
  };
}

/** `make(stream)`, made once per stream and kept (compiled on the stream's first use). */
function perStream<T>(make: (stream: string) => T): (stream: string) => T {
  const made = new Map<string, T>();
  return (stream) => {
    let value = made.get(stream);
    if (value === undefined) {
      value = make(stream);
      made.set(stream, value);
    }
    return value;
  };
}

let defaultMapper: StreamMapper | undefined;

function mapper(): StreamMapper {
  defaultMapper ??= createStreamMapper(loadContract());
  return defaultMapper;
}

/** Ashby JSON (one `results` item) → the Avro value of the stream's topic (package schemas). */
export function toStreamRecord(stream: string, ashby: Record<string, unknown>): Record<string, unknown> {
  return mapper().toStreamRecord(stream, ashby);
}

/** The inverse of toStreamRecord: gives back Ashby's JSON exactly. */
export function fromStreamRecord(stream: string, value: Record<string, unknown>): Record<string, unknown> {
  return mapper().fromStreamRecord(stream, value);
}
