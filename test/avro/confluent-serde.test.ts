import { createSerde } from '../../src/avro/serde/create-serde.js';
import { loadContract } from '../../src/avro/contract.js';
import { AvroDecodeError, RegistryNotFoundError } from '../../src/avro/errors.js';
import { toStreamRecord } from '../../src/avro/mapping/stream-mapping.js';
import { schemaTextOf } from '../../src/avro/schema.js';
import { APPLICATION, CANDIDATE } from './samples.js';
import { startFakeRegistry, type FakeRegistry } from './fake-registry.js';

const contract = loadContract();
const candidates = contract.streamType('candidates');
const candidate = toStreamRecord('candidates', CANDIDATE);
let registry: FakeRegistry;

beforeAll(async () => {
  registry = await startFakeRegistry();
});
afterAll(() => registry.close());
beforeEach(() => {
  registry.requests.length = 0;
});

describe('confluent serde (against a fake registry)', () => {
  it('frames records as 0x00 + 4-byte big-endian schema id + Avro body', async () => {
    const serde = createSerde({ mode: 'confluent', registry: { url: registry.url } }, contract);
    const bytes = await serde.encodeValue('ashby.candidates', candidates, candidate);
    const id = [...registry.schemas].find(([, s]) => s === schemaTextOf(candidates))![0];
    expect(bytes[0]).toBe(0);
    expect(bytes.readInt32BE(1)).toBe(id);
    expect(bytes.subarray(5)).toEqual(candidates.toBuffer(candidate));
    await serde.close();
  });

  it('sets the compatibility level and registers once per subject; later records cause no request', async () => {
    const serde = createSerde({ mode: 'confluent', registry: { url: registry.url } }, contract);
    await Promise.all(Array.from({ length: 20 }, () => serde.encodeValue('ashby.candidates', candidates, candidate)));
    for (let i = 0; i < 200; i++) await serde.encodeValue('ashby.candidates', candidates, candidate);
    expect(registry.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'PUT /config/ashby.candidates-value',
      'POST /subjects/ashby.candidates-value/versions',
    ]);
    expect(registry.requests[0]!.body).toEqual({ compatibility: 'BACKWARD' });
    expect(registry.requests[1]!.body).toEqual({ schemaType: 'AVRO', schema: schemaTextOf(candidates) });
    await serde.close();
  });

  it('uses <topic>-key for keys and the record full name under the record strategy', async () => {
    const serde = createSerde(
      { mode: 'confluent', registry: { url: registry.url, compatibility: 'FULL' }, subjectStrategy: 'record' },
      contract,
    );
    await serde.encodeValue(
      'ashby.applications',
      contract.streamType('applications'),
      toStreamRecord('applications', APPLICATION),
    );
    await serde.encodeKey('ashby.applications', 'a-1');
    const topicSerde = createSerde({ mode: 'confluent', registry: { url: registry.url } }, contract);
    const key = await topicSerde.encodeKey('ashby.applications', 'a-1');
    expect(await topicSerde.decodeKey('ashby.applications', key)).toBe('a-1');
    expect(registry.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual([
      '/subjects/io.ashbykafka.v1.Application/versions',
      '/subjects/string/versions',
      '/subjects/ashby.applications-key/versions',
    ]);
    expect(registry.requests[0]!.body).toEqual({ compatibility: 'FULL' });
    await Promise.all([serde.close(), topicSerde.close()]);
  });

  it('fetches an unknown writer schema by id once, then decodes from cache', async () => {
    const writer = createSerde({ mode: 'confluent', registry: { url: registry.url } }, contract);
    const bytes = await writer.encodeValue('ashby.candidates', candidates, candidate);
    const reader = createSerde({ mode: 'confluent', registry: { url: registry.url } }, contract);
    registry.requests.length = 0;
    for (let i = 0; i < 5; i++)
      expect(await reader.decodeValue('ashby.candidates', bytes, candidates)).toEqual(candidate);
    expect(registry.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /schemas/ids/${bytes.readInt32BE(1)}`]);
    await Promise.all([writer.close(), reader.close()]);
  });

  it('turns an unknown schema id or bad framing into AvroDecodeError', async () => {
    const serde = createSerde({ mode: 'confluent', registry: { url: registry.url } }, contract);
    const unknown = Buffer.from([0, 0, 0x0f, 0x42, 0x40, 2]);
    await expect(serde.decodeValue('t', unknown)).rejects.toThrow(AvroDecodeError);
    await expect(serde.decodeValue('t', unknown)).rejects.toThrow(
      /names schema id 1000000, which the registry at .* does not have/,
    );
    await expect(serde.decodeValue('t', Buffer.from([0xc3, 0x01, 0, 0, 0, 0]))).rejects.toThrow(
      /not in Confluent wire format/,
    );
    await serde.close();
  });

  it('only looks schemas up when autoRegister is false', async () => {
    const serde = createSerde({ mode: 'confluent', registry: { url: registry.url, autoRegister: false } }, contract);
    const err = await serde
      .encodeValue('never.registered', contract.streamType('brands'), {
        id: 'b',
        name: 'n',
        hostedJobsPageSlug: 's',
        additionalProperties: null,
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryNotFoundError);
    expect(registry.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /subjects/never.registered-value']);
    await serde.close();
  });
});
