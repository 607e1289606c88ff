import { createSerde } from '../../src/avro/serde/create-serde.js';
import type { Serde } from '../../src/avro/serde/serde.js';
import { loadContract } from '../../src/avro/contract.js';
import { AvroDecodeError, AvroEncodeError } from '../../src/avro/errors.js';
import { toStreamRecord } from '../../src/avro/mapping/stream-mapping.js';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprintOf, parseSchema, schemaTextOf } from '../../src/avro/schema.js';
import { recordedRecords } from './recorded.js';
import { ADDED_FIELD, candidateVersions } from './evolution.js';
import { APPLICATION, CANDIDATE } from './samples.js';

const contract = loadContract();
let serde: Serde;

beforeAll(() => {
  serde = createSerde({ mode: 'single-object' }, contract);
});

afterAll(() => serde.close());

describe('single-object encoding', () => {
  it('frames the body as C3 01 + CRC-64-AVRO fingerprint (little-endian) + Avro binary', async () => {
    const type = contract.streamType('applications');
    const value = toStreamRecord('applications', APPLICATION);
    const bytes = await serde.encodeValue('ashby.applications', type, value);
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0xc3, 0x01]));
    expect(bytes.subarray(2, 10)).toEqual(fingerprintOf(type));
    expect(bytes.subarray(10)).toEqual(type.toBuffer(value));
  });

  it('round-trips every recorded record deep-equal to its mapping', async () => {
    for (const r of recordedRecords()) {
      const type = contract.streamType(r.stream);
      const value = toStreamRecord(r.stream, r.record);
      const decoded = await serde.decodeValue(
        `ashby.${r.stream}`,
        await serde.encodeValue(`ashby.${r.stream}`, type, value),
      );
      expect(decoded).toEqual(value);
    }
  });

  it('encodes keys with key.avsc', async () => {
    const bytes = await serde.encodeKey('ashby.candidates', 'abc');
    expect(bytes.subarray(2, 10)).toEqual(fingerprintOf(contract.keyType()));
    expect(await serde.decodeKey('ashby.candidates', bytes)).toBe('abc');
  });

  it('rejects an invalid value naming the field path', async () => {
    const value = toStreamRecord('candidates', CANDIDATE);
    const bad = {
      ...value,
      emailAddresses: [{ value: 'x@example.com', type: 'Work', isPrimary: 'yes', additionalProperties: null }],
    };
    const err = await serde.encodeValue('t', contract.streamType('candidates'), bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AvroEncodeError);
    expect(err).toMatchObject({ code: 'AVRO_ENCODE_FAILED', retriable: false, path: 'emailAddresses[0].isPrimary' });
    expect((err as Error).message).toBe(
      'cannot encode io.ashbykafka.v1.Candidate: field emailAddresses[0].isPrimary must be boolean, got "yes"',
    );
    const missing = await serde
      .encodeValue('t', contract.streamType('candidates'), { ...value, name: undefined })
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({
      path: 'name',
      message: expect.stringContaining('field name must be string, got nothing (the field is missing)'),
    });
  });

  it.each([
    ['bytes without the magic', Buffer.from([0x00, 0, 0, 0, 1, 2]), /is not Avro single-object encoded/],
    [
      'an unknown fingerprint',
      Buffer.from([0xc3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0]),
      /schema this reader does not have \(CRC-64-AVRO fingerprint 0102030405060708\)/,
    ],
    [
      'a truncated body',
      Buffer.concat([Buffer.from([0xc3, 0x01]), fingerprintOf(loadContract().keyType()), Buffer.from([20, 0x61])]),
      /truncated Avro body/,
    ],
    [
      'trailing bytes',
      Buffer.concat([Buffer.from([0xc3, 0x01]), fingerprintOf(loadContract().keyType()), Buffer.from([2, 0x61, 0xff])]),
      /1 unexpected bytes after the Avro record/,
    ],
  ])('throws AvroDecodeError (not retriable, for the dead-letter topic) for %s', async (_, bytes, message) => {
    const err = await serde.decodeValue('ashby.commands', bytes).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AvroDecodeError);
    expect(err).toMatchObject({ code: 'AVRO_DECODE_FAILED', retriable: false });
    expect((err as Error).message).toMatch(message);
  });
});

describe('schema evolution', () => {
  const { v1, v2 } = candidateVersions();
  const record = toStreamRecord('candidates', CANDIDATE);

  it('reads v1 data with the v2 reader: the added optional field is null', async () => {
    const decoded = (await serde.decodeValue('t', await serde.encodeValue('t', v1, record), v2)) as Record<
      string,
      unknown
    >;
    expect(decoded).toEqual({ ...record, [ADDED_FIELD]: null });
  });

  it('reads v2 data with the v1 reader: the added field is skipped', async () => {
    const decoded = await serde.decodeValue(
      't',
      await serde.encodeValue('t', v2, { ...record, [ADDED_FIELD]: 'she/her' }),
      v1,
    );
    expect(decoded).toEqual(record);
  });

  it('finds a writer schema another process used among the .avsc files of schemasDir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'avro-history-'));
    const bytes = await createSerde({ mode: 'single-object' }, contract).encodeValue('t', v2, {
      ...record,
      [ADDED_FIELD]: 'they/them',
    });
    await expect(
      createSerde({ mode: 'single-object', schemasDir: dir }, contract).decodeValue('t', bytes),
    ).rejects.toThrow(/does not have/);
    mkdirSync(join(dir, 'history'));
    writeFileSync(join(dir, 'history', 'candidates-v2.avsc'), schemaTextOf(v2));
    const reader = createSerde({ mode: 'single-object', schemasDir: dir }, contract);
    expect(await reader.decodeValue('t', bytes, v1)).toEqual(record);
  });

  it('refuses incompatible schemas with a decode error', async () => {
    const writer = parseSchema({
      type: 'record',
      name: 'io.ashbykafka.v1.Candidate',
      fields: [{ name: 'id', type: 'int' }],
    });
    const bytes = await serde.encodeValue('t', writer, { id: 1 });
    await expect(serde.decodeValue('t', bytes, v1)).rejects.toThrow(/cannot be read as io\.ashbykafka\.v1\.Candidate/);
  });
});
