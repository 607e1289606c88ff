import { loadContract } from '../../src/avro/contract.js';
import { compileSchema } from '../../src/avro/mapping/compile.js';
import { compileDirectWriter } from '../../src/avro/mapping/direct-writer.js';
import { compileRawWriter } from '../../src/avro/mapping/raw-writer.js';
import { createStreamMapper } from '../../src/avro/mapping/stream-mapping.js';
import { parseSchema } from '../../src/avro/schema.js';
import { frameBody } from '../../src/avro/serde/framing.js';
import { JsonSlice } from '../../src/json/bytes.js';
import { STREAM_SPECS } from '../../tools/avro-generate/stream-specs.js';
import { fixture } from '../sandbox/helpers/sandbox-fixture.js';
import { firstPageBody } from '../support/stream-bodies.js';
import { alterationBases, seeded, valuePaths } from './alterations.js';
import { recordedRecords } from './recorded.js';
import { APPLICATION, CANDIDATE, EVERY_TYPE_SCHEMA, EVERY_TYPE_VALUE } from './samples.js';

/**
 * The raw writer (src/avro/mapping/raw-writer.ts) against the direct writer given JSON.parse of
 * the same bytes: whenever the raw writer writes a record, the JSON is valid and the bytes are
 * the direct writer's; it never writes a record the direct writer declines. And it declines no
 * plain record (compact or indented, keys in the schema's order or not).
 */
const contract = loadContract();
const mapper = createStreamMapper(contract);
const HEADER = Buffer.from([0, 0, 0, 0, 42]);

type Json = Record<string, unknown>;

/** A slice of `text` placed inside other bytes, as an element of a page is. */
function sliceOf(text: string | Buffer): JsonSlice {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const before = Buffer.from('{"results":[');
  const src = Buffer.concat([before, bytes, Buffer.from(',{"id":"next"}]}')]);
  return new JsonSlice(src, before.length, before.length + bytes.length);
}

/** Checks the raw writer on `text`; returns whether it wrote the record. */
function agree(stream: string, text: string | Buffer): boolean {
  const raw = frameBody(HEADER, mapper.rawWriter(stream), sliceOf(text));
  if (!raw) return false;
  const source = typeof text === 'string' ? text : text.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch (err) {
    throw new Error(`${stream}: the raw writer wrote bytes that are not JSON (${(err as Error).message}): ${source}`, {
      cause: err,
    });
  }
  const direct = frameBody(HEADER, mapper.bodyWriter(stream), parsed);
  if (!direct) throw new Error(`${stream}: the raw writer wrote a record the direct writer declines: ${source}`);
  if (!direct.equals(raw))
    throw new Error(`${stream}: the raw writer wrote other bytes than the direct writer: ${source}`);
  return true;
}

/** The object's text with whitespace around its own members (its values compact, as free-form JSON must be). */
function spaced(o: Json): string {
  return `{\n${Object.entries(o)
    .map(([k, v]) => `  ${JSON.stringify(k)} :\t${JSON.stringify(v)}`)
    .join(' ,\r\n')}\n}`;
}

/** The same object with its keys in reverse order, at every depth. */
function reversed(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversed);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .reverse()
        .map(([k, x]) => [k, reversed(x)]),
    );
  return v;
}

