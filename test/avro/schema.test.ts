import {
  canonicalFormOf,
  crc64Avro,
  findViolation,
  fingerprintOf,
  formatPath,
  parseSchema,
  schemaTextOf,
} from '../../src/avro/schema.js';
import { AvroContractError } from '../../src/avro/errors.js';

// Avro's own test vectors (apache/avro share/test/data/schema-tests.txt): input schema,
// Parsing Canonical Form, CRC-64-AVRO fingerprint as a signed 64-bit integer.
const VECTORS: Array<[unknown, string, bigint]> = [
  ['null', '"null"', 7195948357588979594n],
  ['boolean', '"boolean"', -6970731678124411036n],
  ['long', '"long"', -3434872931120570953n],
  ['string', '"string"', -8142146995180207161n],
  [{ type: 'string' }, '"string"', -8142146995180207161n],
  [
    { fields: [], type: 'record', name: 'foo', namespace: 'x.y' },
    '{"name":"x.y.foo","type":"record","fields":[]}',
    5916914534497305771n,
  ],
  [
    { fields: [], type: 'record', name: 'foo', doc: 'Useful info' },
    '{"name":"foo","type":"record","fields":[]}',
    -4824392279771201922n,
  ],
  [
    {
      fields: [
        { type: 'boolean', aliases: [], name: 'f1', default: true },
        { order: 'descending', name: 'f2', doc: 'Hello', type: 'int' },
      ],
      type: 'record',
      name: 'foo',
    },
    '{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"},{"name":"f2","type":"int"}]}',
    -4860222112080293046n,
  ],
  [
    { namespace: 'x.y.z', type: 'enum', name: 'foo', doc: 'foo bar', symbols: ['A1', 'A2'] },
    '{"name":"x.y.z.foo","type":"enum","symbols":["A1","A2"]}',
    -4448647247586288245n,
  ],
  [{ items: { type: 'null' }, type: 'array' }, '{"type":"array","items":"null"}', -589620603366471059n],
  [{ values: 'string', type: 'map' }, '{"type":"map","values":"string"}', -8732877298790414990n],
];

describe('canonical form and CRC-64-AVRO fingerprint', () => {
  it.each(VECTORS)('matches the Avro specification vector for %j', (schema, canonical, fingerprint) => {
    const type = parseSchema(schema as Record<string, unknown>);
    expect(canonicalFormOf(type)).toBe(canonical);
    expect(fingerprintOf(type).readBigInt64LE(0)).toBe(fingerprint);
  });

  it('strips logical types to their underlying primitive, as the [PRIMITIVES] rule requires', () => {
    const type = parseSchema({
      type: 'record',
      name: 'R',
      fields: [{ name: 't', type: { type: 'long', logicalType: 'timestamp-millis' } }],
    });
    expect(canonicalFormOf(type)).toBe('{"name":"R","type":"record","fields":[{"name":"t","type":"long"}]}');
  });

  it('fingerprints the empty input as the algorithm constant', () => {
    expect(crc64Avro(new Uint8Array()).readBigUInt64LE(0)).toBe(0xc15d213aa4d7a795n);
  });
});

describe('parseSchema', () => {
  it('keeps the exact schema JSON, docs and ashby.* attributes included, for the registry', () => {
    const json = {
      type: 'record',
      name: 'R',
      doc: 'd',
      fields: [{ name: 'a', type: 'string', doc: 'x', 'ashby.unset': 'null' }],
    };
    expect(JSON.parse(schemaTextOf(parseSchema(json)))).toEqual(json);
  });

  it('rejects an invalid schema with AVRO_CONTRACT_INVALID naming the source', () => {
    expect(() => parseSchema({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'nope' }] }, 'my.avsc')).toThrow(
      AvroContractError,
    );
    expect(() => parseSchema({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'nope' }] }, 'my.avsc')).toThrow(
      /my\.avsc is not a valid Avro schema/,
    );
  });
});

describe('findViolation', () => {
  const type = parseSchema({
    type: 'record',
    name: 'R',
    fields: [
      {
        name: 'items',
        type: { type: 'array', items: { type: 'record', name: 'I', fields: [{ name: 'title', type: 'string' }] } },
      },
      { name: 'at', type: ['null', { type: 'long', logicalType: 'timestamp-millis' }], default: null },
    ],
  });

  it('names the path of the first invalid value', () => {
    expect(findViolation(type, { items: [{ title: 'a' }, { title: 42 }], at: null })).toEqual({
      path: 'items[1].title',
      problem: 'must be string, got 42',
    });
    expect(findViolation(type, { items: [], at: '2024-01-01' })).toEqual({
      path: 'at',
      problem: 'must be null or a Date (timestamp-millis), got "2024-01-01"',
    });
  });

  it('reports undeclared fields only in strict mode', () => {
    expect(findViolation(type, { items: [], at: null, extra: 1 })).toBeUndefined();
    expect(findViolation(type, { items: [], at: null, extra: 1 }, true)).toEqual({
      path: '',
      problem: 'has fields the schema does not declare: extra',
    });
  });

  it('formats avsc paths with indexes', () => {
    expect(formatPath(['customFields', '0', 'title'])).toBe('customFields[0].title');
    expect(formatPath([])).toBe('');
  });
});
