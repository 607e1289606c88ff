export { COMMAND_ENTITIES, DEFAULT_SCHEMAS_DIR, loadContract, type CommandEntity, type Contract } from './contract.js';
export {
  AvroContractError,
  AvroDecodeError,
  AvroEncodeError,
  AvroMappingError,
  CommandInvalidError,
  RegistryAuthError,
  RegistryError,
  RegistryIncompatibleSchemaError,
  RegistryNotFoundError,
  RegistryRequestError,
  RegistryUnavailableError,
} from './errors.js';
export { createStreamMapper, fromStreamRecord, toStreamRecord, type StreamMapper } from './mapping/stream-mapping.js';
export { createSerde } from './serde/create-serde.js';
export { encodeFramed, frameBody } from './serde/framing.js';
export type { BodyWriter, ByteWriter } from './byte-writer.js';
export {
  type ConfluentSerdeConfig,
  type Serde,
  type SerdeConfig,
  type SingleObjectSerdeConfig,
  type SubjectStrategy,
} from './serde/serde.js';
export { subjectFor } from './serde/confluent-serde.js';
export {
  RegistryClient,
  type CompatibilityLevel,
  type RegistryAuth,
  type RegistryClientOptions,
  type RegistryRetryObserver,
} from './registry/registry-client.js';
export {
  canonicalFormOf,
  crc64Avro,
  fingerprintOf,
  parseSchema,
  schemaJsonOf,
  schemaTextOf,
  type AvroSchema,
} from './schema.js';
export { CATCH_ALL_FIELD } from './naming.js';
