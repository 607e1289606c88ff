import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AshbyClient } from '../../src/ashby/index.js';
import { resolveConfig } from '../../src/config/load.js';
import { KafkaError } from '../../src/kafka/errors.js';
import type { Delivery, OutgoingRecord } from '../../src/kafka/index.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import type { StreamState } from '../../src/source/position.js';
import { SourceRunner, type PassResult } from '../../src/source/runtime/source-runner.js';
import { MemoryStateStore, OneProducerKafka, SendingProducer, sandboxClient } from '../support/source-fakes.js';

/**
 * The source's at-least-once rule under failure (docs/source.md): a position is stored only once
 * every record before it is acknowledged. The runner gets a producer whose acknowledgements the
 * test controls and a state store that keeps every save; Ashby is the in-process sandbox with
 * pages of 10 candidates, and checkpoints are taken after every acknowledged page (interval 0).
 */
const TOPIC = 'alo.candidates';

/** Acknowledges records in order, except that it can refuse one (by its index) or hold them all. */
class ScriptedProducer extends SendingProducer {
  readonly acked: OutgoingRecord[] = [];
  sends = 0;
  /** Index (0-based, over all sends) of the record the broker refuses; -1 for none. */
  refuse = -1;
  /** When set, sends stay unacknowledged until `release()`. */
  hold = false;
  private held: Array<() => void> = [];

  async send(record: OutgoingRecord): Promise<Delivery> {
    const index = this.sends++;
    if (index === this.refuse)
      throw new KafkaError('KAFKA_DELIVERY_FAILED', `deliver to ${record.topic}: broker refused (scripted)`);
    if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
    this.acked.push(record);
    return { topic: record.topic, partition: 0, offset: this.acked.length - 1 };
  }
  release(): void {
    for (const r of this.held.splice(0)) r();
  }
}

/** Keeps every save, so a test can check that no stored position ever ran ahead of the acknowledgements. */
class RecordingStateStore extends MemoryStateStore {
  readonly saves: StreamState[] = [];
  override async save(key: string, state: StreamState): Promise<void> {
    this.saves.push(state);
    await super.save(key, state);
  }
}

let sandbox: RunningSandbox;
let client: AshbyClient;
let allIds: string[];
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 5, scale: 60, pageSize: { maxPerPage: 10 } });
  client = sandboxClient(sandbox);
  const ids: string[] = [];
  for await (const page of client.pages<{ id: string }>('candidate.list', { limit: 100 }))
    ids.push(...page.results.map((c) => c.id));
  allIds = ids.sort();
});
afterAll(async () => {
  await client.close();
  await sandbox.close();
});

function config() {
  return resolveConfig(
    {
      ashby: { api_key: sandbox.keys.full, base_url: sandbox.url },
      kafka: { bootstrap_servers: '127.0.0.1:1' },
      source: {
        streams: ['candidates'],
        topic_prefix: 'alo.',
        state: 'file:/nonexistent/unused.json',
        checkpoint_interval: '0s',
      },
    },
    { env: {} },
  );
}

async function pass(producer: ScriptedProducer, state: RecordingStateStore, signal?: AbortSignal): Promise<PassResult> {
  const runner = await SourceRunner.open(config(), {
    client,
    kafka: new OneProducerKafka(producer),
    stateStore: state,
    ...(signal ? { signal } : {}),
  });
  try {
    return await runner.runPass();
  } finally {
    await runner.close();
  }
}

const keys = (records: OutgoingRecord[]): string[] => records.map((r) => String(r.key));

