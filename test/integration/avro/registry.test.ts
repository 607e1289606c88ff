import { loadContract, COMMAND_ENTITIES } from '../../../src/avro/contract.js';
import { createSerde } from '../../../src/avro/serde/create-serde.js';
import type { Serde } from '../../../src/avro/serde/serde.js';
import { RegistryClient } from '../../../src/avro/registry/registry-client.js';
import { RegistryIncompatibleSchemaError } from '../../../src/avro/errors.js';
import { canonicalFormOf, parseSchema, type AvroSchema } from '../../../src/avro/schema.js';
import { toStreamRecord } from '../../../src/avro/mapping/stream-mapping.js';
import { REGISTRY_URL, uniqueName } from '../../support/stack.js';
import { recordedRecords } from '../../avro/recorded.js';
import { ADDED_FIELD, candidateVersions } from '../../avro/evolution.js';
import { CANDIDATE, minimalValue } from '../../avro/samples.js';

/** Against the stack's real registry (Apicurio 3, Confluent-compatible API). Subjects are unique per run. */
const contract = loadContract();
const prefix = uniqueName('avro');
const topic = (stream: string) => `${prefix}.${stream}`;
let client: RegistryClient;
let serde: Serde;

beforeAll(() => {
  client = new RegistryClient({ url: REGISTRY_URL });
  serde = createSerde({ mode: 'confluent', registry: { url: REGISTRY_URL } }, contract);
});
afterAll(async () => {
  await serde.close();
  await client.close();
});

/** Every record's and field's doc and ashby.* attributes, by record full name and field name. */
function annotationsOf(schema: AvroSchema, namespace = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (Array.isArray(schema)) {
    for (const branch of schema) annotationsOf(branch as AvroSchema, namespace, out);
    return out;
  }
  if (typeof schema !== 'object' || schema === null) return out;
  const node = schema as Record<string, unknown>;
  const pick = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).filter(([k]) => k === 'doc' || k.startsWith('ashby.')));
  if (node.type === 'record' || node.type === 'enum' || node.type === 'fixed') {
    const name = String(node.name);
    const ns = name.includes('.')
      ? name.slice(0, name.lastIndexOf('.'))
      : ((node.namespace as string | undefined) ?? namespace);
    const full = name.includes('.') ? name : `${ns}.${name}`;
    out[full] = pick(node);
    for (const field of (node.fields as Array<Record<string, unknown>> | undefined) ?? []) {
      out[`${full}.${String(field.name)}`] = pick(field);
      annotationsOf(field.type as AvroSchema, ns, out);
    }
    return out;
  }
  if (node.type === 'array') return annotationsOf(node.items as AvroSchema, namespace, out);
  if (node.type === 'map') return annotationsOf(node.values as AvroSchema, namespace, out);
  if (typeof node.type === 'object') return annotationsOf(node.type as AvroSchema, namespace, out);
  return out;
}

