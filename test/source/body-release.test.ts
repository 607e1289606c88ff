import { describe, expect, it } from '@jest/globals';
import type { AshbyClient } from '../../src/ashby/index.js';
import type { AshbyPage, PagesOptions } from '../../src/ashby/types.js';
import { resolveConfig } from '../../src/config/load.js';
import { JsonSlice, markReleasable, releaseBody } from '../../src/json/bytes.js';
import type { Delivery, OutgoingRecord } from '../../src/kafka/index.js';
import { SourceRunner, type SourceClient } from '../../src/source/runtime/source-runner.js';
import { MemoryStateStore, OneProducerKafka, SendingProducer, liveSandbox } from '../support/source-fakes.js';

/**
 * A page's response body is handed back (its ArrayBuffer detached) as soon as the page is
 * encoded, instead of waiting for V8's next full collection (docs/profiles/serve-cpu.md,
 * sixth round). Only bodies the transport marked as theirs alone are released, and a pass
 * writes the same records as when the bodies are kept.
 */
describe('markReleasable and releaseBody', () => {
  it('release a body that is a whole ArrayBuffer of its own, once', () => {
    const body = markReleasable(Buffer.from(new Uint8Array(64 * 1024).fill(0x20)));
    expect(releaseBody(body)).toBe(true);
    expect(body.length).toBe(0);
    expect(body.buffer.byteLength).toBe(0);
    expect(releaseBody(body)).toBe(false);
  });

  it('leave unmarked, pooled, sliced and small bodies as they are', () => {
    const unmarked = Buffer.alloc(64 * 1024, 0x20);
    const pooled = markReleasable(Buffer.from('{"results":[]}')); // a slice of node's Buffer pool
    const big = Buffer.alloc(128 * 1024, 0x20);
    const sliced = markReleasable(big.subarray(0, 64 * 1024));
    const small = markReleasable(Buffer.from(new Uint8Array(1024)));
    for (const b of [unmarked, pooled, sliced, small]) {
      const before = Buffer.from(b);
      expect(releaseBody(b)).toBe(false);
      expect(b.equals(before)).toBe(true);
    }
    expect(big.length).toBe(128 * 1024);
  });
});

class KeepingProducer extends SendingProducer {
  readonly records: Array<{ key: string; value: Buffer }> = [];
  async send(record: OutgoingRecord): Promise<Delivery> {
    // librdkafka copies a record when it is produced; so does this producer.
    this.records.push({ key: String(record.key), value: Buffer.from(record.value!) });
    return { topic: record.topic, partition: 0, offset: this.records.length - 1 };
  }
}

/**
 * The client, noting every body its pages' records were read from. With `copy`, each page's
 * records are read from a copy of its body instead, which nothing marked, so the pass keeps it.
 */
function watched(client: AshbyClient, bodies: Set<Buffer>, copy: boolean): SourceClient {
  return {
    apiKey: client.apiKey,
    pages: <T>(endpoint: string, body?: Record<string, unknown>, options?: PagesOptions) =>
      (async function* () {
        for await (const page of client.pages<T>(endpoint, body, options)) {
          const copies = new Map<Buffer, Buffer>();
          const results = (page.results as unknown[]).map((r) => {
            if (!(r instanceof JsonSlice)) return r;
            if (!copy) {
              bodies.add(r.src);
              return r;
            }
            let c = copies.get(r.src);
            if (!c) copies.set(r.src, (c = Buffer.from(r.src)));
            bodies.add(c);
            return new JsonSlice(c, r.start, r.end);
          });
          yield { ...page, results } as AshbyPage<T>;
        }
      })(),
  };
}

// Pages of 100 candidates are above json-body's split size, so their records are read as bytes.
const live = liveSandbox({ seed: 11, scale: 300 });

async function pass(source: SourceClient): Promise<KeepingProducer> {
  const producer = new KeepingProducer();
  const runner = await SourceRunner.open(
    resolveConfig(
      {
        ashby: { api_key: live.sandbox.keys.full, base_url: live.sandbox.url },
        kafka: { bootstrap_servers: '127.0.0.1:1' },
        source: { streams: ['candidates'], topic_prefix: 'release.', state: 'file:/nonexistent/unused.json' },
      },
      { env: {} },
    ),
    { client: source, kafka: new OneProducerKafka(producer), stateStore: new MemoryStateStore() },
  );
  try {
    const result = await runner.runPass();
    expect(result.error).toBeUndefined();
  } finally {
    await runner.close();
  }
  return producer;
}

describe('a source pass', () => {
  it('releases each page body once the page is encoded, and writes the same records as when the bodies are kept', async () => {
    const bodies = new Set<Buffer>();
    const released = await pass(watched(live.client, bodies, false));
    expect(bodies.size).toBeGreaterThanOrEqual(3);
    for (const b of bodies) expect(b.length).toBe(0);

    const copies = new Set<Buffer>();
    const keptPass = await pass(watched(live.client, copies, true));
    expect(copies.size).toBe(bodies.size);
    for (const b of copies) expect(b.length).toBeGreaterThan(64 * 1024);

    expect(released.records.length).toBe(300);
    expect(released.records.map((r) => r.key)).toEqual(keptPass.records.map((r) => r.key));
    for (let i = 0; i < released.records.length; i++)
      expect(released.records[i]!.value.equals(keptPass.records[i]!.value)).toBe(true);
  });
});
