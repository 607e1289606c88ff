import { afterAll, beforeAll } from '@jest/globals';
import { AshbyClient } from '../../src/ashby/index.js';
import { withAshbyDefaults } from '../../src/config/ashby-options.js';
import type { KafkaError } from '../../src/kafka/errors.js';
import type { Delivery, DeliveryCallback, OutgoingRecord, TopicSpec } from '../../src/kafka/index.js';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import type { StreamState } from '../../src/source/position.js';
import type { SourceKafka, SourceProducer } from '../../src/source/runtime/source-runner.js';
import type { StateStore } from '../../src/source/runtime/state-store.js';

/** An Ashby client for a test's sandbox: the sandbox's full key, no retries, and a rate no test reaches. */
export function sandboxClient(sandbox: RunningSandbox): AshbyClient {
  return new AshbyClient(
    withAshbyDefaults({
      apiKey: sandbox.keys.full,
      baseUrl: sandbox.url,
      retry: { retries: 0 },
      rate: { requestsPerSecond: 2000, burst: 2000, maxConcurrent: 8 },
    }),
  );
}

/** A suite's sandbox and its client (sandboxClient): started before the suite's tests, closed after them. */
export interface LiveSandbox {
  readonly sandbox: RunningSandbox;
  readonly client: AshbyClient;
}

/** Starts a sandbox with `options` and a client for it around the calling suite's tests. */
export function liveSandbox(options: SandboxOptions): LiveSandbox {
  const live = {} as { sandbox: RunningSandbox; client: AshbyClient };
  beforeAll(async () => {
    live.sandbox = await startSandbox(options);
    live.client = sandboxClient(live.sandbox);
  });
  afterAll(async () => {
    await live.client?.close();
    await live.sandbox?.close();
  });
  return live;
}

/** Kafka for a SourceRunner under test: topics are taken as they are, and every producer is `producerOf`. */
export class OneProducerKafka<P extends SourceProducer> implements SourceKafka {
  constructor(readonly producerOf: P) {}
  async ensureTopics(_specs: TopicSpec[]): Promise<void> {}
  async producer(): Promise<SourceProducer> {
    return this.producerOf;
  }
  async transactionalProducer(): Promise<SourceProducer> {
    return this.producerOf;
  }
  async close(): Promise<void> {}
}

/** A producer for tests that defines `send`: `produce` goes through it, and transactions do nothing. */
export abstract class SendingProducer implements SourceProducer {
  fatal: KafkaError | undefined = undefined;
  abstract send(record: OutgoingRecord): Promise<Delivery>;
  produce(record: OutgoingRecord, done: DeliveryCallback): void {
    this.send(record).then(
      (d) => done(null, d),
      (e: Error) => done(e),
    );
  }
  async beginTransaction(): Promise<void> {}
  async commitTransaction(): Promise<void> {}
  async abortTransaction(): Promise<void> {}
  async close(): Promise<void> {}
}

/** A state store in memory: what was saved under each key. */
export class MemoryStateStore implements StateStore {
  readonly kind = 'file' as const;
  readonly states = new Map<string, StreamState>();
  async load(keys: readonly string[]): Promise<Map<string, StreamState>> {
    return new Map(keys.flatMap((k) => (this.states.has(k) ? [[k, this.states.get(k)!] as const] : [])));
  }
  async save(key: string, state: StreamState): Promise<void> {
    this.states.set(key, state);
  }
  async close(): Promise<void> {}
}
