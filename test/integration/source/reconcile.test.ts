import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AshbyClient } from '../../../src/ashby/index.js';
import { withAshbyDefaults } from '../../../src/config/ashby-options.js';
import type { PipelineConfig } from '../../../src/config/schema.js';
import { CompactedLog, KafkaAdmin, KafkaProducer } from '../../../src/kafka/index.js';
import { SourceRunner } from '../../../src/source/runtime/source-runner.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { kafkaTestConfig } from '../../support/stack.js';
import { readTopic, registrySerde, sourceConfig, storedIds } from './helpers.js';

/**
 * Delete reconciliation at scale, against the real broker, registry and sandbox: 100,000
 * candidate keys in Kafka, 100 deleted in the sandbox without any webhook, one reconciliation →
 * exactly 100 tombstones and 100 deletions records, and a second one finds nothing. Memory is
 * sampled while it runs and logged (docs/webhooks.md quotes the figures).
 */
const CANDIDATES = 100_000;
const DELETED = 100;

let sandbox: RunningSandbox;
let config: PipelineConfig;
let client: AshbyClient;
let runner: SourceRunner;

beforeAll(async () => {
  // The sandbox builds its records lazily; no latency: the test is about counts and memory.
  sandbox = await startSandbox({ seed: 31, scale: CANDIDATES });
  config = sourceConfig({ url: sandbox.url, key: sandbox.keys.full, streams: ['candidates'] });
  client = new AshbyClient(
    withAshbyDefaults({
      apiKey: config.ashby.api_key!,
      baseUrl: config.ashby.base_url,
      retry: { retries: 2, minDelayMs: 10, maxDelayMs: 50 },
      rate: { requestsPerSecond: 2_000, burst: 2_000, maxConcurrent: 16 },
    }),
  );
  runner = await SourceRunner.open(config, { client });
  // Seeding the topic through a source pass would encode 100,000 full candidates (one to two
  // minutes on a loaded 2-core machine); reconciliation reads only keys, so the test writes the
  // sandbox's 100,000 candidate ids straight to the topic, each with a small placeholder value.
  const started = performance.now();
  const topic = `${config.source!.topic_prefix}candidates`;
  const admin = KafkaAdmin.create(kafkaTestConfig());
  try {
    await admin.ensureTopics([
      { name: topic, partitions: 2, replicationFactor: 1, config: { 'cleanup.policy': 'compact' } },
    ]);
  } finally {
    admin.close();
  }
  const producer = await KafkaProducer.connect({ config: kafkaTestConfig() });
  try {
    const value = Buffer.from('{"seeded":true}');
    const ids = [...storedIds(sandbox.engine, 'candidate')];
    for (let i = 0; i < ids.length; i += 10_000)
      await Promise.all(ids.slice(i, i + 10_000).map((key) => producer.send({ topic, key, value })));
  } finally {
    await producer.close();
  }
  console.log(`seeded ${CANDIDATES} candidate keys in ${Math.round(performance.now() - started)} ms`);
}, 240_000);

afterAll(async () => {
  await runner?.close();
  await client?.close();
  await sandbox?.close();
});

/** Tombstoned keys of a topic, read through the broker without keeping any value. */
async function tombstonedKeys(topic: string): Promise<string[]> {
  const keys: string[] = [];
  const log = await CompactedLog.open({
    config: kafkaTestConfig(),
    topic,
    onRecord: (r) => {
      if (r.value === null) keys.push(r.key);
    },
  });
  await log.close();
  return keys;
}

describe('delete reconciliation', () => {
  it('tombstones exactly the 100 of 100,000 candidates deleted without webhooks, in bounded memory', async () => {
    const ids = [...storedIds(sandbox.engine, 'candidate')];
    expect(ids).toHaveLength(CANDIDATES);
    const gone = ids.filter((_, i) => i % (CANDIDATES / DELETED) === 7);
    expect(gone).toHaveLength(DELETED);
    for (const id of gone) expect(sandbox.admin.delete('candidate', id)).toBe(true);
    expect(sandbox.admin.webhookDeliveries()).toHaveLength(0);

    global.gc?.();
    const base = process.memoryUsage();
    const peak = { rss: base.rss, heapUsed: base.heapUsed };
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peak.rss = Math.max(peak.rss, m.rss);
      peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
    }, 20);
    let result;
    try {
      result = await runner.reconcile();
    } finally {
      clearInterval(sampler);
    }
    const mb = (n: number): string => (n / 1e6).toFixed(1);
    console.log(
      `reconcile: ${result.streams[0]!.topicKeys} topic keys, ${result.streams[0]!.listed} listed, ${result.deleted} deleted ` +
        `in ${Math.round(result.durationMs)} ms (topic read ${Math.round(result.streams[0]!.scanMs)} ms, listing ${Math.round(result.streams[0]!.listMs)} ms); id set ${mb(result.streams[0]!.idSetBytes)} MB; ` +
        `peak heap +${mb(peak.heapUsed - base.heapUsed)} MB (${mb(peak.heapUsed)} MB), ` +
        `peak RSS +${mb(peak.rss - base.rss)} MB (${mb(peak.rss)} MB; the in-process sandbox serving the listing included)`,
    );
    expect(result).toMatchObject({ deleted: DELETED, noLongerVisible: 0, tombstones: DELETED, skipped: [] });
    expect(result.streams[0]).toMatchObject({ topicKeys: CANDIDATES, listed: CANDIDATES - DELETED });
    // The id table, not a Map of records: well under 100 bytes per key.
    expect(result.streams[0]!.idSetBytes).toBeLessThan(CANDIDATES * 60);

    const topic = `${config.source!.topic_prefix}candidates`;
    expect((await tombstonedKeys(topic)).sort()).toEqual([...gone].sort());

    const serde = registrySerde();
    try {
      const records = await readTopic(runner.deletionsTopic());
      expect(records).toHaveLength(DELETED);
      const values = await Promise.all(
        records.map(
          async (r) => (await serde.decodeValue(runner.deletionsTopic(), r.value)) as Record<string, unknown>,
        ),
      );
      expect(values.map((v) => v['id']).sort()).toEqual([...gone].sort());
      for (const v of values)
        expect(v).toMatchObject({ stream: 'candidates', reason: 'deleted', tombstoned: true, action: 'reconcile' });
      expect(records.every((r) => r.headers['ashby.sync_mode'] === 'reconcile')).toBe(true);
    } finally {
      await serde.close();
    }

    // A second reconciliation finds nothing more to do.
    const again = await runner.reconcile();
    expect(again).toMatchObject({ deleted: 0, tombstones: 0 });
    expect(again.streams[0]).toMatchObject({ topicKeys: CANDIDATES - DELETED, listed: CANDIDATES - DELETED });
  }, 300_000);
});
