import { request } from 'undici';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { loadContract } from '../../../src/avro/contract.js';
import { createSerde } from '../../../src/avro/serde/create-serde.js';
import type { Serde } from '../../../src/avro/serde/serde.js';
import { createStreamMapper, fromStreamRecord, toStreamRecord } from '../../../src/avro/mapping/stream-mapping.js';
import { frameBody } from '../../../src/avro/serde/framing.js';
import { STREAM_SPECS } from '../../../tools/avro-generate/stream-specs.js';
import { REGISTRY_URL, uniqueName } from '../../support/stack.js';
import { firstPageBody } from '../../support/stream-bodies.js';

/**
 * Every stream's sandbox sample, fetched over HTTP from the local Ashby, maps losslessly and
 * round-trips through both wire formats deep-equal to its mapping. The direct writer, which the
 * source uses for such records, gives the same message bytes as mapping then encoding.
 */
const contract = loadContract();
const mapper = createStreamMapper(contract);
let sandbox: RunningSandbox;
let single: Serde;
let confluent: Serde;
const prefix = uniqueName('sandbox');

type Json = Record<string, unknown>;

async function call(endpoint: string, body: Json): Promise<Json> {
  const res = await request(`${sandbox.url}/${endpoint}`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${sandbox.keys.full}:`).toString('base64')}`,
      'content-type': 'application/json',
      accept: 'application/json; version=1',
    },
    body: JSON.stringify(body),
  });
  const json = (await res.body.json()) as Json;
  if (res.statusCode !== 200 || json.success !== true)
    throw new Error(
      `${endpoint} ${JSON.stringify(body)}: HTTP ${res.statusCode} ${JSON.stringify(json).slice(0, 300)}`,
    );
  return json;
}

beforeAll(async () => {
  sandbox = await startSandbox({ scale: 40 });
  single = createSerde({ mode: 'single-object' }, contract);
  confluent = createSerde({ mode: 'confluent', registry: { url: REGISTRY_URL } }, contract);
});

afterAll(async () => {
  await confluent?.close();
  await sandbox?.close();
});

/** Catch-all contents of a mapped value, by path. */
function catchAlls(v: unknown, path: string, out: string[]): string[] {
  if (Array.isArray(v)) v.forEach((x) => catchAlls(x, `${path}[]`, out));
  else if (v && typeof v === 'object' && !(v instanceof Date)) {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'additionalProperties') {
        if (x !== null) out.push(`${path}: ${JSON.stringify(x).slice(0, 120)}`);
      } else catchAlls(x, `${path}.${k}`, out);
    }
  }
  return out;
}

describe('sandbox samples', () => {
  it.each(STREAM_SPECS.map((s) => [s.stream, s.endpoint]))(
    '%s (%s) round-trips losslessly through both wire formats',
    async (stream, endpoint) => {
      const { body, parent } = await firstPageBody(stream, async (e, b) => (await call(e, b)).results as Json[]);
      const results = (await call(endpoint, { ...body })).results as Json[];
      expect(results.length).toBeGreaterThan(0);
      const type = contract.streamType(stream);
      for (const raw of results.slice(0, 25)) {
        const record = parent ? { ...raw, [parent[0]]: parent[1] } : raw;
        const value = toStreamRecord(stream, record);
        expect(fromStreamRecord(stream, value)).toEqual(record);
        // The sandbox mimics Ashby: everything it sends has a typed field, with Ashby's null/absent habits.
        expect(catchAlls(value, stream, [])).toEqual([]);
        for (const serde of [single, confluent]) {
          const bytes = await serde.encodeValue(`${prefix}.${stream}`, type, value);
          expect(await serde.decodeValue(`${prefix}.${stream}`, bytes, type)).toEqual(value);
          const header = await serde.valueHeader(`${prefix}.${stream}`, type);
          expect(frameBody(header, mapper.bodyWriter(stream), record)?.equals(bytes)).toBe(true);
        }
      }
    },
  );
});
