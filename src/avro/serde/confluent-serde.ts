import type avsc from 'avsc';
import type { Contract } from '../contract.js';
import { AvroDecodeError, RegistryNotFoundError } from '../errors.js';
import { RegistryClient, type CompatibilityLevel } from '../registry/registry-client.js';
import { parseSchema, schemaTextOf } from '../schema.js';
import { decodeBody, encodeFramed, resolverFor, typeName } from './framing.js';
import type { ConfluentSerdeConfig, Serde, SerdeOptions, SubjectStrategy } from './serde.js';

/**
 * Confluent wire format: magic byte 0, the schema id (4 bytes, big-endian), the Avro body.
 * The first record of a (subject, schema) pair registers or looks the schema up (and sets the
 * subject's compatibility level); every later record is a header copy plus the body encoding,
 * with no await on the network. Writer schemas fetched by id are cached for the process.
 */
const MAGIC = 0;
const HEADER_LENGTH = 5;
const DEFAULT_COMPATIBILITY: CompatibilityLevel = 'BACKWARD';

export function subjectFor(strategy: SubjectStrategy, topic: string, type: avsc.Type, isKey: boolean): string {
  if (strategy === 'record') return (type as { name?: string }).name ?? (type as { typeName: string }).typeName;
  return `${topic}-${isKey ? 'key' : 'value'}`;
}

