import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadContract } from '../../../src/avro/contract.js';
import { toStreamRecord } from '../../../src/avro/mapping/stream-mapping.js';
import { createSerde } from '../../../src/avro/serde/create-serde.js';
import type { Serde } from '../../../src/avro/serde/serde.js';
import { endOffsets, topicCensus } from '../../../src/inspect/topic-census.js';
import { KafkaAdmin, KafkaProducer } from '../../../src/kafka/index.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { REGISTRY_URL, kafkaTestConfig, uniqueName } from '../../support/stack.js';

/** `ashby-kafka inspect` reads back what a producer wrote, as a read_committed consumer sees it. */
describe('topic census (real broker and registry)', () => {
  const contract = loadContract();
  const rd = kafkaTestConfig();
  const prefix = `${uniqueName('census')}.`;
  let serde: Serde;
  let producer: KafkaProducer;
  let sandbox: RunningSandbox;
  let departments: Array<Record<string, unknown>>;

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 3 });
    const res = await fetch(`${sandbox.url}/department.list`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${sandbox.keys.full}:`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: '{}',
    });
    departments = ((await res.json()) as { results: Array<Record<string, unknown>> }).results.slice(0, 4);
    serde = createSerde({ mode: 'confluent', registry: { url: REGISTRY_URL } }, contract);
    const admin = KafkaAdmin.create(rd);
    await admin.ensureTopics([
      { name: `${prefix}departments`, partitions: 2, replicationFactor: 1 },
      { name: `${prefix}users`, partitions: 1, replicationFactor: 1 },
    ]);
    admin.close();
    producer = await KafkaProducer.connect({ config: rd });
  });

  afterAll(async () => {
    await producer?.close();
    await serde?.close();
    await sandbox?.close();
  });

  async function produce(records: Array<Record<string, unknown>>): Promise<void> {
    const topic = `${prefix}departments`;
    const type = contract.streamType('departments');
    for (const r of records) {
      const value = await serde.encodeValue(topic, type, toStreamRecord('departments', r));
      await producer.send({ topic, key: String(r.id), value, headers: { 'ashby.stream': 'departments' } });
    }
  }

  it('counts records and distinct keys per topic, skips missing topics, and decodes a sample', async () => {
    await produce(departments);
    await produce(departments.slice(0, 1)); // a second version of one record
    const census = await topicCensus({
      rd,
      serde,
      contract,
      topicPrefix: prefix,
      streams: ['departments', 'users', 'jobs'],
      sampleStream: 'departments',
    });
    expect(census.counts).toEqual([
      {
        stream: 'departments',
        topic: `${prefix}departments`,
        records: departments.length + 1,
        distinctKeys: departments.length,
      },
      { stream: 'users', topic: `${prefix}users`, records: 0, distinctKeys: 0 },
    ]);
    const sample = census.sample!;
    expect(departments.map((d) => d.id)).toContain(sample.key);
    expect((sample.value as { id: string }).id).toBe(sample.key);
    expect(sample.headers['ashby.stream']).toBe('departments');
  });

  it('counts only what was written after saved end offsets', async () => {
    const mark = await endOffsets(rd, [`${prefix}departments`, `${prefix}users`]);
    expect([...mark.keys()].sort()).toEqual([`${prefix}departments:0`, `${prefix}departments:1`, `${prefix}users:0`]);
    await produce(departments.slice(1, 3));
    const census = await topicCensus({
      rd,
      serde,
      contract,
      topicPrefix: prefix,
      streams: ['departments', 'users'],
      after: mark,
    });
    expect(census.counts.find((c) => c.stream === 'departments')).toMatchObject({ records: 2, distinctKeys: 2 });
    expect(census.counts.find((c) => c.stream === 'users')).toMatchObject({ records: 0 });
  });
});
