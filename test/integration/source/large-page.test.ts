import { describe, expect, it } from '@jest/globals';
import type { AshbyPage } from '../../../src/ashby/index.js';
import { SourceRunner } from '../../../src/source/runtime/source-runner.js';
import { readTopic, sourceConfig } from './helpers.js';

/**
 * One batch larger than the transactional producer's in-flight cap (1,000): child streams batch
 * every child of up to 100 parents, so this happens. The page and its position must commit
 * together, all of it, for a read_committed consumer. The runner is fed by a fake Ashby (the
 * stream is data; the runner, Kafka and the registry are real).
 */
describe('source: exactly-once with a page above the in-flight cap', () => {
  it('commits every record of the page and its position in one transaction', async () => {
    const n = 1_500;
    const records = Array.from({ length: n }, (_, i) => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      name: `Department ${i}`,
      isArchived: false,
      externalName: null,
      parentId: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    }));
    const client = {
      apiKey: { info: async () => ({ results: {} }) },
      async *pages<T>(): AsyncIterable<AshbyPage<T>> {
        yield {
          results: records as T[],
          requestId: 'req-1',
          pageNumber: 1,
          moreDataAvailable: false,
          syncToken: 'token-after-page',
        } as AshbyPage<T>;
      },
    };
    const config = sourceConfig({
      url: 'http://127.0.0.1:9',
      key: 'unused-key-for-a-fake-client',
      streams: ['departments'],
      exactlyOnce: true,
    });
    const runner = await SourceRunner.open(config, { client: client as never });
    let result;
    try {
      result = await runner.runPass();
    } finally {
      await runner.close();
    }
    expect(result.error).toBeUndefined();
    const prefix = config.source!.topic_prefix;
    const produced = await readTopic(`${prefix}departments`);
    expect(produced).toHaveLength(n);
    expect(new Set(produced.map((r) => r.key)).size).toBe(n);
    const state = await readTopic(`${prefix}state`);
    expect(state.map((r) => JSON.parse(r.value.toString('utf8')).syncToken)).toContain('token-after-page');
  });
});
