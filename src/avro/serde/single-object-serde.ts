import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type avsc from 'avsc';
import type { Contract } from '../contract.js';
import { AvroDecodeError } from '../errors.js';
import { fingerprintOf, parseSchema, type AvroSchema } from '../schema.js';
import { decodeBody, encodeFramed, resolverFor } from './framing.js';
import type { Serde, SingleObjectSerdeConfig } from './serde.js';

/**
 * Avro single-object encoding (Avro specification, "Single-object encoding"): C3 01, the
 * CRC-64-AVRO fingerprint of the writer schema (8 bytes, little-endian), the body. Writer
 * schemas resolve by fingerprint among the contract's types, every .avsc below `schemasDir`
 * (keep older versions there, e.g. schemas/history/, to read old messages), and every type this
 * serde has encoded with.
 */
const MAGIC = Buffer.from([0xc3, 0x01]);
const HEADER_LENGTH = 10;

function* avscFiles(dir: string, skip: ReadonlySet<string>): Generator<string> {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (skip.has(path)) continue;
    if (statSync(path).isDirectory()) yield* avscFiles(path, skip);
    else if (name.endsWith('.avsc')) yield path;
  }
}

/** Whether `bytes` carry the fingerprint of `header` (bytes 2–9 of both). */
function sameFingerprint(bytes: Buffer, header: Buffer | undefined): boolean {
  if (!header) return false;
  for (let i = 2; i < HEADER_LENGTH; i++) if (bytes[i] !== header[i]) return false;
  return true;
}

export function createSingleObjectSerde(config: SingleObjectSerdeConfig, contract: Contract): Serde {
  const byFingerprint = new Map<string, avsc.Type>();
  const headers = new WeakMap<avsc.Type, Buffer>();

  const header = (type: avsc.Type): Buffer => {
    let h = headers.get(type);
    if (!h) {
      const fp = fingerprintOf(type);
      h = Buffer.concat([MAGIC, fp]);
      headers.set(type, h);
      const key = fp.toString('latin1');
      if (!byFingerprint.has(key)) byFingerprint.set(key, type);
    }
    return h;
  };

  for (const type of contract.allTypes()) header(type);
  // The contract's own files are already indexed above; parse only the rest (e.g. history/).
  const dir = resolve(config.schemasDir ?? contract.schemasDir);
  const own =
    dir === contract.schemasDir
      ? new Set(['key.avsc', 'streams', 'commands'].map((n) => join(dir, n)))
      : new Set<string>();
  for (const path of avscFiles(dir, own)) {
    const json = JSON.parse(readFileSync(path, 'utf8')) as AvroSchema;
    header(parseSchema(json, path));
  }
  const keyType = contract.keyType();
  // The writer of the last message decoded: a topic's messages mostly share one, so the next
  // lookup is an 8-byte comparison instead of a string key.
  let lastHeader: Buffer | undefined;
  let lastWriter: avsc.Type | undefined;

  const decode = (topic: string, bytes: Buffer, readerType: avsc.Type | undefined): unknown => {
    if (bytes.length < HEADER_LENGTH || bytes[0] !== MAGIC[0] || bytes[1] !== MAGIC[1]) {
      throw new AvroDecodeError(
        `message on ${topic} is not Avro single-object encoded (it must start with C3 01 and an 8-byte fingerprint). Is the producer using the confluent format?`,
        { topic, length: bytes.length },
      );
    }
    const writer = sameFingerprint(bytes, lastHeader)
      ? lastWriter
      : byFingerprint.get(bytes.toString('latin1', 2, HEADER_LENGTH));
    if (!writer) {
      const fingerprint = bytes.subarray(2, HEADER_LENGTH).toString('hex');
      throw new AvroDecodeError(
        `message on ${topic} was written with a schema this reader does not have (CRC-64-AVRO fingerprint ${fingerprint}). Add that .avsc under the schemas folder.`,
        { topic, fingerprint },
      );
    }
    lastHeader = headers.get(writer);
    lastWriter = writer;
    const reader = readerType ?? writer;
    return decodeBody(reader, resolverFor(reader, writer), bytes, HEADER_LENGTH, topic);
  };

  return {
    encodeValue(_topic, type, value) {
      try {
        return Promise.resolve(encodeFramed(type, header(type), value));
      } catch (err) {
        return Promise.reject(err);
      }
    },
    encodeKey(_topic, key) {
      try {
        return Promise.resolve(encodeFramed(keyType, header(keyType), key));
      } catch (err) {
        return Promise.reject(err);
      }
    },
    valueEncoder(_topic, type) {
      const h = header(type);
      return Promise.resolve((value: unknown) => encodeFramed(type, h, value));
    },
    valueHeader(_topic, type) {
      try {
        return Promise.resolve(header(type));
      } catch (err) {
        return Promise.reject(err);
      }
    },
    keyEncoder() {
      const h = header(keyType);
      return Promise.resolve((key: string) => encodeFramed(keyType, h, key));
    },
    decodeValue(topic, bytes, readerType) {
      try {
        return Promise.resolve(decode(topic, bytes, readerType));
      } catch (err) {
        return Promise.reject(err);
      }
    },
    decodeKey(topic, bytes) {
      try {
        return Promise.resolve(decode(topic, bytes, keyType) as string);
      } catch (err) {
        return Promise.reject(err);
      }
    },
    close: () => Promise.resolve(),
  };
}