export function createConfluentSerde(
  config: ConfluentSerdeConfig,
  contract: Contract,
  options: SerdeOptions = {},
): Serde {
  const registry = new RegistryClient({
    url: config.registry.url,
    auth: config.registry.auth,
    timeoutMs: config.registry.timeoutMs,
    retry: config.registry.retry,
    logger: options.logger,
    onRetry: options.onRegistryRetry,
  });
  const strategy = config.subjectStrategy ?? 'topic';
  const compatibility = config.registry.compatibility ?? DEFAULT_COMPATIBILITY;
  const autoRegister = config.registry.autoRegister ?? true;
  const keyType = contract.keyType();

  /** type → subject → 5-byte header, once its id is known. */
  const headers = new WeakMap<avsc.Type, Map<string, Buffer>>();
  /** In-flight registrations, so concurrent first records share one request. */
  const pending = new Map<string, Promise<Buffer>>();
  const compatibilitySet = new Map<string, Promise<void>>();
  const writers = new Map<number, Promise<avsc.Type>>();
  /** Writer types already resolved, for decoding without waiting on a promise. */
  const knownWriters = new Map<number, avsc.Type>();

  const ensureCompatibility = (subject: string): Promise<void> => {
    let p = compatibilitySet.get(subject);
    if (!p) {
      p = registry.setCompatibility(subject, compatibility);
      compatibilitySet.set(subject, p);
      p.catch(() => compatibilitySet.delete(subject));
    }
    return p;
  };

  const resolveHeader = (subject: string, type: avsc.Type): Promise<Buffer> => {
    const key = `${subject}\u0000${schemaTextOf(type)}`;
    let p = pending.get(key);
    if (!p) {
      p = (async () => {
        const text = schemaTextOf(type);
        let id: number | undefined;
        if (autoRegister) {
          await ensureCompatibility(subject);
          id = await registry.register(subject, text);
        } else {
          id = await registry.lookup(subject, text);
          if (id === undefined) {
            throw new RegistryNotFoundError(
              `schema ${typeName(type)} under subject "${subject}" (registry.autoRegister is false, so ashby-kafka does not register schemas: register it first)`,
              { url: registry.url, details: { subject } },
            );
          }
        }
        const header = Buffer.alloc(HEADER_LENGTH);
        header.writeUInt8(MAGIC, 0);
        header.writeInt32BE(id, 1);
        let bySubject = headers.get(type);
        if (!bySubject) {
          bySubject = new Map();
          headers.set(type, bySubject);
        }
        bySubject.set(subject, header);
        // The writer schema for this id is the type itself: decoding our own messages needs no fetch.
        if (!writers.has(id)) {
          writers.set(id, Promise.resolve(type));
          knownWriters.set(id, type);
        }
        return header;
      })();
      pending.set(key, p);
      p.then(
        () => pending.delete(key),
        () => pending.delete(key),
      );
    }
    return p;
  };

  const encode = (topic: string, type: avsc.Type, value: unknown, isKey: boolean): Promise<Buffer> => {
    const subject = subjectFor(strategy, topic, type, isKey);
    const header = headers.get(type)?.get(subject);
    if (header) {
      try {
        return Promise.resolve(encodeFramed(type, header, value));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return resolveHeader(subject, type).then((h) => encodeFramed(type, h, value));
  };

  const writerSchema = (id: number, topic: string): Promise<avsc.Type> => {
    let p = writers.get(id);
    if (!p) {
      p = registry.schemaById(id).then((text) => {
        const type = parseSchema(JSON.parse(text) as Record<string, unknown>, `registry schema id ${id}`);
        if (writers.get(id) === p) knownWriters.set(id, type);
        return type;
      });
      writers.set(id, p);
      p.catch(() => writers.delete(id));
    }
    return p.catch((err: unknown) => {
      if ((err as { code?: string }).code === 'REGISTRY_NOT_FOUND') {
        throw new AvroDecodeError(
          `message on ${topic} names schema id ${id}, which the registry at ${registry.url} does not have`,
          { topic, schemaId: id },
          err,
        );
      }
      throw err;
    });
  };

  const decodeWith = (
    writer: avsc.Type,
    id: number,
    topic: string,
    bytes: Buffer,
    readerType: avsc.Type | undefined,
  ) => {
    const reader = readerType ?? writer;
    return decodeBody(reader, resolverFor(reader, writer), bytes, HEADER_LENGTH, topic, id);
  };

  /** A known writer decodes at once (no await per message); an unknown one is fetched first. */
  const decode = (topic: string, bytes: Buffer, readerType: avsc.Type | undefined): Promise<unknown> => {
    try {
      if (bytes.length < HEADER_LENGTH || bytes[0] !== MAGIC) {
        throw new AvroDecodeError(
          `message on ${topic} is not in Confluent wire format (it must start with byte 0 and a 4-byte schema id). Is the producer using single-object encoding or plain JSON?`,
          { topic, length: bytes.length },
        );
      }
      const id = bytes.readInt32BE(1);
      const writer = knownWriters.get(id);
      if (writer) return Promise.resolve(decodeWith(writer, id, topic, bytes, readerType));
      return writerSchema(id, topic).then((w) => decodeWith(w, id, topic, bytes, readerType));
    } catch (err) {
      return Promise.reject(err);
    }
  };

  const headerOf = async (topic: string, type: avsc.Type, isKey: boolean): Promise<Buffer> => {
    const subject = subjectFor(strategy, topic, type, isKey);
    return headers.get(type)?.get(subject) ?? (await resolveHeader(subject, type));
  };

  const encoder = async (topic: string, type: avsc.Type, isKey: boolean): Promise<(value: unknown) => Buffer> => {
    const header = await headerOf(topic, type, isKey);
    return (value) => encodeFramed(type, header, value);
  };

  return {
    encodeValue: (topic, type, value) => encode(topic, type, value, false),
    encodeKey: (topic, key) => encode(topic, keyType, key, true),
    valueEncoder: (topic, type) => encoder(topic, type, false),
    valueHeader: (topic, type) => headerOf(topic, type, false),
    keyEncoder: (topic) => encoder(topic, keyType, true) as Promise<(key: string) => Buffer>,
    decodeValue: (topic, bytes, readerType) => decode(topic, bytes, readerType),
    decodeKey: async (topic, bytes) => (await decode(topic, bytes, keyType)) as string,
    close: () => registry.close(),
  };
}
