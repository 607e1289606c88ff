import { loadContract, type CommandEntity, type Contract } from '../avro/contract.js';
import { createCommandMapper } from './operations/command-mapping.js';
import { createSerde, type Serde } from '../avro/serde/serde.js';
import type { AshbyClient } from '../ashby/client.js';
import type { DestinationConfig, PipelineConfig } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import { rdkafkaConfig } from '../config/kafka-options.js';
import { KafkaConsumer, type ConsumedMessage } from '../kafka/consumer.js';
import { KafkaProducer } from '../kafka/producer.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { createAshbyClient } from '../config/ashby-options.js';
import { CommandProcessor, type MessageOutcome } from './command-processor.js';
import { SinkErrorRateError } from './errors.js';
import { ErrorWindow } from './error-window.js';
import { KeyScheduler } from './key-scheduler.js';
import { Ledger } from './ledger.js';
import { LIBRDKAFKA_SESSION_TIMEOUT_MS, ONCE_ASSIGNMENT_GRACE_MS, OnceTracker } from './once-tracker.js';
import { warnAboutScopes } from './preflight.js';
import { ensureTopics } from './topics.js';
import { serdeConfigFrom } from '../config/serde-options.js';
import { encodeResult } from './results.js';
import { countOutcome, emptySummary, type SinkSummary } from './summary.js';

/**
 * The sink runtime: consumes the command topics in a consumer group, runs each command through
 * the CommandProcessor (same key in order, different keys concurrently), and commits an offset
 * only once the command's effect, its ledger entry, its result and any dead letter are
 * acknowledged. A fatal error (a permission error in `fail` mode, a retriable error the client
 * gave up on, the error-rate limit) stops it without committing the failing command.
 */
export interface SinkRunOptions {
  /** Process up to the end offsets seen when each partition is first assigned, commit, return. */
  once?: boolean;
  logger?: Logger;
  /** Graceful stop: no new commands start; commands in flight finish and are committed. */
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  storePath?: string;
  /** Called every `progressIntervalMs` (default 10 s) and once at the end. */
  onProgress?: (summary: SinkSummary, seconds: number) => void;
  progressIntervalMs?: number;
  /** See ProcessorOptions.takeoverGraceMs. */
  takeoverGraceMs?: number;
  /** Use this client instead of building one from `config.ashby` (benchmarks). Not closed by the sink. */
  ashbyClient?: AshbyClient;
}

export interface SinkRunResult {
  summary: SinkSummary;
  seconds: number;
  /** Set when a fatal error stopped the sink; the failing command was not committed. */
  error?: unknown;
}

/** Messages fetched and not yet finished, above which fetching pauses. */
const MAX_BUFFERED = 1000;
const CONSUME_BATCH = 200;
const CONSUME_WAIT_MS = 200;
const COMMIT_INTERVAL_MS = 1000;
const SINK_LINGER_MS = 1;
/** How often the ledger forgets position-based entries of commands the group has committed. */
const LEDGER_PRUNE_INTERVAL_MS = 30_000;

interface Meta {
  topic: string;
  partition: number;
}

export function resolveDestination(config: PipelineConfig): DestinationConfig {
  if (!config.destination) throw new ConfigError('this pipeline has no `destination` section; `ashby-kafka sink` needs one (see config/kafka-to-ashby.yaml)');
  return config.destination;
}

/** The key commands are ordered by: same topic and key in order; keyless commands each on their own. */
function orderingKey(m: ConsumedMessage): string {
  return m.key ? `${m.topic}\u0000k${m.key.toString('base64')}` : `${m.topic}\u0000p${m.partition}\u0000o${m.offset}`;
}

