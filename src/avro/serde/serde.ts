import type avsc from 'avsc';
import type { Logger } from '../../log/logger.js';
import type {
  RegistryRetry,
  CompatibilityLevel,
  RegistryAuth,
  RegistryRetryObserver,
} from '../registry/registry-client.js';

/**
 * Turning Avro values into Kafka message bytes and back, in one of two wire formats chosen by
 * config (docs/avro.md "Wire formats"):
 * - `confluent`: 0x00, a 4-byte big-endian schema id from a schema registry, the Avro body.
 *   What Kafka Connect, Flink, Spark, ksqlDB and confluent-kafka-python read.
 * - `single-object`: Avro's own single-object encoding, 0xC3 0x01, the 8-byte CRC-64-AVRO
 *   fingerprint of the writer schema (little-endian), the body. For users with no registry;
 *   readers find the writer schema by fingerprint among the .avsc files they have.
 */
export type SubjectStrategy = 'topic' | 'record';

export interface ConfluentSerdeConfig {
  mode: 'confluent';
  registry: {
    url: string;
    auth?: RegistryAuth;
    /** Set on every subject this serde registers to. Default BACKWARD. */
    compatibility?: CompatibilityLevel;
    /** false: only look schemas up (someone else registers them). Default true. */
    autoRegister?: boolean;
    /** One attempt's deadline and the retries of failed attempts; see RegistryClientOptions. */
    timeoutMs?: number | undefined;
    retry?: RegistryRetry | undefined;
  };
  /** `topic`: `<topic>-value` / `<topic>-key` (default). `record`: the record's full name. */
  subjectStrategy?: SubjectStrategy;
}

export interface SingleObjectSerdeConfig {
  mode: 'single-object';
  /** Where writer schemas are looked up by fingerprint (every .avsc below it). Default: the contract's folder. */
  schemasDir?: string;
}

export type SerdeConfig = ConfluentSerdeConfig | SingleObjectSerdeConfig;

/** What a serde is given besides its config. */
export interface SerdeOptions {
  /** Where registry retries are logged. */
  logger?: Logger | undefined;
  /** Told of each registry retry (service mode's `ashby_kafka_registry_retries_total`). */
  onRegistryRetry?: RegistryRetryObserver | undefined;
}

export interface Serde {
  /** Validates and encodes; throws AvroEncodeError naming the field path. */
  encodeValue(topic: string, type: avsc.Type, value: unknown): Promise<Buffer>;
  encodeKey(topic: string, key: string): Promise<Buffer>;
  /**
   * The synchronous encoder of `encodeValue` for one topic and type, for encoding many records:
   * resolves once the schema is known (registered or looked up on first use), then each call
   * only encodes. Throws AvroEncodeError like encodeValue.
   */
  valueEncoder(topic: string, type: avsc.Type): Promise<(value: unknown) => Buffer>;
  /**
   * The bytes every value message of this topic and type starts with (Confluent: the magic byte
   * and the schema id; single-object: the marker and the fingerprint), for callers that write
   * the Avro body themselves (framing.ts `frameBody`). Registers or looks up the schema on first use.
   */
  valueHeader(topic: string, type: avsc.Type): Promise<Buffer>;
  /** The synchronous encoder of `encodeKey` for one topic. */
  keyEncoder(topic: string): Promise<(key: string) => Buffer>;
  /**
   * Decodes, resolving the writer schema against `readerType` (default: the writer schema
   * itself). Throws AvroDecodeError (AVRO_DECODE_FAILED, not retriable) for bytes that cannot
   * be decoded; registry outages are RegistryUnavailableError (retriable) instead.
   */
  decodeValue(topic: string, bytes: Buffer, readerType?: avsc.Type): Promise<unknown>;
  decodeKey(topic: string, bytes: Buffer): Promise<string>;
  close(): Promise<void>;
}
