import { CompactedLog } from '../../../src/kafka/compacted-log.js';
import { KafkaProducer } from '../../../src/kafka/producer.js';
import { KafkaResources } from '../../../src/kafka/shared-clients.js';
import { kafkaTestConfig, uniqueName } from '../../support/stack.js';

/**
 * Clients that a worker's pipelines share (service mode), against the real broker: one producer
 * whose leases wait for their own records only, one admin client, one state reader per topic.
 */
const resources = new KafkaResources();
const toClose: Array<{ close(): Promise<void> | void }> = [];
afterAll(async () => {
  for (const c of toClose.reverse()) await c.close();
  await resources.close();
});

describe('KafkaResources', () => {
  it('pipelines that differ only in client.id share one producer; a lease closes without closing it, and another lease keeps sending', async () => {
    const topic = uniqueName('lease');
    const a = resources.clients({ ...kafkaTestConfig(), 'client.id': 'ashby-kafka.a' });
    const b = resources.clients({ ...kafkaTestConfig(), 'client.id': 'ashby-kafka.b' });
    expect(b).toBe(a);
    const other = resources.clients({ ...kafkaTestConfig(), 'linger.ms': 50 });
    expect(other).not.toBe(a);

    await a.ensureTopics([{ name: topic, partitions: 1, replicationFactor: 1 }]);
    const leaseA = await a.lease();
    const leaseB = await b.lease();
    const sentByA = Array.from({ length: 200 }, (_, i) =>
      leaseA.send({ topic, key: `a${i}`, value: Buffer.from('x') }),
    );
    expect(leaseA.pending).toBe(200);
    expect(leaseB.pending).toBe(0);
    // Closing A's lease waits for A's records, acknowledged by the broker, not for B's.
    await leaseA.close();
    expect(leaseA.pending).toBe(0);
    const deliveries = await Promise.all(sentByA);
    expect(new Set(deliveries.map((d) => d.offset)).size).toBe(200);
    await expect(leaseA.send({ topic, key: 'late', value: null })).rejects.toMatchObject({ code: 'KAFKA_CLOSED' });
    // B's lease still sends through the same producer.
    const d = await leaseB.send({ topic, key: 'b', value: Buffer.from('y') });
    expect(d.offset).toBe(200);
    await expect(leaseB.commitTransaction()).rejects.toMatchObject({ code: 'KAFKA_TRANSACTION_FAILED' });
    await leaseB.close();
  });

  it('one state reader per topic: every read sees what was committed before it, and concurrent reads share one read of the topic', async () => {
    const topic = uniqueName('state-view');
    const clients = resources.clients(kafkaTestConfig());
    await clients.ensureTopics([
      { name: topic, partitions: 1, replicationFactor: 1, config: { 'cleanup.policy': 'compact' } },
    ]);
    const view = await clients.view(topic, 'source state');
    expect(await clients.view(topic, 'source state')).toBe(view);
    expect((await view.read(['k'])).size).toBe(0);

    const writer = await KafkaProducer.connect({ config: kafkaTestConfig() });
    toClose.push(writer);
    await writer.send({ topic, key: 'k', value: Buffer.from('1') });
    await writer.send({ topic, key: 'gone', value: Buffer.from('x') });
    await writer.send({ topic, key: 'gone', value: null });
    const after = await view.read(['k', 'gone', 'other']);
    expect(Object.fromEntries([...after].map(([k, v]) => [k, v.toString()]))).toEqual({ k: '1' });

    // A transaction that is still open is not visible (read_committed); once committed it is.
    const txn = await KafkaProducer.connect({ config: kafkaTestConfig(), transactionalId: uniqueName('lease-txn') });
    toClose.push(txn);
    await txn.beginTransaction();
    await txn.send({ topic, key: 'k', value: Buffer.from('2') });
    await txn.commitTransaction();
    expect((await view.read(['k'])).get('k')?.toString()).toBe('2');
  });

  it('readToEnd: callers arriving while a read waits for its turn join it', async () => {
    const topic = uniqueName('clog-coalesce');
    const writer = await KafkaProducer.connect({ config: kafkaTestConfig() });
    toClose.push(writer);
    let seen = 0;
    const log = await CompactedLog.open({
      config: kafkaTestConfig(),
      topic,
      producer: writer,
      create: { partitions: 1, replicationFactor: 1 },
      onRecord: () => seen++,
    });
    toClose.push(log);
    for (let i = 0; i < 5; i++) await log.append(`k${i}`, Buffer.from('v'));
    // Calls in one tick share one read; calls made while it runs queue as one more read.
    const first = [log.readToEnd(), log.readToEnd()];
    expect(first[1]).toBe(first[0]);
    await new Promise((r) => setImmediate(r)); // the read has started: it waits for the broker
    const rest = Array.from({ length: 9 }, () => log.readToEnd());
    expect(new Set(rest).size).toBe(1);
    expect(rest[0]).not.toBe(first[0]);
    expect((await first[0]!) + (await rest[0]!)).toBe(5);
    expect(seen).toBe(5);
  });
});
