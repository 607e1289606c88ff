import avsc from 'avsc';
import { parseSchema } from '../../src/avro/schema.js';
import { daysFromIsoDate, isoDateFromDays } from '../../src/avro/logical-types.js';

const record = (type: unknown) => parseSchema({ type: 'record', name: 'R', fields: [{ name: 'v', type }] });

describe('timestamp-millis', () => {
  const type = record({ type: 'long', logicalType: 'timestamp-millis' });

  it('encodes a Date as epoch milliseconds and decodes it back', () => {
    const at = new Date('2024-02-04T21:38:12.466Z');
    const bytes = type.toBuffer({ v: at });
    expect(
      avsc.Type.forSchema({ type: 'record', name: 'R', fields: [{ name: 'v', type: 'long' }] }).fromBuffer(bytes),
    ).toEqual({ v: at.getTime() });
    expect(type.fromBuffer(bytes).v).toEqual(at);
  });

  it('rejects strings, numbers and invalid dates', () => {
    expect(type.isValid({ v: '2024-02-04T21:38:12.466Z' })).toBe(false);
    expect(type.isValid({ v: 1707082692466 })).toBe(false);
    expect(type.isValid({ v: new Date('nope') })).toBe(false);
    expect(() => type.toBuffer({ v: 'x' })).toThrow();
  });

  it('reads data written as a plain long', () => {
    const writer = avsc.Type.forSchema({ type: 'record', name: 'R', fields: [{ name: 'v', type: 'long' }] });
    const value = type.fromBuffer(writer.toBuffer({ v: 86_400_000 }), type.createResolver(writer));
    expect(value.v).toEqual(new Date('1970-01-02T00:00:00.000Z'));
  });
});

describe('date', () => {
  const type = record({ type: 'int', logicalType: 'date' });

  it('encodes YYYY-MM-DD as days since the epoch', () => {
    const plain = avsc.Type.forSchema({ type: 'record', name: 'R', fields: [{ name: 'v', type: 'int' }] });
    expect(plain.fromBuffer(type.toBuffer({ v: '1970-01-11' }))).toEqual({ v: 10 });
    expect(type.fromBuffer(type.toBuffer({ v: '2022-07-22' }))).toEqual({ v: '2022-07-22' });
    expect(type.fromBuffer(type.toBuffer({ v: '1969-12-31' }))).toEqual({ v: '1969-12-31' });
  });

  it('rejects impossible dates instead of rolling them over', () => {
    expect(daysFromIsoDate('2024-02-30')).toBeUndefined();
    expect(daysFromIsoDate('2024-2-3')).toBeUndefined();
    expect(daysFromIsoDate('2024-02-29')).toBe(19782);
    expect(isoDateFromDays(19782)).toBe('2024-02-29');
    expect(type.isValid({ v: '2024-02-30' })).toBe(false);
    expect(type.isValid({ v: new Date() })).toBe(false);
  });
});

describe('json', () => {
  const type = record(['null', { type: 'string', logicalType: 'json' }]);

  it('carries any JSON value as its text', () => {
    const plain = avsc.Type.forSchema({ type: 'record', name: 'R', fields: [{ name: 'v', type: ['null', 'string'] }] });
    const value = { a: [1, 'two', { three: true }], b: null };
    expect(plain.fromBuffer(type.toBuffer({ v: value }))).toEqual({ v: JSON.stringify(value) });
    for (const v of [value, 'text', 42, false, [1, 2]]) expect(type.fromBuffer(type.toBuffer({ v })).v).toEqual(v);
  });

  it('keeps null as the union null, not the JSON text "null"', () => {
    const bytes = type.toBuffer({ v: null });
    expect(bytes).toEqual(Buffer.from([0]));
    expect(type.fromBuffer(bytes).v).toBeNull();
  });
});
