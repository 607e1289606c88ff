import { AshbyKafkaError } from '../../src/errors.js';
import {
  AvroContractError,
  AvroDecodeError,
  AvroEncodeError,
  AvroMappingError,
  CommandInvalidError,
  RegistryAuthError,
  RegistryIncompatibleSchemaError,
  RegistryNotFoundError,
  RegistryRequestError,
  RegistryUnavailableError,
} from '../../src/avro/errors.js';

describe('Avro contract errors', () => {
  it.each([
    [new AvroContractError('x'), 'AvroContractError', 'AVRO_CONTRACT_INVALID', false],
    [
      new AvroMappingError('candidates record 1', 'a.b', 'is required but missing'),
      'AvroMappingError',
      'AVRO_MAPPING_FAILED',
      false,
    ],
    [
      new CommandInvalidError('candidate', 'name', 'is required for operation create'),
      'CommandInvalidError',
      'COMMAND_INVALID',
      false,
    ],
    [new AvroEncodeError('R', 'a', 'must be string, got 1'), 'AvroEncodeError', 'AVRO_ENCODE_FAILED', false],
    [new AvroDecodeError('corrupt'), 'AvroDecodeError', 'AVRO_DECODE_FAILED', false],
    [
      new RegistryUnavailableError('http://r', 'ECONNREFUSED'),
      'RegistryUnavailableError',
      'REGISTRY_UNAVAILABLE',
      true,
    ],
    [new RegistryAuthError('http://r', 401), 'RegistryAuthError', 'REGISTRY_AUTH_FAILED', false],
    [
      new RegistryIncompatibleSchemaError('t-value', 'BACKWARD', 'diff'),
      'RegistryIncompatibleSchemaError',
      'REGISTRY_INCOMPATIBLE_SCHEMA',
      false,
    ],
    [new RegistryNotFoundError('subject "t-value"'), 'RegistryNotFoundError', 'REGISTRY_NOT_FOUND', false],
    [new RegistryRequestError('register', 'HTTP 422'), 'RegistryRequestError', 'REGISTRY_REQUEST_FAILED', false],
  ] as const)('%s has name %s, code %s, retriable %s', (err, name, code, retriable) => {
    expect(err).toBeInstanceOf(AshbyKafkaError);
    expect(err).toMatchObject({ name, code, retriable });
  });

  it('say what to do', () => {
    expect(new AvroMappingError('candidates record 1', 'name', 'is required but missing').message).toBe(
      'candidates record 1: field name is required but missing. If Ashby changed this field, the schema in schemas/ needs a new version (see docs/avro.md "Evolving the contract").',
    );
    expect(new RegistryIncompatibleSchemaError('t-value', 'BACKWARD', 'diff').message).toContain(
      'add fields as optional with a default',
    );
    expect(new CommandInvalidError('job', 'jobId', 'is required for operation update').message).toBe(
      'job command: field jobId is required for operation update. See schemas/commands/job.avsc for the fields each operation takes.',
    );
  });
});
