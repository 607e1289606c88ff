import { loadContract, type CommandEntity } from '../avro/contract.js';
import type { RegistryRetryObserver } from '../avro/registry/registry-client.js';
import { createSerde } from '../avro/serde/create-serde.js';
import { createAshbyClient } from '../config/ashby-options.js';
import type { AshbyClient } from '../ashby/client.js';
import { rdkafkaConfig } from '../config/kafka-options.js';
import type { DestinationConfig, PipelineConfig } from '../config/schema.js';
import { serdeConfigFrom } from '../config/serde-options.js';
import { ConfigError } from '../errors.js';
import { KafkaConsumer } from '../kafka/consumer.js';
import { KafkaProducer } from '../kafka/producer.js';
import { silentLogger } from '../log/logger.js';
import { Ledger } from './ledger.js';
import { LIBRDKAFKA_SESSION_TIMEOUT_MS } from './once-tracker.js';
import { createCommandMapper } from './operations/command-mapping.js';
import { warnAboutScopes } from './preflight.js';
import { SinkLoop, type SinkLoopOptions, type SinkParts, type SinkRunResult } from './sink-loop.js';
import { emptySummary } from './summary.js';
import { ensureTopics } from './topics.js';

export {
  SinkLoop,
  type SinkConsumer,
  type SinkLedger,
  type SinkLoopOptions,
  type SinkParts,
  type SinkRunResult,
  type SinkSettings,
} from './sink-loop.js';

/** The wiring's inputs beyond the loop's. */
export interface SinkRunOptions extends SinkLoopOptions {
  env?: NodeJS.ProcessEnv;
  storePath?: string;
  /** Use this client instead of one built from `config.ashby` (service mode: a key from the credentials topic, per-pipeline metrics). Not closed by the sink. */
  ashbyClient?: AshbyClient;
  /** Told of each retry of the serde's registry calls (service mode's metric). */
  onRegistryRetry?: RegistryRetryObserver;
}

const SINK_LINGER_MS = 1;

/**
 * Failures after the producer is connected (ledger, Ashby key, consumer): runSink reports them as
 * the run's error, as it does a fatal error of the loop; earlier ones (topics, producer) it throws.
 */
const AFTER_CONNECT = new WeakSet<object>();

export function resolveDestination(config: PipelineConfig): DestinationConfig {
  if (!config.destination)
    throw new ConfigError(
      'this pipeline has no `destination` section; `ashby-kafka sink` needs one (see config/kafka-to-ashby.yaml)',
    );
  return config.destination;
}

/** The sink's pieces, connected: run `loop.run(parts)`, then `close()`. */
export interface OpenSink {
  loop: SinkLoop;
  parts: SinkParts;
  close(): Promise<void>;
}

/**
 * Builds the sink's pieces from the pipeline: topics, producer, serde, ledger (read to its end),
 * Ashby client (with the preflight scope warning) and the group consumer, whose rebalances reach
 * the loop. On a failure half-way, what was opened is closed again.
 */
export async function openSink(
  config: PipelineConfig,
  opts: Pick<SinkRunOptions, 'logger' | 'env' | 'storePath' | 'ashbyClient' | 'onRegistryRetry'> = {},
): Promise<OpenSink> {
  const d = resolveDestination(config);
  const log = (opts.logger ?? silentLogger).child({ component: 'sink' });
  const rd = rdkafkaConfig(config.kafka);
  await ensureTopics(rd, d, log);
  const contract = loadContract();
  const closers: Array<() => Promise<unknown>> = [];
  const close = async (): Promise<void> => {
    for (const c of closers) {
      try {
        await c();
      } catch (err) {
        log.warn('closing failed', { err: err as Error });
      }
    }
  };
  // Every sink write is awaited by a command in progress, so latency beats batching (unless configured).
  const producer = await KafkaProducer.connect({ config: { 'linger.ms': SINK_LINGER_MS, ...rd }, logger: log });
  closers.unshift(() => producer.close());
  try {
    const serde =
      d.value_format === 'avro'
        ? createSerde(serdeConfigFrom(config), contract, { logger: log, onRegistryRetry: opts.onRegistryRetry })
        : undefined;
    if (serde) closers.push(() => serde.close());
    const ledger = await Ledger.open({ config: rd, topic: d.ledger_topic, producer, logger: log });
    closers.unshift(() => ledger.close());
    log.info('idempotency ledger loaded', { topic: d.ledger_topic, entries: ledger.size });
    const ashby =
      opts.ashbyClient ??
      (await createAshbyClient(config.ashby, { logger: log, env: opts.env, storePath: opts.storePath }));
    if (!opts.ashbyClient) closers.unshift(() => ashby.close());
    await warnAboutScopes(
      ashby,
      [...new Set(d.topics.map((t) => t.entity as CommandEntity))],
      d.on_permission_error,
      log,
    );
    const loop = new SinkLoop({
      destination: d,
      contract,
      mapper: createCommandMapper(contract),
      serde,
      taskId: `${config.kafka.group_id}/${ledger.owner.slice(0, 8)}`,
      // Long enough for the previous owner's call to have finished: connect plus response timeouts.
      takeoverGraceMs: config.ashby.timeouts.connect_ms + config.ashby.timeouts.headers_ms,
      sessionTimeoutMs: Number(rd['session.timeout.ms'] ?? LIBRDKAFKA_SESSION_TIMEOUT_MS),
      logger: log,
    });
    const consumer = await KafkaConsumer.connect({
      config: rd,
      groupId: config.kafka.group_id,
      topics: d.topics.map((t) => t.topic),
      logger: log,
      onAssign: (parts) => loop.onAssign(parts),
      onRevoke: (parts) => loop.onRevoke(parts),
    });
    // The consumer closes first (it commits what is processed and leaves the group).
    closers.unshift(async () => {
      try {
        await consumer.close();
      } catch (err) {
        log.warn('closing the consumer failed', { err: err as Error });
      }
    });
    return { loop, parts: { consumer, producer, ledger, ashby }, close };
  } catch (err) {
    await close();
    if (typeof err === 'object' && err !== null) AFTER_CONNECT.add(err);
    throw err;
  }
}

/** `ashby-kafka sink`: opens the pieces, runs the loop, closes them. A failure to open is reported like a fatal error. */
export async function runSink(config: PipelineConfig, opts: SinkRunOptions = {}): Promise<SinkRunResult> {
  const started = Date.now();
  let sink: OpenSink;
  try {
    sink = await openSink(config, opts);
  } catch (err) {
    if (typeof err !== 'object' || err === null || !AFTER_CONNECT.has(err)) throw err;
    const seconds = (Date.now() - started) / 1000;
    opts.onProgress?.(emptySummary(), seconds);
    return { summary: emptySummary(), seconds, error: err };
  }
  try {
    return await sink.loop.run(sink.parts, opts);
  } finally {
    await sink.close();
  }
}
