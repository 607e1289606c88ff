import type avsc from 'avsc';
import { loadContract } from '../../src/avro/contract.js';
import { parseSchema } from '../../src/avro/schema.js';

/**
 * Versions of the candidates schema for evolution tests: v1 is the shipped schema, v2 adds an
 * optional field (the compatible change docs/avro.md prescribes), and `incompatible` adds a
 * required field without a default (what BACKWARD must reject).
 */
type Json = Record<string, unknown>;

function withField(field: Json): Json {
  const v1 = loadContract().streamSchema('candidates') as Json;
  const fields = [...(v1.fields as Json[])];
  fields.splice(fields.length - 1, 0, field);
  return { ...v1, fields };
}

export const ADDED_FIELD = 'pronouns';

export function candidateVersions(): { v1: avsc.Type; v2: avsc.Type; incompatible: avsc.Type } {
  return {
    v1: loadContract().streamType('candidates'),
    v2: parseSchema(
      withField({ name: ADDED_FIELD, type: ['null', 'string'], default: null, doc: 'Added in v2.' }),
      'candidates v2',
    ),
    incompatible: parseSchema(
      withField({ name: 'mandatory', type: 'string', doc: 'Required, no default.' }),
      'candidates incompatible',
    ),
  };
}