describe('confluent mode with the real registry', () => {
  it('round-trips every recorded record deep-equal to its mapping, decoding with the schema fetched by id', async () => {
    const reader = createSerde({ mode: 'confluent', registry: { url: REGISTRY_URL } }, contract);
    for (const r of recordedRecords()) {
      const value = toStreamRecord(r.stream, r.record);
      const bytes = await serde.encodeValue(topic(r.stream), contract.streamType(r.stream), value);
      expect(bytes[0]).toBe(0);
      expect(await reader.decodeValue(topic(r.stream), bytes)).toEqual(value);
      expect(await reader.decodeValue(topic(r.stream), bytes, contract.streamType(r.stream))).toEqual(value);
    }
    await reader.close();
  });

  it('stores our schemas under <topic>-value (same canonical form; every record and field keeps its docs and ashby.* attributes), with BACKWARD compatibility', async () => {
    const key = await serde.encodeKey(topic('all'), 'x');
    expect(await serde.decodeKey(topic('all'), key)).toBe('x');
    const subjects: Array<[string, unknown]> = [[`${topic('all')}-key`, contract.keySchema()]];
    for (const stream of contract.streams()) {
      const t = topic(`s.${stream}`);
      const type = contract.streamType(stream);
      await serde.encodeValue(t, type, minimalValue(contract.streamSchema(stream)));
      subjects.push([`${t}-value`, contract.streamSchema(stream)]);
    }
    for (const entity of COMMAND_ENTITIES) {
      const t = topic(`c.${entity}`);
      const type = contract.commandType(entity);
      await serde.encodeValue(t, type, minimalValue(contract.commandSchema(entity)));
      subjects.push([`${t}-value`, contract.commandSchema(entity)]);
    }
    for (const [subject, schema] of subjects) {
      const stored = JSON.parse((await client.latest(subject)).schema) as AvroSchema;
      // A registry may normalise what carries no meaning for decoding (Apicurio 3.3 stores a
      // primitive with a doc as the bare primitive), so schemas are compared as a registry client
      // must compare them: by Parsing Canonical Form (equal fingerprints).
      expect({ subject, canonical: canonicalFormOf(parseSchema(stored)) }).toEqual({
        subject,
        canonical: canonicalFormOf(parseSchema(schema as AvroSchema)),
      });
      // Docs and ashby.* attributes carry no meaning for decoding, but consumers read them: they
      // must survive on every record and field (a redundant nested namespace may be dropped).
      expect({ subject, annotations: annotationsOf(stored) }).toEqual({
        subject,
        annotations: annotationsOf(schema as AvroSchema),
      });
      expect({ subject, level: await client.getCompatibility(subject) }).toEqual({ subject, level: 'BACKWARD' });
    }
  });

  it('registers under the record full name with the record strategy', async () => {
    const recordSerde = createSerde(
      { mode: 'confluent', registry: { url: REGISTRY_URL }, subjectStrategy: 'record' },
      contract,
    );
    const value = toStreamRecord('candidates', CANDIDATE);
    const bytes = await recordSerde.encodeValue(topic('any'), contract.streamType('candidates'), value);
    expect((await client.latest('io.ashbykafka.v1.Candidate')).id).toBe(bytes.readInt32BE(1));
    await recordSerde.close();
  });
});

describe('schema evolution through the registry', () => {
  const { v1, v2, incompatible } = candidateVersions();
  const record = toStreamRecord('candidates', CANDIDATE);

  it("accepts v2 (an added optional field) under BACKWARD; each version reads the other's data", async () => {
    const t = topic('evolve');
    const writer = createSerde({ mode: 'confluent', registry: { url: REGISTRY_URL } }, contract);
    const v1Bytes = await writer.encodeValue(t, v1, record);
    const v2Bytes = await writer.encodeValue(t, v2, { ...record, [ADDED_FIELD]: 'she/her' });
    expect(v2Bytes.readInt32BE(1)).not.toBe(v1Bytes.readInt32BE(1));
    expect((await client.latest(`${t}-value`)).version).toBe(2);

    const reader = createSerde({ mode: 'confluent', registry: { url: REGISTRY_URL } }, contract);
    expect(await reader.decodeValue(t, v1Bytes, v2)).toEqual({ ...record, [ADDED_FIELD]: null });
    expect(await reader.decodeValue(t, v2Bytes, v1)).toEqual(record);
    await Promise.all([writer.close(), reader.close()]);
  });

  it('is refused by the registry when a required field without default is added', async () => {
    const t = topic('incompatible');
    const writer = createSerde({ mode: 'confluent', registry: { url: REGISTRY_URL } }, contract);
    await writer.encodeValue(t, v1, record);
    const err = await writer.encodeValue(t, incompatible, { ...record, mandatory: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryIncompatibleSchemaError);
    expect(err).toMatchObject({ code: 'REGISTRY_INCOMPATIBLE_SCHEMA', retriable: false });
    expect((err as Error).message).toContain(`the schema for subject "${t}-value" is not BACKWARD-compatible`);
    expect((err as Error).message).toContain('mandatory');
    expect((await client.latest(`${t}-value`)).version).toBe(1);
    await writer.close();
  });
});
