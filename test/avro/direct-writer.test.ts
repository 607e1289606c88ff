import { loadContract } from '../../src/avro/contract.js';
import { compileSchema } from '../../src/avro/mapping/compile.js';
import { canonicalInstantMs, compileDirectWriter } from '../../src/avro/mapping/direct-writer.js';
import { createStreamMapper } from '../../src/avro/mapping/stream-mapping.js';
import { parseSchema } from '../../src/avro/schema.js';
import { encodeFramed, frameBody } from '../../src/avro/serde/framing.js';
import { STREAM_SPECS } from '../../tools/avro-generate/stream-specs.js';
import { fixture } from '../sandbox/helpers/sandbox-fixture.js';
import { firstPageBody } from '../support/stream-bodies.js';
import { alterationBases, seeded, valuePaths } from './alterations.js';
import { recordedRecords } from './recorded.js';
import { APPLICATION, CANDIDATE, EVERY_TYPE_SCHEMA, EVERY_TYPE_VALUE } from './samples.js';

/**
 * The direct writer (src/avro/mapping/direct-writer.ts) against the ordinary path (mapping, then
 * avsc): for every record it writes, the bytes are the same; it declines exactly the records
 * whose mapping fills a catch-all or fails.
 */
const contract = loadContract();
const mapper = createStreamMapper(contract);
const HEADER = Buffer.from([0, 0, 0, 0, 42]);

type Json = Record<string, unknown>;

/** The ordinary encoding, or the mapping error; and whether a catch-all was filled. */
function ordinary(stream: string, json: Json): { bytes?: Buffer; error?: Error; catchAll: boolean } {
  try {
    const value = mapper.toStreamRecord(stream, json);
    return { bytes: encodeFramed(contract.streamType(stream), HEADER, value), catchAll: hasCatchAll(value) };
  } catch (err) {
    return { error: err as Error, catchAll: false };
  }
}

function hasCatchAll(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(hasCatchAll);
  if (v === null || typeof v !== 'object' || v instanceof Date) return false;
  return Object.entries(v).some(([k, x]) => (k === 'additionalProperties' ? x !== null : hasCatchAll(x)));
}

/** Checks one record both ways; returns whether the direct writer wrote it. */
function agree(stream: string, json: Json): boolean {
  const direct = frameBody(HEADER, mapper.bodyWriter(stream), json);
  const slow = ordinary(stream, json);
  const problem = direct
    ? slow.error
      ? `wrote a record the mapping rejects (${slow.error.message})`
      : slow.catchAll
        ? 'wrote a record whose catch-all is not empty'
        : direct.equals(slow.bytes!)
          ? undefined
          : 'wrote other bytes than the mapping and avsc'
    : slow.error || slow.catchAll
      ? undefined
      : 'declined a record whose catch-alls stay empty';
  if (problem) throw new Error(`${stream}: the direct writer ${problem}: ${JSON.stringify(json)}`);
  return direct !== undefined;
}

