import { describe, expect, it } from '@jest/globals';
import { KafkaResources, sharingKey } from '../../src/kafka/index.js';

/** Which pipelines of a worker may share Kafka clients (nothing connects until first use). */
describe('sharing Kafka clients between pipelines', () => {
  const base = { 'bootstrap.servers': '127.0.0.1:9092', 'security.protocol': 'plaintext', log_level: 0 };

  it('configs that differ only in how a client names itself share; any other difference does not', () => {
    const a = sharingKey({ ...base, 'client.id': 'ashby-kafka.a', 'transaction.timeout.ms': 10_000 });
    const b = sharingKey({ 'client.id': 'ashby-kafka.b', 'group.id': 'g', 'session.timeout.ms': 6_000, ...base });
    expect(b).toBe(a);
    expect(sharingKey({ ...base, 'bootstrap.servers': '127.0.0.1:9093' })).not.toBe(a);
    expect(sharingKey({ ...base, 'compression.codec': 'zstd' })).not.toBe(a);
  });

  it('hands out one set of clients per sharing key, and none after close', async () => {
    const resources = new KafkaResources();
    const a = resources.clients({ ...base, 'client.id': 'x' });
    expect(resources.clients({ ...base, 'client.id': 'y' })).toBe(a);
    expect(resources.clients({ ...base, 'linger.ms': 50 })).not.toBe(a);
    await resources.close();
    expect(() => resources.clients(base)).toThrow(expect.objectContaining({ code: 'KAFKA_CLOSED' }));
  });
});
