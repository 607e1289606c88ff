import { KafkaAdmin } from '../../../src/kafka/admin.js';
import { KafkaProducer } from '../../../src/kafka/producer.js';
import { Ledger, commandIdentity } from '../../../src/sink/ledger.js';
import { kafkaTestConfig, uniqueName } from '../../support/stack.js';
import { deleteRecords } from './helpers.js';

/** The idempotency ledger against the real broker: what one process writes, another reads after catching up. */
const entry = (offset: number, state: 'started' | 'done') => ({
  state,
  entity: 'candidate',
  operation: 'create',
  source: { topic: 't', partition: 0, offset },
  ...(state === 'done'
    ? { outcome: { action: 'created', ashbyId: `c${offset}` } }
    : { progress: { started: 'create', done: {} } }),
});

describe('Ledger', () => {
  it('reads everything at open, sees other writers after catchUp, keeps the latest entry per command', async () => {
    const topic = uniqueName('ledger');
    const admin = KafkaAdmin.create(kafkaTestConfig());
    await admin.ensureTopics([
      { name: topic, partitions: 3, replicationFactor: 1, config: { 'cleanup.policy': 'compact' } },
    ]);
    admin.close();
    const producer = await KafkaProducer.connect({ config: kafkaTestConfig() });
    const a = await Ledger.open({ config: kafkaTestConfig(), topic, producer });
    try {
      expect(a.size).toBe(0);
      await a.put('cmd/1', entry(1, 'started'));
      await a.put('cmd/1', entry(1, 'done'));
      await Promise.all(Array.from({ length: 20 }, (_, i) => a.put(`cmd/${i + 2}`, entry(i + 2, 'done'))));
      expect(a.get('cmd/1')).toMatchObject({ state: 'done', owner: a.owner });

      const b = await Ledger.open({ config: kafkaTestConfig(), topic, producer });
      try {
        expect(b.size).toBe(21);
        expect(b.get('cmd/1')).toMatchObject({ state: 'done', outcome: { ashbyId: 'c1' }, owner: a.owner });
        expect(b.owner).not.toBe(a.owner);
        await a.put('cmd/99', entry(99, 'started'));
        expect(b.get('cmd/99')).toBeUndefined();
        // Concurrent catch-ups run one after another and all see the write.
        await Promise.all([b.catchUp(), b.catchUp(), b.catchUp()]);
        expect(b.get('cmd/99')).toMatchObject({ state: 'started', progress: { started: 'create' } });
      } finally {
        await b.close();
      }
    } finally {
      await a.close();
      await producer.close();
    }
  });
  it('forgets position-based entries below the committed offsets, keeps idempotencyKey entries and later positions', async () => {
    const topic = uniqueName('ledger');
    const admin = KafkaAdmin.create(kafkaTestConfig());
    await admin.ensureTopics([
      { name: topic, partitions: 1, replicationFactor: 1, config: { 'cleanup.policy': 'compact' } },
    ]);
    admin.close();
    const producer = await KafkaProducer.connect({ config: kafkaTestConfig() });
    const ledger = await Ledger.open({ config: kafkaTestConfig(), topic, producer });
    try {
      const at = (partition: number, offset: number) =>
        commandIdentity('candidate', undefined, {
          topic: 'cmds.x-1',
          partition,
          offset,
          key: null,
          value: Buffer.from(String(offset)),
        });
      for (let offset = 0; offset < 10; offset++) await ledger.put(at(0, offset), entry(offset, 'done'));
      await ledger.put(at(1, 3), entry(3, 'done'));
      await ledger.put(
        commandIdentity('candidate', 'ik-1', { topic: 'cmds.x-1', partition: 0, offset: 2, key: null, value: null }),
        entry(2, 'done'),
      );
      expect(ledger.positionPartitions()).toEqual(
        expect.arrayContaining([
          { topic: 'cmds.x-1', partition: 0 },
          { topic: 'cmds.x-1', partition: 1 },
        ]),
      );
      expect(ledger.forgetCommitted([{ topic: 'cmds.x-1', partition: 0, offset: 7 }])).toBe(7);
      expect(ledger.size).toBe(5);
      expect(ledger.get(at(0, 6))).toBeUndefined();
      expect(ledger.get(at(0, 7))).toMatchObject({ state: 'done' });
      expect(ledger.get(at(1, 3))).toMatchObject({ state: 'done' });
      expect(ledger.get('candidate/key/ik-1')).toMatchObject({ state: 'done' });
    } finally {
      await ledger.close();
      await producer.close();
    }
  });
  it('opens over a partition whose records retention removed (log start at the end)', async () => {
    const topic = uniqueName('ledger');
    const admin = KafkaAdmin.create(kafkaTestConfig());
    await admin.ensureTopics([
      { name: topic, partitions: 2, replicationFactor: 1, config: { 'cleanup.policy': 'compact,delete' } },
    ]);
    admin.close();
    const producer = await KafkaProducer.connect({ config: kafkaTestConfig() });
    try {
      const last: Record<number, number> = {};
      for (let i = 0; i < 6; i++) {
        const partition = i % 2;
        const d = await producer.send({
          topic,
          partition,
          key: `p${partition}`,
          value: Buffer.from(JSON.stringify(entry(i, 'done'))),
        });
        last[partition] = d.offset;
      }
      // Partition 0 emptied entirely (log start = end > 0); partition 1 keeps its last record.
      deleteRecords(topic, [
        [0, last[0]! + 1],
        [1, last[1]!],
      ]);
      const b = await Ledger.open({ config: kafkaTestConfig(), topic, producer, timeoutMs: 3000 });
      try {
        expect(b.get('p1')).toMatchObject({ state: 'done', source: { offset: 5 } });
        expect(b.get('p0')).toBeUndefined();
        expect(b.size).toBe(1);
      } finally {
        await b.close();
      }
    } finally {
      await producer.close();
    }
  }, 120_000);
});