describe('at-least-once under failure', () => {
  it('a delivery refused on page 3 fails the pass; no stored position passes page 2; the next pass resumes there and nothing is lost', async () => {
    expect(allIds.length).toBe(60);
    const state = new RecordingStateStore();
    const failing = new ScriptedProducer();
    failing.refuse = 24; // the 5th record of page 3
    const first = await pass(failing, state);
    expect(first.error).toMatchObject({ code: 'KAFKA_DELIVERY_FAILED' });
    expect(first.streams[0]).toMatchObject({ stream: 'candidates', phase: 'failed' });
    // Checkpoints of pages 1 and 2 only: no sync token, no cursor past the refused page.
    expect(state.saves.length).toBeGreaterThan(0);
    for (const s of state.saves) {
      expect(s.syncToken).toBeUndefined();
      expect(s.pass?.pages).toBeLessThanOrEqual(2);
    }

    const healthy = new ScriptedProducer();
    const second = await pass(healthy, state);
    expect(second.error).toBeUndefined();
    expect(state.states.get(TOPIC)?.syncToken).toEqual(expect.any(String));
    // Resumed from the checkpoint (not from scratch), and every candidate reached Kafka at least once.
    expect(healthy.acked.length).toBeLessThan(60);
    expect([...new Set([...keys(failing.acked), ...keys(healthy.acked)])].sort()).toEqual(allIds);
  });

  it('aborting the runner while records are unacknowledged stores nothing for the stream', async () => {
    const state = new RecordingStateStore();
    const stalled = new ScriptedProducer();
    stalled.hold = true;
    const stop = new AbortController();
    const running = pass(stalled, state, stop.signal);
    for (let i = 0; stalled.sends === 0; i++) {
      if (i > 1_000) throw new Error('the pass never produced');
      await new Promise((r) => setTimeout(r, 5));
    }
    stop.abort();
    const result = await running;
    expect(result.stopped).toBe(true);
    expect(result.error).toBeUndefined();
    expect(result.streams[0]!.phase).toBe('stopped');
    expect(stalled.acked).toEqual([]);
    expect(state.saves).toEqual([]);
    stalled.release(); // acknowledgements arriving after the stop change nothing
    await new Promise((r) => setImmediate(r));
    expect(state.saves).toEqual([]);
  });

  it('runForever: a failed pass is retried at the next interval', async () => {
    const state = new RecordingStateStore();
    const producer = new ScriptedProducer();
    producer.refuse = 3;
    const stop = new AbortController();
    const runner = await SourceRunner.open(config(), {
      client,
      kafka: new OneProducerKafka(producer),
      stateStore: state,
      signal: stop.signal,
    });
    const passes: PassResult[] = [];
    try {
      await runner.runForever(50, (r) => {
        passes.push(r);
        if (passes.length === 2) stop.abort();
      });
    } finally {
      await runner.close();
    }
    expect(passes.map((p) => p.error?.code)).toEqual(['KAFKA_DELIVERY_FAILED', undefined]);
    expect(passes.map((p) => p.stopped)).toEqual([false, false]);
    expect(state.states.get(TOPIC)?.syncToken).toEqual(expect.any(String));
    expect([...new Set(keys(producer.acked))].sort()).toEqual(allIds);
  });

  it('runForever: the signal ends the wait for the next pass at once, and the loop returns without an error', async () => {
    const state = new RecordingStateStore();
    const stop = new AbortController();
    const runner = await SourceRunner.open(config(), {
      client,
      kafka: new OneProducerKafka(new ScriptedProducer()),
      stateStore: state,
      signal: stop.signal,
    });
    const passes: PassResult[] = [];
    let outcome: unknown;
    try {
      // An hour between passes: only the signal can end the wait before the guard below gives up.
      const loop = runner.runForever(3_600_000, (r) => {
        passes.push(r);
        setTimeout(() => stop.abort(), 10);
      });
      outcome = await Promise.race([
        loop.then(
          () => 'returned',
          (e: unknown) => e,
        ),
        new Promise((r) => setTimeout(() => r('still waiting'), 10_000).unref()),
      ]);
    } finally {
      await runner.close();
    }
    expect(outcome).toBe('returned');
    expect(passes).toHaveLength(1);
    expect(passes[0]).toMatchObject({ stopped: false });
    expect(passes[0]!.error).toBeUndefined();
    expect(state.states.get(TOPIC)?.syncToken).toEqual(expect.any(String));
  });
});