describe('direct writer', () => {
  it('writes every sandbox record of every stream exactly as the mapping and avsc do', async () => {
    const sandbox = fixture({ scale: 60, seed: 11 });
    const counts: Record<string, number> = {};
    for (const spec of STREAM_SPECS) {
      const { body, parent } = await firstPageBody(spec.stream, (e, b) => sandbox.ok(e, b).results as Json[]);
      for (const raw of sandbox.all(spec.endpoint, { limit: 100, ...body }).records as Json[]) {
        const record = parent ? { ...raw, [parent[0]]: parent[1] } : raw;
        expect(agree(spec.stream, record)).toBe(true); // the sandbox sends no catch-all content
        counts[spec.stream] = (counts[spec.stream] ?? 0) + 1;
      }
    }
    expect(Object.keys(counts).sort()).toEqual(STREAM_SPECS.map((s) => s.stream).sort());
    expect(counts.candidates).toBeGreaterThanOrEqual(60);
  });

  it('agrees with the mapping on every recorded Ashby record', () => {
    let written = 0;
    for (const r of recordedRecords()) if (agree(r.stream, r.record)) written++;
    expect(written).toBeGreaterThan(200);
  });

  it('writes the hand-made candidate with every custom field value shape', () => {
    expect(agree('candidates', CANDIDATE)).toBe(true);
    expect(agree('applications', APPLICATION)).toBe(true);
  });

  it('declines, or agrees byte for byte, on thousands of altered records', () => {
    const { random, pick } = seeded(20261206);
    const replacements: unknown[] = [
      null,
      undefined,
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
      { type: 'number-range', minValue: 1, maxValue: 2 },
      '2025-03-01T10:00:00Z',
      '2025-03-01T10:00:00.000+00:00',
      '2025-02-29T10:00:00.000Z',
      '2024-02-29T10:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '0099-01-01T00:00:00.000Z',
      '2025-03-01',
      '2025-13-01',
    ];
    const bases = alterationBases();
    let written = 0;
    let declined = 0;
    for (let i = 0; i < 4_000; i++) {
      const [stream, base] = pick(bases);
      const json = JSON.parse(JSON.stringify(base)) as Json;
      for (let edits = 1 + Math.floor(random() * 2); edits > 0; edits--) {
        const all = valuePaths(json);
        if (all.length === 0) break;
        const path = pick(all);
        let parent: any = json;
        for (const step of path.slice(0, -1)) parent = parent[step];
        const last = path[path.length - 1]!;
        const r = random();
        if (r < 0.15 && !Array.isArray(parent)) delete parent[last];
        else if (r < 0.25 && !Array.isArray(parent)) parent[`extra${i}`] = 'x';
        else {
          const v = pick(replacements);
          parent[last] = v === undefined ? undefined : JSON.parse(JSON.stringify(v)); // a copy: edits must not share it
        }
      }
      // undefined values are not JSON: parse again, as Ashby's records always are.
      const altered = JSON.parse(JSON.stringify(json)) as Json;
      if (agree(stream, altered)) written++;
      else declined++;
    }
    // Both outcomes are exercised.
    expect(written).toBeGreaterThan(300);
    expect(declined).toBeGreaterThan(300);
  });

  it('reads only the canonical toISOString() form of an instant', () => {
    for (const text of [
      '2025-03-01T10:00:00.000Z',
      '2024-02-29T23:59:59.999Z',
      '1969-12-31T23:59:59.999Z',
      '0100-01-01T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
    ])
      expect(canonicalInstantMs(text)).toBe(new Date(text).getTime());
    for (const text of [
      '2025-03-01T10:00:00Z',
      '2025-03-01T10:00:00.000+00:00',
      '2025-02-29T10:00:00.000Z',
      '2025-04-31T10:00:00.000Z',
      '2025-03-01T24:00:00.000Z',
      '2025-03-01T10:60:00.000Z',
      '2025-03-01T10:00:60.000Z',
      '0099-01-01T00:00:00.000Z',
      '2025-03-01T10:00:00.00aZ',
      '2025-03-01 10:00:00.000Z',
    ])
      expect(canonicalInstantMs(text)).toBeNaN();
  });

  describe('a schema with every type the contract allows', () => {
    const schema = EVERY_TYPE_SCHEMA;
    const type = parseSchema(schema, 'test schema');
    const write = compileDirectWriter(compileSchema(schema, 'test schema'));
    const slow = compileSchema(schema, 'test schema');
    const both = (json: Json): [Buffer | undefined, Buffer | undefined] => {
      const notes = { keepRaw: false, failPath: [], failProblem: '' };
      const value = slow.toAvro(json, notes);
      return [
        frameBody(HEADER, write, json),
        typeof value === 'symbol' ? undefined : encodeFramed(type, HEADER, value),
      ];
    };
    const full = EVERY_TYPE_VALUE;

    it('writes ints, longs beyond 2^30, floats, doubles, enums, dates, instants, nullable items and long non-ASCII strings as avsc does', () => {
      const [direct, ordinaryBytes] = both(full);
      expect(direct).toBeDefined();
      expect(direct!.equals(ordinaryBytes!)).toBe(true);
      expect(type.fromBuffer(direct!.subarray(HEADER.length))).toMatchObject({ i: -5, l: 2 ** 45 + 3, e: 'GREEN' });
    });

    it('declines what the mapping rejects, in a record without a catch-all', () => {
      for (const altered of [
        { ...full, i: 2 ** 31 },
        { ...full, e: 'BLUE' },
        { ...full, day: '2025-02-29' },
        { ...full, unknown: 1 },
        { ...full, tags: [1] },
        { ...full, child: { name: 'ok', more: true } },
      ]) {
        const [direct, ordinaryBytes] = both(altered);
        expect(direct).toBeUndefined();
        expect(ordinaryBytes).toBeUndefined();
      }
    });

    it('leaves a string with a lone surrogate to avsc, which writes it two ways', () => {
      for (const note of ['a\ud800b', `${'x'.repeat(80)}\udc00`]) {
        const [direct, ordinaryBytes] = both({ ...full, note });
        expect(direct).toBeUndefined();
        expect(ordinaryBytes).toBeDefined();
      }
    });

    it('grows its buffer for a record larger than the scratch buffer', () => {
      const big = { ...full, note: 'é'.repeat(200_000) };
      const [direct, ordinaryBytes] = both(big);
      expect(direct!.length).toBeGreaterThan(400_000);
      expect(direct!.equals(ordinaryBytes!)).toBe(true);
    });
  });
});