export async function runSink(config: PipelineConfig, opts: SinkRunOptions = {}): Promise<SinkRunResult> {
  const d = resolveDestination(config);
  const log = (opts.logger ?? silentLogger).child({ component: 'sink' });
  const started = Date.now();
  const seconds = (): number => (Date.now() - started) / 1000;
  const summary = emptySummary();
  const rd = rdkafkaConfig(config.kafka);
  const entityOf = new Map(d.topics.map((t) => [t.topic, t.entity as CommandEntity]));

  await ensureTopics(rd, d, log);
  const contract: Contract = loadContract();
  // Every sink write is awaited by a command in progress, so latency beats batching (unless configured).
  const producer = await KafkaProducer.connect({ config: { 'linger.ms': SINK_LINGER_MS, ...rd }, logger: log });
  const serde: Serde | undefined = d.value_format === 'avro' ? createSerde(serdeConfigFrom(config), contract) : undefined;
  const closers: Array<() => Promise<unknown>> = [() => producer.close()];
  if (serde) closers.push(() => serde.close());
  // Stops commands that have not reached Ashby yet: on a fatal error, and on the caller's graceful stop.
  const stop = new AbortController();
  const onStop = (): void => stop.abort();
  opts.signal?.addEventListener('abort', onStop, { once: true });
  if (opts.signal?.aborted) stop.abort();
  let consumer: KafkaConsumer | undefined;
  let fatal: unknown;
  const owned = (m: Meta): boolean => consumer?.assignments().some((tp) => tp.topic === m.topic && tp.partition === m.partition) ?? false;
  try {
    const ledger = await Ledger.open({ config: rd, topic: d.ledger_topic, producer, logger: log });
    closers.unshift(() => ledger.close());
    log.info('idempotency ledger loaded', { topic: d.ledger_topic, entries: ledger.size });
    const ashby = opts.ashbyClient ?? (await createAshbyClient(config.ashby, { logger: log, env: opts.env, storePath: opts.storePath }));
    if (!opts.ashbyClient) closers.unshift(() => ashby.close());
    await warnAboutScopes(ashby, [...new Set(entityOf.values())], d.on_permission_error, log);

    const processor = new CommandProcessor({
      contract,
      mapper: createCommandMapper(contract),
      serde,
      valueFormat: d.value_format,
      onPermissionError: d.on_permission_error,
      deadLetterTopic: d.dead_letter_topic,
      ashby,
      taskId: `${config.kafka.group_id}/${ledger.owner.slice(0, 8)}`,
      logger: log,
      // Calls in flight are never cut off (that would make their outcome unknown).
      stopSignal: stop.signal,
      // Long enough for the previous owner's call to have finished: connect plus response timeouts.
      takeoverGraceMs: opts.takeoverGraceMs ?? config.ashby.timeouts.connect_ms + config.ashby.timeouts.headers_ms,
      stillOwned: (m) => owned(m),
      lookupBeforeCreate: d.lookup_before_create,
      outputs: {
        ledger,
        deadLetter: async (record) => void (await producer.send(record)),
        result: async (key, result) => {
          const value = await encodeResult(d.value_format, serde, d.results_topic, result);
          await producer.send({ topic: d.results_topic, key, value });
        },
      },
    });

    const scheduler = new KeyScheduler<Meta>(d.concurrency);
    const window = new ErrorWindow(d.error_window, d.max_error_rate);
    let assignmentChanged = false;
    /** Fetching paused because MAX_BUFFERED commands wait (consume keeps being called, so the group keeps us). */
    let paused = false;
    const c = await KafkaConsumer.connect({
      config: rd,
      groupId: config.kafka.group_id,
      topics: d.topics.map((t) => t.topic),
      logger: log,
      onAssign: (parts) => {
        assignmentChanged = true;
        paused = false;
        log.info('partitions assigned', { partitions: parts.map((p) => `${p.topic}[${p.partition}]`) });
      },
      onRevoke: (parts) => {
        // Commands of these partitions not yet started are left to their new owner.
        const gone = new Set(parts.map((p) => `${p.topic}\u0000${p.partition}`));
        const dropped = scheduler.drop((m) => gone.has(`${m.topic}\u0000${m.partition}`));
        log.info('partitions revoked', { partitions: parts.map((p) => `${p.topic}[${p.partition}]`), droppedQueued: dropped.length });
      },
    });
    consumer = c;

    const fail = (err: unknown): void => {
      if (fatal !== undefined) return;
      fatal = err;
      stop.abort();
      const dropped = scheduler.drop(() => true);
      log.error('sink stopping', { err: err as Error, droppedQueued: dropped.length });
    };

    const handle = async (m: ConsumedMessage): Promise<void> => {
      if (fatal !== undefined) return;
      const entity = entityOf.get(m.topic)!;
      let outcome: MessageOutcome;
      try {
        outcome = await processor.process(m, entity);
      } catch (err) {
        outcome = { kind: 'fatal', operation: undefined, error: err };
      }
      countOutcome(summary, entity, outcome);
      if (outcome.kind === 'fatal') return fail(outcome.error);
      if (outcome.kind === 'aborted') return;
      c.markProcessed(m);
      if (outcome.kind !== 'skipped' && window.record(outcome.kind === 'dead_lettered')) fail(new SinkErrorRateError(window.failed, window.size, window.maxRate));
    };

    const sessionMs = Number(rd['session.timeout.ms'] ?? LIBRDKAFKA_SESSION_TIMEOUT_MS);
    const once = opts.once ? new OnceTracker(c, log, sessionMs + ONCE_ASSIGNMENT_GRACE_MS) : undefined;
    let lastCommit = Date.now();
    let lastProgress = Date.now();
    /** 0: prune after the first commit round, once the first assignment is known. */
    let lastPrune = 0;
    const pruneLedger = async (): Promise<void> => {
      const partitions = ledger.positionPartitions();
      if (partitions.length) ledger.forgetCommitted(await c.committed(partitions));
    };
    const progressEvery = opts.progressIntervalMs ?? 10_000;
    const catchUpIfNeeded = async (): Promise<void> => {
      if (!assignmentChanged) return;
      assignmentChanged = false;
      await ledger.catchUp();
      await once?.capture();
    };

    while (fatal === undefined && !opts.signal?.aborted) {
      await catchUpIfNeeded();
      if (!paused && scheduler.pending >= MAX_BUFFERED) {
        c.pause();
        paused = true;
      } else if (paused && scheduler.pending < MAX_BUFFERED / 2) {
        c.resume();
        paused = false;
      }
      const messages = await c.consume(CONSUME_BATCH, CONSUME_WAIT_MS);
      await catchUpIfNeeded();
      let notOwned = 0;
      for (const m of messages) {
        if (fatal !== undefined) break;
        if (once?.beyondEnd(m)) continue;
        // Fetched before a rebalance (served inside this consume) took the partition away: the new owner gets it.
        if (!owned(m)) {
          notOwned++;
          continue;
        }
        scheduler.submit({ key: orderingKey(m), meta: { topic: m.topic, partition: m.partition }, run: () => handle(m) });
      }
      if (notOwned) log.debug('dropped messages of partitions revoked while fetching', { count: notOwned });
      if (Date.now() - lastCommit >= COMMIT_INTERVAL_MS) {
        await c.commit();
        lastCommit = Date.now();
        if (lastCommit - lastPrune >= LEDGER_PRUNE_INTERVAL_MS) {
          lastPrune = lastCommit;
          await pruneLedger().catch((err: unknown) => log.warn('could not read committed offsets to trim the ledger; will try again', { err: err as Error }));
        }
      }
      if (opts.onProgress && Date.now() - lastProgress >= progressEvery) {
        opts.onProgress(summary, seconds());
        lastProgress = Date.now();
      }
      if (once && scheduler.pending === 0 && (await once.finished())) break;
    }
    if (fatal !== undefined || opts.signal?.aborted) scheduler.drop(() => true);
    await scheduler.idle();
    await c.commit();
  } catch (err) {
    fatal ??= err;
  } finally {
    opts.signal?.removeEventListener('abort', onStop);
    try {
      await consumer?.close();
    } catch (err) {
      log.warn('closing the consumer failed', { err: err as Error });
    }
    for (const close of closers) {
      try {
        await close();
      } catch (err) {
        log.warn('closing failed', { err: err as Error });
      }
    }
  }
  opts.onProgress?.(summary, seconds());
  return { summary, seconds: seconds(), ...(fatal !== undefined ? { error: fatal } : {}) };
}