describe('raw writer', () => {
  it('writes every sandbox record of every stream, compact, spaced out or with its keys reversed, as the direct writer does', async () => {
    const sandbox = fixture({ scale: 60, seed: 11 });
    const counts: Record<string, number> = {};
    const unexpected: string[] = [];
    for (const spec of STREAM_SPECS) {
      const { body, parent } = await firstPageBody(spec.stream, (e, b) => sandbox.ok(e, b).results as Json[]);
      for (const raw of sandbox.all(spec.endpoint, { limit: 100, ...body }).records as Json[]) {
        const record = parent ? { ...raw, [parent[0]]: parent[1] } : raw;
        // (A string with a quote or a newline is escaped: the raw writer leaves those to the parse.)
        const plain = !JSON.stringify(record).includes('\\');
        for (const text of [JSON.stringify(record), spaced(record), JSON.stringify(reversed(record))])
          if (agree(spec.stream, text) !== plain) unexpected.push(`${spec.stream}: ${text}`);
        counts[spec.stream] = (counts[spec.stream] ?? 0) + 1;
      }
    }
    expect(unexpected.slice(0, 3)).toEqual([]);
    expect(Object.keys(counts).sort()).toEqual(STREAM_SPECS.map((s) => s.stream).sort());
    expect(counts.candidates).toBeGreaterThanOrEqual(60);
  });

  it('writes every recorded Ashby record that the direct writer writes', () => {
    let written = 0;
    for (const r of recordedRecords()) {
      const direct = frameBody(HEADER, mapper.bodyWriter(r.stream), r.record);
      const wrote = agree(r.stream, JSON.stringify(r.record));
      if (direct && !/\\/.test(JSON.stringify(r.record))) expect(wrote).toBe(true);
      if (wrote) written++;
    }
    expect(written).toBeGreaterThan(200);
  });

  it('writes the hand-made candidate with every custom field value shape', () => {
    expect(agree('candidates', JSON.stringify(CANDIDATE))).toBe(true);
    expect(agree('applications', JSON.stringify(APPLICATION))).toBe(true);
  });

  it('declines, or agrees byte for byte, on thousands of records altered as values and as text', () => {
    const { random, pick } = seeded(20261207);
    const values: unknown[] = [
      null,
      'text',
      '',
      'é ünïcödé ✓ 𝄞',
      'x'.repeat(300),
      0,
      -1,
      2 ** 40,
      1.5,
      Number.MAX_SAFE_INTEGER + 2,
      true,
      [],
      ['a', null],
      [1, 2],
      {},
      { unknown: 1 },
      { value: 5, currencyCode: 'EUR' },
      '2025-03-01T10:00:00Z',
      '2024-02-29T10:00:00.000Z',
      '2025-02-29T10:00:00.000Z',
      '2025-03-01',
    ];
    /** Edits of the text: each may make it invalid JSON, or change how a value is written. */
    const textEdits: Array<(t: string) => string | Buffer> = [
      (t) => t.replace('"id"', '"\\u0069d"'), // an escape in a key
      (t) => t.replace(/"name":"/, '"name":"\\/'),
      (t) => t.replace(/:(\d+)([,}])/, ':$1.0$2'), // an integer written with a fraction
      (t) => t.replace(/:(\d+)([,}])/, ':$1e0$2'),
      (t) => t.replace(/:(\d+)([,}])/, ':0$1$2'), // a leading zero: not JSON
      (t) => t.replace(/:(\d+)([,}])/, ':-0$2'),
      (t) => t.replace('{', '{"id":"dup",'), // a repeated key
      (t) => t.slice(0, -1), // cut short
      (t) => `${t}x`, // trailing bytes
      (t) => t.replace(',', ''), // a missing comma
      (t) => t.replace(',', ',,'),
      (t) => t.replace(/:"/, ':"\u0001'), // a raw control character
      (t) => t.replace(/:true/, ':tru'),
      (t) => t.replace(/:null/, ':nul'),
      (t) => t.replace(/:null/, ':nullx'),
      (t) => t.replace(/":/, '" :\n '), // whitespace around a colon
      (t) => {
        const b = Buffer.from(t.replace(/"name":"/, '"name":"é'), 'utf8');
        const at = b.indexOf(0xc3);
        if (at >= 0) b[at] = 0xff; // not UTF-8
        return b;
      },
      (t) => {
        const b = Buffer.from(t.replace(/"name":"/, '"name":"\u{1d11e}'), 'utf8');
        const at = b.indexOf(0xf0);
        if (at >= 0) b[at + 1] = 0x80; // an overlong sequence
        return b;
      },
    ];
    const bases = alterationBases();
    let written = 0;
    let declined = 0;
    for (let i = 0; i < 4_000; i++) {
      const [stream, base] = pick(bases);
      const json = JSON.parse(JSON.stringify(base)) as Json;
      const all = valuePaths(json);
      if (all.length > 0 && random() < 0.7) {
        const path = pick(all);
        let parent: any = json;
        for (const step of path.slice(0, -1)) parent = parent[step];
        const last = path[path.length - 1]!;
        const r = random();
        if (r < 0.15 && !Array.isArray(parent)) delete parent[last];
        else if (r < 0.25 && !Array.isArray(parent)) parent[`extra${i}`] = 'x';
        else parent[last] = JSON.parse(JSON.stringify(pick(values)));
      }
      const text = JSON.stringify(random() < 0.2 ? reversed(json) : json);
      const edited = random() < 0.6 ? pick(textEdits)(text) : text;
      if (agree(stream, edited)) written++;
      else declined++;
    }
    expect(written).toBeGreaterThan(300);
    expect(declined).toBeGreaterThan(300);
  });

  describe('a schema with every type the contract allows', () => {
    const schema = EVERY_TYPE_SCHEMA;
    parseSchema(schema, 'test schema');
    const raw = compileRawWriter(compileSchema(schema, 'test schema'));
    const direct = compileDirectWriter(compileSchema(schema, 'test schema'));
    const both = (text: string): [Buffer | undefined, Buffer | undefined] => [
      frameBody(HEADER, raw, sliceOf(text)),
      frameBody(HEADER, direct, JSON.parse(text)),
    ];
    const full = EVERY_TYPE_VALUE;

    it('writes ints, longs, floats, doubles, enums, dates, instants, nullable items, a recursive record and long strings as the direct writer does', () => {
      const [r, d] = both(JSON.stringify(full));
      expect(r).toBeDefined();
      expect(r!.equals(d!)).toBe(true);
    });

    it('writes doubles in every JSON form, and lengths and counts of several varint bytes', () => {
      for (const d of ['1e-7', '-2.5E+3', '0.1', '123456789012345678', '1.7976931348623157e308']) {
        const [r, dd] = both(JSON.stringify({ ...full, d: 0 }).replace('"d":0', `"d":${d}`));
        expect(r?.equals(dd!)).toBe(true);
      }
      const many = { ...full, tags: Array.from({ length: 9_000 }, (_, k) => (k % 7 === 0 ? null : `t${k}`)) };
      const long = { ...full, note: 'é'.repeat(150_000) }; // 300,000 bytes: a 3-byte length, and a grown buffer
      for (const x of [many, long]) {
        const [r, d] = both(JSON.stringify(x));
        expect(r).toBeDefined();
        expect(r!.equals(d!)).toBe(true);
      }
    });

    it('reads strings four bytes at a time: whatever ends a run of ASCII text, at every place in a word', () => {
      const noteText = (note: string): string => JSON.stringify({ ...full, note });
      // Text that is written as it is (UTF-8 of 2, 3 and 4 bytes) or declined (escapes).
      const written = ['é', '€', '😀'];
      const escaped = ['"', '\\', '\n', '\u0001'];
      let checked = 0;
      for (let length = 0; length <= 13; length++)
        for (let at = 0; at <= length; at++) {
          const before = 'abcdefghijklm'.slice(0, at);
          const after = 'nopqrstuvwxyz'.slice(0, length - at);
          for (const c of written) {
            const [r, d] = both(noteText(before + c + after));
            expect(r).toBeDefined();
            expect(r!.equals(d!)).toBe(true);
            checked++;
          }
          for (const c of escaped) expect(both(noteText(before + c + after))[0]).toBeUndefined();
          // Bytes JSON does not allow in a string: a raw control character, and bytes that are not UTF-8.
          for (const bad of [[0x01], [0x1f], [0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80]]) {
            const text = Buffer.from(noteText(`${before}\u0000${after}`), 'utf8');
            const nul = text.indexOf(0);
            const bytes = Buffer.concat([text.subarray(0, nul), Buffer.from(bad), text.subarray(nul + 1)]);
            expect(frameBody(HEADER, raw, sliceOf(bytes))).toBeUndefined();
          }
        }
      expect(checked).toBe(3 * 105);
      // A record that ends with the body, and one cut inside a string (no closing quote).
      for (const note of ['', 'abc', 'abcd', 'abcdefg', 'x'.repeat(64)]) {
        const text = Buffer.from(noteText(note));
        expect(frameBody(HEADER, raw, new JsonSlice(text, 0, text.length))?.equals(both(noteText(note))[1]!)).toBe(
          true,
        );
        const cut = text.subarray(0, text.indexOf(`"note":"${note}`) + 8 + note.length);
        expect(frameBody(HEADER, raw, new JsonSlice(cut, 0, cut.length))).toBeUndefined();
      }
    });

    it('copies a free-form JSON value only when its bytes are what JSON.stringify gives', () => {
      const withExtra = (json: string): string => JSON.stringify(full).replace(/}$/, `,"extra":${json}}`);
      for (const json of ['{"a":[1,"é",{"b":null}],"c":true}', '[]', '{}', '"x"', '-7', '{"__proto__":1}']) {
        const [r, d] = both(withExtra(json));
        expect(r).toBeDefined();
        expect(r!.equals(d!)).toBe(true);
      }
      // Whitespace, a repeated key, an index key (V8 puts it first), a fraction, an escape.
      for (const json of ['{ "a":1}', '[1, 2]', '{"a":1,"a":2}', '{"b":1,"1":2}', '1.5', '"\\n"', '{"a":1e3}'])
        expect(both(withExtra(json))[0]).toBeUndefined();
    });

    it('declines what the direct writer declines, and numbers it would read differently', () => {
      for (const text of [
        JSON.stringify({ ...full, i: 2 ** 31 }),
        JSON.stringify({ ...full, e: 'BLUE' }),
        JSON.stringify({ ...full, day: '2025-02-29' }),
        JSON.stringify({ ...full, unknown: 1 }),
        JSON.stringify({ ...full, tags: [1] }),
        JSON.stringify({ ...full, child: { name: 'ok', more: true } }),
        JSON.stringify({ ...full, l: 2 ** 60 }),
        JSON.stringify(full).replace('"i":-5', '"i":-5.0'),
        JSON.stringify(full).replace('"i":-5', '"i":-0'),
      ])
        expect(both(text)[0]).toBeUndefined();
    });
  });
});

describe('JsonSlice', () => {
  it('reads the first plain string member of an object, and parses as JSON.parse does', () => {
    const s = sliceOf('{ "n" : 1, "a" : { "id": "inner" }, "id" : "x-é", "id": "later" }');
    expect(s.firstString('id')).toBe('x-é');
    expect(s.firstString('n')).toBeUndefined();
    expect(s.firstString('missing')).toBeUndefined();
    expect(s.parse()).toEqual({ n: 1, a: { id: 'inner' }, id: 'later' });
    expect(sliceOf('{"id":"a\\u0062"}').firstString('id')).toBeUndefined();
    expect(sliceOf('[1]').firstString('id')).toBeUndefined();
    expect(() => sliceOf('{"id":').parse()).toThrow(SyntaxError);
  });
});
