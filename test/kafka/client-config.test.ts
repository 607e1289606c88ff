import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../src/errors.js';
import { KafkaAdmin, KafkaConsumer, KafkaProducer } from '../../src/kafka/index.js';

/** librdkafka refuses unknown properties at construction: that is a config error, not a bug. */
describe('invalid librdkafka settings', () => {
  const bad = { 'bootstrap.servers': '127.0.0.1:1', 'securty.protocol': 'ssl' };

  it('admin: ConfigError naming kafka.librdkafka and the property', () => {
    let caught: unknown;
    try {
      KafkaAdmin.create(bad);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).code).toBe('CONFIG_INVALID');
    expect((caught as Error).message).toContain('kafka.librdkafka');
    expect((caught as Error).message).toContain('securty.protocol');
  });

  it('producer and consumer: rejected before any connection is made', async () => {
    await expect(KafkaProducer.connect({ config: bad, timeoutMs: 1000 })).rejects.toBeInstanceOf(ConfigError);
    await expect(
      KafkaConsumer.connect({ config: bad, groupId: 'g', topics: ['t'], timeoutMs: 1000 }),
    ).rejects.toBeInstanceOf(ConfigError);
  });
});
