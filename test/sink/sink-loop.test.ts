import { describe, expect, it } from '@jest/globals';
import { loadContract } from '../../src/avro/contract.js';
import { resolveConfig } from '../../src/config/load.js';
import type { ConsumedMessage } from '../../src/kafka/consumer.js';
import { KafkaError } from '../../src/kafka/errors.js';
import type { PartitionOffset } from '../../src/kafka/offset-tracker.js';
import type { OutgoingRecord } from '../../src/kafka/producer.js';
import { silentLogger } from '../../src/log/logger.js';
import { createCommandMapper } from '../../src/sink/operations/command-mapping.js';
import { SinkLoop, type SinkConsumer } from '../../src/sink/sink-loop.js';
import { FakeAshby, FakeLedger } from './fakes.js';

/** The sink loop with every piece faked: no broker, no Ashby. */
const TOPIC = 'cmds.jobs';
const contract = loadContract();
const config = resolveConfig(
  {
    ashby: { api_key: 'k_test', base_url: 'http://127.0.0.1:1' },
    kafka: { bootstrap_servers: '127.0.0.1:1' },
    destination: {
      topics: [{ topic: TOPIC, entity: 'job' }],
      value_format: 'json',
      dead_letter_topic: 'dlq',
      results_topic: 'results',
      ledger_topic: 'ledger',
    },
  },
  { env: {} },
);

type Tp = { topic: string; partition: number };
const key = (tp: Tp): string => `${tp.topic}[${tp.partition}]`;

/** A consumer over in-memory partitions. `script` runs inside a consume call (a rebalance mid-batch). */
class FakeConsumer implements SinkConsumer {
  assigned: Tp[] = [];
  readonly logs = new Map<number, ConsumedMessage[]>();
  readonly next = new Map<number, number>();
  readonly processed: ConsumedMessage[] = [];
  readonly committedOffsets = new Map<string, number>();
  commitFailures = 0;
  script: Array<(c: FakeConsumer) => void> = [];
  paused = false;

  add(partition: number, value: unknown, msgKey = `k${partition}`): void {
    const log = this.logs.get(partition) ?? [];
    log.push({
      topic: TOPIC,
      partition,
      offset: log.length,
      key: Buffer.from(msgKey),
      value: Buffer.from(JSON.stringify(value)),
      headers: {},
      timestamp: 0,
    });
    this.logs.set(partition, log);
  }

  async consume(max: number): Promise<ConsumedMessage[]> {
    const out: ConsumedMessage[] = [];
    // What was fetched before the script's rebalance still arrives (as from librdkafka's prefetch).
    for (const tp of this.assigned) {
      const log = this.logs.get(tp.partition) ?? [];
      const from = this.next.get(tp.partition) ?? 0;
      const batch = log.slice(from, from + max);
      this.next.set(tp.partition, from + batch.length);
      out.push(...batch);
    }
    this.script.shift()?.(this);
    if (out.length === 0) await new Promise((r) => setTimeout(r, 5));
    return out;
  }
  markProcessed(m: Pick<ConsumedMessage, 'topic' | 'partition' | 'offset'>): void {
    this.processed.push(this.logs.get(m.partition)![m.offset]!);
  }
  async commit(): Promise<PartitionOffset[]> {
    if (this.commitFailures > 0) {
      this.commitFailures--;
      throw new KafkaError('KAFKA_COMMIT_FAILED', 'commit offsets: broker gone (fake)');
    }
    const out: PartitionOffset[] = [];
    for (const m of this.processed) {
      const k = key(m);
      if ((this.committedOffsets.get(k) ?? 0) <= m.offset) {
        this.committedOffsets.set(k, m.offset + 1);
        out.push({ topic: m.topic, partition: m.partition, offset: m.offset + 1 });
      }
    }
    return out;
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }
  assignments(): Tp[] {
    return [...this.assigned];
  }
  async watermarks(ps: Tp[]) {
    return ps.map((p) => ({ ...p, low: 0, high: this.logs.get(p.partition)?.length ?? 0 }));
  }
  async committed(ps: Tp[]): Promise<PartitionOffset[]> {
    return ps.flatMap((p) =>
      this.committedOffsets.has(key(p)) ? [{ ...p, offset: this.committedOffsets.get(key(p))! }] : [],
    );
  }
  positions(ps: Tp[]): PartitionOffset[] {
    return ps.flatMap((p) => (this.next.has(p.partition) ? [{ ...p, offset: this.next.get(p.partition)! }] : []));
  }
}

