import { describe, expect, it } from '@jest/globals';
import { resolveConfig } from '../../src/config/load.js';
import { KafkaError } from '../../src/kafka/errors.js';
import type { Delivery, OutgoingRecord, TopicSpec } from '../../src/kafka/index.js';
import { SourceRunner, type SourceKafka, type SourceProducer } from '../../src/source/runtime/source-runner.js';
import { MemoryStateStore, SendingProducer, liveSandbox } from '../support/source-fakes.js';

/** The source runner with Kafka and the state store faked (Ashby is the in-process sandbox): no broker. */
class FakeProducer extends SendingProducer {
  readonly sent: OutgoingRecord[] = [];
  /** Sends to this topic fail (a page the broker refuses). */
  failTopic: string | undefined;
  failAfter = 0;
  async send(record: OutgoingRecord): Promise<Delivery> {
    if (record.topic === this.failTopic && this.failAfter-- <= 0)
      throw new KafkaError('KAFKA_DELIVERY_FAILED', `deliver to ${record.topic}: broker refused (fake)`);
    this.sent.push(record);
    return { topic: record.topic, partition: 0, offset: this.sent.length - 1 };
  }
}

class FakeKafka implements SourceKafka {
  readonly topics: TopicSpec[] = [];
  readonly producerOf = new FakeProducer();
  closed = false;
  async ensureTopics(specs: TopicSpec[]): Promise<void> {
    this.topics.push(...specs);
  }
  async producer(): Promise<SourceProducer> {
    return this.producerOf;
  }
  async transactionalProducer(): Promise<SourceProducer> {
    return this.producerOf;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

const live = liveSandbox({ seed: 3, scale: 120 });

function config(streams: string[]) {
  return resolveConfig(
    {
      ashby: { api_key: live.sandbox.keys.full, base_url: live.sandbox.url },
      kafka: { bootstrap_servers: '127.0.0.1:1' },
      source: { streams, topic_prefix: 'fake.', state: 'file:/nonexistent/unused.json' },
    },
    { env: {} },
  );
}

describe('SourceRunner with injected Kafka and state', () => {
  it('produces every record of a stream, creates its topic and stores the position after the acknowledgements', async () => {
    const kafka = new FakeKafka();
    const state = new MemoryStateStore();
    const runner = await SourceRunner.open(config(['departments']), { client: live.client, kafka, stateStore: state });
    const result = await runner.runPass();
    await runner.close();
    expect(result.error).toBeUndefined();
    expect(kafka.topics.map((t) => t.name)).toEqual(['fake.departments']);
    const produced = kafka.producerOf.sent.filter((r) => r.topic === 'fake.departments');
    expect(produced.length).toBeGreaterThan(0);
    expect(result.streams[0]).toMatchObject({ stream: 'departments', records: produced.length });
    expect(state.states.get('fake.departments')?.syncToken).toBeDefined();
    expect(kafka.closed).toBe(true);
  });

  it('a producer that fails a page fails the stream and stores no position past it; other streams still finish', async () => {
    const kafka = new FakeKafka();
    kafka.producerOf.failTopic = 'fake.departments';
    const state = new MemoryStateStore();
    const runner = await SourceRunner.open(config(['departments', 'locations']), {
      client: live.client,
      kafka,
      stateStore: state,
    });
    const result = await runner.runPass();
    await runner.close();
    expect(result.error).toMatchObject({ code: 'KAFKA_DELIVERY_FAILED' });
    const byName = Object.fromEntries(result.streams.map((p) => [p.stream, p]));
    expect(byName.departments!.phase).toBe('failed');
    expect(state.states.has('fake.departments')).toBe(false);
    expect(state.states.get('fake.locations')?.syncToken).toBeDefined();
  });
});
