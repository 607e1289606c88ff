import avsc from 'avsc';
import type { BodyWriter } from '../../src/avro/byte-writer.js';
import { AvroEncodeError } from '../../src/avro/errors.js';
import { PageValues, encodeFramed } from '../../src/avro/serde/framing.js';

/**
 * PageValues (src/avro/serde/framing.ts): a page's framed values in one Buffer, record i at
 * `ends[i - 1] ?? 0` to `ends[i]`, each the bytes `encodeFramed` gives that record alone.
 */
const type = avsc.Type.forSchema({
  type: 'record',
  name: 'Row',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'n', type: 'long' },
  ],
});
const HEADER = Buffer.from([0, 0, 0, 0, 7]);

/** A body writer that writes what avsc would for rows whose id is not 'decline'. */
const writeRow: BodyWriter<{ id: string; n: number }> = (row, w) => {
  if (row.id === 'decline') return false;
  const body = type.toBuffer(row);
  if (w.pos + body.length <= w.buf.length) body.copy(w.buf, w.pos);
  w.pos += body.length;
  return true;
};

function slices(values: Buffer, ends: readonly number[]): Buffer[] {
  return ends.map((end, i) => values.subarray(i === 0 ? 0 : ends[i - 1], end));
}

describe('PageValues', () => {
  it('keeps each record’s framed bytes, by either path, one after another', () => {
    const rows = [
      { id: 'a', n: 1 },
      { id: 'b', n: -2 },
      { id: 'c', n: 3 },
    ];
    const page = new PageValues();
    expect(page.addBody(HEADER, writeRow, rows[0]!)).toBe(true);
    page.addEncoded(type, HEADER, rows[1]);
    expect(page.addBody(HEADER, writeRow, rows[2]!)).toBe(true);
    const values = page.finish();
    expect(slices(values, page.ends)).toEqual(rows.map((r) => encodeFramed(type, HEADER, r)));
    expect(values.length).toBe(page.ends[2]);
  });

  it('adds nothing for a declined record, and the next one starts where it would have', () => {
    const page = new PageValues();
    page.addEncoded(type, HEADER, { id: 'a', n: 1 });
    expect(page.addBody(HEADER, writeRow, { id: 'decline', n: 0 })).toBe(false);
    page.addEncoded(type, HEADER, { id: 'b', n: 2 });
    const values = page.finish();
    expect(page.ends).toHaveLength(2);
    expect(slices(values, page.ends)[1]).toEqual(encodeFramed(type, HEADER, { id: 'b', n: 2 }));
  });

  it('grows past its scratch without losing the records before (both paths)', () => {
    // Records larger than the 256 KiB scratch, by each path, after small ones.
    const big = (c: string): { id: string; n: number } => ({ id: c.repeat(300_000), n: 5 });
    const rows = [{ id: 'a', n: 1 }, big('x'), { id: 'b', n: 2 }, big('y'), big('z')];
    const page = new PageValues();
    rows.forEach((r, i) => {
      if (i % 2 === 0) page.addEncoded(type, HEADER, r);
      else expect(page.addBody(HEADER, writeRow, r)).toBe(true);
    });
    const values = page.finish();
    // Buffer.equals: Jest's deep equality walks a large Buffer byte by byte.
    const expected = rows.map((r) => encodeFramed(type, HEADER, r));
    expect(slices(values, page.ends).map((v, i) => v.equals(expected[i]!))).toEqual(rows.map(() => true));
  });

  it('reports an invalid value as an AvroEncodeError, and the page can be abandoned and another opened', () => {
    const page = new PageValues();
    expect(() => page.addEncoded(type, HEADER, { id: 'a', n: 'one' })).toThrow(AvroEncodeError);
    page.abandon();
    const next = new PageValues();
    next.addEncoded(type, HEADER, { id: 'a', n: 1 });
    expect(next.finish()).toEqual(encodeFramed(type, HEADER, { id: 'a', n: 1 }));
  });

  it('refuses a second page while one is being written (they share one scratch)', () => {
    const page = new PageValues();
    expect(() => new PageValues()).toThrow(/already being written/);
    page.finish();
    expect(() => new PageValues().finish()).not.toThrow();
  });
});
