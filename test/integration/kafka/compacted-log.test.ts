import { KafkaAdmin } from '../../../src/kafka/admin.js';
import { CompactedLog, type LogRecord } from '../../../src/kafka/compacted-log.js';
import { KafkaProducer } from '../../../src/kafka/producer.js';
import { kafkaTestConfig, uniqueName } from '../../support/stack.js';

/** The compacted-log primitive against the real broker: create, read to end, tail, append, transactions. */
const toClose: Array<{ close(): Promise<void> | void }> = [];
afterAll(async () => {
  for (const c of toClose.reverse()) await c.close();
});

function table(): { map: Map<string, string>; onRecord: (r: LogRecord) => void } {
  const map = new Map<string, string>();
  return { map, onRecord: (r) => (r.value ? map.set(r.key, r.value.toString('utf8')) : map.delete(r.key)) };
}

async function producer(transactionalId?: string): Promise<KafkaProducer> {
  const p = await KafkaProducer.connect({ config: kafkaTestConfig(), ...(transactionalId ? { transactionalId } : {}) });
  toClose.push(p);
  return p;
}

async function open(
  topic: string,
  extra: Partial<Parameters<typeof CompactedLog.open>[0]> = {},
): Promise<{ log: CompactedLog; map: Map<string, string> }> {
  const t = table();
  const log = await CompactedLog.open({ config: kafkaTestConfig(), topic, onRecord: t.onRecord, ...extra });
  toClose.push(log);
  return { log, map: t.map };
}

describe('CompactedLog', () => {
  it('creates a missing topic compacted, reads it to the end at open, sees other writers after readToEnd; the last value per key wins and a tombstone deletes', async () => {
    const topic = uniqueName('clog');
    const p = await producer();
    const a = await open(topic, { producer: p, create: { partitions: 3, replicationFactor: 1 } });
    expect(a.map.size).toBe(0);
    await a.log.append('k1', Buffer.from('v1'));
    await a.log.append('k1', Buffer.from('v2'));
    await a.log.append('k2', Buffer.from('x'));
    await a.log.append('k3', Buffer.from('y'));
    await a.log.append('k3', null);

    const b = await open(topic);
    expect(Object.fromEntries(b.map)).toEqual({ k1: 'v2', k2: 'x' });
    await a.log.append('k4', Buffer.from('z'));
    expect(b.map.has('k4')).toBe(false);
    expect(await b.log.readToEnd()).toBe(1);
    expect(b.map.get('k4')).toBe('z');

    // Opening again with `create` leaves the existing topic (3 partitions) as it is and reads it.
    const c = await open(topic, { create: { partitions: 1, replicationFactor: 1 } });
    expect(Object.fromEntries(c.map)).toEqual({ k1: 'v2', k2: 'x', k4: 'z' });
  });

  it('a missing topic fails open, or reads as empty when asked', async () => {
    const topic = uniqueName('clog-missing');
    await expect(
      CompactedLog.open({ config: kafkaTestConfig(), topic, onRecord: () => undefined, timeoutMs: 5000 }),
    ).rejects.toMatchObject({ code: 'KAFKA_CONSUME_FAILED', message: expect.stringContaining('does not exist') });
    const { map } = await open(topic, { missingIsEmpty: true, timeoutMs: 5000 });
    expect(map.size).toBe(0);
  });

  it('tail delivers what another writer appends without readToEnd', async () => {
    const topic = uniqueName('clog-tail');
    const p = await producer();
    const writer = await open(topic, { producer: p, create: { partitions: 2, replicationFactor: 1 } });
    const reader = await open(topic);
    reader.log.tail({ intervalMs: 50 });
    await writer.log.append('late', Buffer.from('1'));
    const deadline = Date.now() + 20_000;
    while (!reader.map.has('late') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(reader.map.get('late')).toBe('1');
    await reader.log.close();
    await expect(reader.log.readToEnd()).rejects.toMatchObject({ code: 'KAFKA_CLOSED' });
  }, 30_000);

  it('reads to the end of a log written inside transactions (the commit markers do not hold the reader), and skips aborted writes', async () => {
    const topic = uniqueName('clog-txn');
    const admin = KafkaAdmin.create(kafkaTestConfig());
    await admin.ensureTopics([
      { name: topic, partitions: 1, replicationFactor: 1, config: { 'cleanup.policy': 'compact' } },
    ]);
    admin.close();
    const p = await producer(uniqueName('txn'));
    const writer = await open(topic);
    await p.beginTransaction();
    await p.send(writer.log.record('a', Buffer.from('committed')));
    await p.commitTransaction();
    await p.beginTransaction();
    await p.send(writer.log.record('b', Buffer.from('aborted')));
    await p.abortTransaction();
    const { map } = await open(topic, { timeoutMs: 5000, readTimeoutMs: 15_000 });
    expect(Object.fromEntries(map)).toEqual({ a: 'committed' });
  }, 60_000);

  it('append without a producer is a wiring error', async () => {
    const topic = uniqueName('clog-ro');
    const { log } = await open(topic, { create: { partitions: 1, replicationFactor: 1 } });
    await expect(log.append('k', Buffer.from('v'))).rejects.toMatchObject({ code: 'KAFKA_PRODUCE_FAILED' });
  });
});