function setup() {
  const loop = new SinkLoop({
    destination: config.destination!,
    contract,
    mapper: createCommandMapper(contract),
    serde: undefined,
    taskId: 'g/test',
    takeoverGraceMs: 0,
    sessionTimeoutMs: 1000,
    logger: silentLogger,
  });
  const consumer = new FakeConsumer();
  const ledger = Object.assign(new FakeLedger(), { positionPartitions: () => [], forgetCommitted: () => 0 });
  const sent: OutgoingRecord[] = [];
  const producer = { send: async (r: OutgoingRecord) => void sent.push(r) };
  const assign = (...partitions: number[]): void => {
    consumer.assigned = partitions.map((partition) => ({ topic: TOPIC, partition }));
    loop.onAssign(consumer.assigned);
  };
  return { loop, consumer, ledger, sent, producer, assign };
}

const setStatus = (jobId: string) => ({ operation: 'setStatus', jobId, status: 'Open' });

describe('SinkLoop', () => {
  it('--once processes up to the end offsets seen at assignment, commits them and returns (later records wait for the next run)', async () => {
    const { loop, consumer, ledger, producer, sent, assign } = setup();
    for (let i = 0; i < 3; i++) consumer.add(0, setStatus(`j${i}`));
    consumer.add(1, setStatus('j9'));
    // A command produced after the run started (after the end offsets were captured).
    consumer.script = [(c) => c.add(0, setStatus('late'))];
    assign(0, 1);
    const ashby = new FakeAshby().on('job.setStatus', {});
    const result = await loop.run({ consumer, producer, ledger, ashby }, { once: true });
    expect(result.error).toBeUndefined();
    expect(result.summary.ok).toBe(4);
    expect(ashby.calls.map((c) => c.body.jobId).sort()).toEqual(['j0', 'j1', 'j2', 'j9']);
    expect(consumer.committedOffsets.get(`${TOPIC}[0]`)).toBe(3);
    expect(consumer.committedOffsets.get(`${TOPIC}[1]`)).toBe(1);
    expect(sent.filter((r) => r.topic === 'results')).toHaveLength(4);
    expect(ledger.catchUps).toBe(1);
  });

  it('a rebalance mid-batch: messages of the revoked partition fetched in the same poll are left to the new owner, the ledger is read again before new partitions run', async () => {
    const { loop, consumer, ledger, producer, assign } = setup();
    consumer.add(0, setStatus('mine'));
    consumer.add(1, setStatus('lost'));
    consumer.add(2, setStatus('gained'));
    consumer.script = [
      (c) => {
        // Inside the poll: partition 1 is revoked, partition 2 assigned.
        loop.onRevoke([{ topic: TOPIC, partition: 1 }]);
        c.assigned = [{ topic: TOPIC, partition: 0 }];
        c.assigned.push({ topic: TOPIC, partition: 2 });
        loop.onAssign([{ topic: TOPIC, partition: 2 }]);
      },
    ];
    assign(0, 1);
    const ashby = new FakeAshby().on('job.setStatus', {});
    const stop = new AbortController();
    const running = loop.run({ consumer, producer, ledger, ashby }, { signal: stop.signal });
    const deadline = Date.now() + 5000;
    while (ashby.calls.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50));
    stop.abort();
    const result = await running;
    expect(result.error).toBeUndefined();
    expect(ashby.calls.map((c) => c.body.jobId).sort()).toEqual(['gained', 'mine']);
    expect(consumer.processed.map((m) => m.partition).sort()).toEqual([0, 2]);
    // Once for the first assignment, once for the one inside the poll, before partition 2's command ran.
    expect(ledger.catchUps).toBe(2);
  });

  it('a commit failure stops the loop with the error; the command it could not commit stays uncommitted (redelivered, then skipped by the ledger)', async () => {
    const { loop, consumer, ledger, producer, assign } = setup();
    consumer.add(0, setStatus('j1'));
    consumer.commitFailures = 1;
    assign(0);
    const ashby = new FakeAshby().on('job.setStatus', {});
    const result = await loop.run({ consumer, producer, ledger, ashby }, { once: true });
    expect(result.error).toBeInstanceOf(KafkaError);
    expect((result.error as KafkaError).code).toBe('KAFKA_COMMIT_FAILED');
    expect(consumer.committedOffsets.size).toBe(0);
    expect([...ledger.entries.values()].map((e) => e.state)).toEqual(['done']);
  });

  it('a fatal command error stops the loop without committing that command', async () => {
    const { loop, consumer, ledger, producer, assign } = setup();
    consumer.add(0, setStatus('j1'));
    assign(0);
    const ashby = new FakeAshby().on(
      'job.setStatus',
      new KafkaError('KAFKA_PRODUCE_FAILED', 'not an Ashby error (fake)'),
    );
    const result = await loop.run({ consumer, producer, ledger, ashby }, { once: true });
    expect(result.error).toBeDefined();
    expect(consumer.processed).toHaveLength(0);
  });
});
