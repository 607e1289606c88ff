import { ulid } from 'ulid';
import { AshbyPermissionError, scopesAllow } from '../../ashby/index.js';
import type { ApiKeyInfo, AshbyResult } from '../../ashby/index.js';
import { createSerde, createStreamMapper, loadContract, type Contract, type Serde, type StreamMapper } from '../../avro/index.js';
import { serdeConfigFrom } from '../../config/serde-options.js';
import { parseDuration } from '../../config/duration.js';
import type { PipelineConfig } from '../../config/schema.js';
import { AshbyKafkaError, ConfigError } from '../../errors.js';
import { rdkafkaConfig } from '../../config/kafka-options.js';
import { KafkaAdmin, KafkaProducer, type RdConfig, type TopicSpec } from '../../kafka/index.js';
import { silentLogger, type Logger } from '../../log/logger.js';
import { DEFAULT_CATALOG, type CatalogStream, type StreamCatalog } from '../catalog.js';
import { selectStreams, type StreamSelection } from '../../config/stream-selection.js';
import type { ListSource } from '../stream-reader.js';
import type { StreamPosition } from '../position.js';
import { silentProgress, statusOf, type ProgressSink, type StreamProgress } from './progress.js';
import { FileStateStore, KafkaStateStore, type StateStore } from './state-store.js';
import { runStreamTask, type StreamRuntime } from './stream-task.js';

/**
 * The source runtime: owns Kafka (topics, producers, transactions), state and scheduling, and
 * drives the connector half (catalog + stream reader) once per pass. Streams run concurrently
 * (`source.concurrency`), all drawing on the Ashby client's shared per-key rate budget.
 */
export interface SourceClient extends ListSource {
  apiKey: { info(): Promise<AshbyResult<ApiKeyInfo>> };
}

export interface SourceRunnerDeps {
  client: SourceClient;
  logger?: Logger;
  /** A fresh sink per pass (the CLI draws a live view on a terminal). */
  progress?: () => ProgressSink;
  /** Shutdown: the current pages are abandoned, nothing un-acknowledged is stored. */
  signal?: AbortSignal;
  catalog?: StreamCatalog;
  contract?: Contract;
  /** Pages read ahead per stream (default 2). */
  prefetchPages?: number;
  /** Kafka as the runner sees it (default: built from `config.kafka`); unit tests inject fakes. */
  kafka?: SourceKafka;
  /** Where positions live (default: from `source.state`). */
  stateStore?: StateStore;
  /** The serde (default: from `schema_registry`). */
  serde?: Serde;
}

/** What the runner does with a producer (KafkaProducer implements it). */
export type SourceProducer = Pick<KafkaProducer, 'send' | 'beginTransaction' | 'commitTransaction' | 'abortTransaction' | 'fatal' | 'close'>;

/** The runner's Kafka: topics, the shared producer, per-stream transactional producers. */
export interface SourceKafka {
  ensureTopics(specs: TopicSpec[]): Promise<unknown>;
  /** The producer shared by every stream (at-least-once) and the Kafka state store. */
  producer(): Promise<SourceProducer>;
  /** A stream's own transactional producer (exactly-once); the runner closes it after the stream. */
  transactionalProducer(transactionalId: string, logger: Logger): Promise<SourceProducer>;
  close(): Promise<void>;
}

/** The real SourceKafka over librdkafka: clients are made on first use. */
export function kafkaForSource(rd: RdConfig, logger: Logger): SourceKafka {
  let admin: KafkaAdmin | undefined;
  /** The promise, not the producer: streams starting together must share one connection. */
  let shared: Promise<KafkaProducer> | undefined;
  return {
    ensureTopics: (specs) => (admin ??= KafkaAdmin.create(rd, { logger })).ensureTopics(specs),
    producer: () => (shared ??= KafkaProducer.connect({ config: rd, logger })),
    transactionalProducer: (transactionalId, log) => KafkaProducer.connect({ config: rd, transactionalId, logger: log, maxInFlight: 1_000 }),
    close: async () => {
      admin?.close();
      admin = undefined;
      const producer = shared;
      shared = undefined;
      if (producer) await (await producer.catch(() => undefined))?.close();
    },
  };
}

export interface PassResult {
  runId: string;
  streams: StreamProgress[];
  durationMs: number;
  /** The first failure (the pass is then unsuccessful); other streams still ran to their end. */
  error?: AshbyKafkaError;
  stopped: boolean;
}

/** Pages read ahead of the one being produced, per stream: absorbs latency jitter; memory is pages × 100 records. */
const DEFAULT_PREFETCH_PAGES = 2;

/** librdkafka property prefix of the per-stream transactional ids: `<client_id>.source.<topic>`. */
export function transactionalIdFor(config: PipelineConfig, topic: string): string {
  return `${config.kafka.client_id}.source.${topic}`;
}

export class SourceRunner {
  private readonly logger: Logger;
  private readonly catalog: StreamCatalog;
  private readonly contract: Contract;
  private readonly mapper: StreamMapper;
  private readonly serde: Serde;
  private readonly kafka: SourceKafka;
  private readonly stateStore: StateStore;
  private readonly ensuredTopics = new Map<string, Promise<void>>();
  /** What every stream task of every pass shares. */
  private readonly runtime: StreamRuntime;
  readonly selection: StreamSelection;

  private constructor(private readonly config: PipelineConfig, private readonly deps: SourceRunnerDeps) {
    const source = config.source!;
    this.logger = (deps.logger ?? silentLogger).child({ component: 'source' });
    this.catalog = deps.catalog ?? DEFAULT_CATALOG;
    this.contract = deps.contract ?? loadContract();
    this.mapper = createStreamMapper(this.contract);
    this.selection = selectStreams(source, this.catalog);
    const rd = rdkafkaConfig(config.kafka);
    this.kafka = deps.kafka ?? kafkaForSource(rd, this.logger);
    this.serde = deps.serde ?? createSerde(serdeConfigFrom(config), this.contract);
    if (deps.stateStore) {
      this.stateStore = deps.stateStore;
    } else if (source.state === 'kafka') {
      this.stateStore = new KafkaStateStore({ rd, topic: source.state_topic, replicationFactor: source.topics.replication_factor, logger: this.logger });
    } else {
      if (source.exactly_once) {
        throw new ConfigError('source.exactly_once needs source.state: kafka (the state must commit in the same Kafka transaction as the records)');
      }
      this.stateStore = new FileStateStore(source.state.slice('file:'.length));
    }
    this.runtime = {
      client: deps.client,
      mapper: this.mapper,
      serde: this.serde,
      stateStore: this.stateStore,
      mode: source.mode,
      keyFormat: source.key_format,
      exactlyOnce: source.exactly_once,
      signal: deps.signal,
      prefetchPages: deps.prefetchPages ?? DEFAULT_PREFETCH_PAGES,
      checkpointIntervalMs: parseDuration(source.checkpoint_interval, 'source.checkpoint_interval'),
    };
  }

  static async open(config: PipelineConfig, deps: SourceRunnerDeps): Promise<SourceRunner> {
    if (!config.source) throw new ConfigError('this pipeline has no `source` section; add one to stream Ashby records into Kafka');
    return new SourceRunner(config, deps);
  }

  topicOf(stream: CatalogStream): string {
    return `${this.config.source!.topic_prefix}${stream.name}`;
  }

  /** One pass of every selected stream. Never throws for a stream's failure: see PassResult.error. */
  async runPass(): Promise<PassResult> {
    const source = this.config.source!;
    const runId = ulid();
    const started = performance.now();
    const sink = this.deps.progress?.() ?? silentProgress;
    const signal = this.deps.signal;
    const log = this.logger.child({ runId });
    const progress = new Map<string, StreamProgress>();
    for (const s of this.selection.streams) {
      progress.set(s.name, { stream: s.name, topic: this.topicOf(s), mode: '-', phase: 'waiting', records: 0, pages: 0, calls: 0, restarts: 0, startedAt: undefined, endedAt: undefined });
    }
    let firstError: AshbyKafkaError | undefined;
    const fail = (p: StreamProgress, err: unknown): void => {
      const e = err instanceof AshbyKafkaError ? err : new AshbyKafkaError('INTERNAL', err instanceof Error ? err.message : String(err), { cause: err });
      p.phase = 'failed';
      p.detail = e.code;
      firstError ??= e;
    };

    // The permission check (one Ashby call) overlaps Kafka setup and reading the state. Settled
    // before returning even when the check fails, so close() finds every client it opened.
    let loading: Promise<unknown> | undefined;
    try {
      const load = this.prepare().then(() => this.stateStore.load(this.selection.streams.map((s) => this.topicOf(s))));
      loading = load;
      load.catch(() => undefined);
      const runnable = await this.checkPermissions([...progress.values()], log, sink);
      const states = await load;
      log.info('source pass started', { streams: runnable.map((s) => s.name), mode: source.mode, exactlyOnce: source.exactly_once });

      // Largest streams first: the pass ends when its longest stream ends.
      const queue = [...runnable];
      const worker = async (): Promise<void> => {
        for (let s = queue.shift(); s; s = queue.shift()) {
          const p = progress.get(s.name)!;
          if (signal?.aborted || (firstError && isFatal(firstError))) {
            p.phase = 'stopped';
            sink.update(p);
            continue;
          }
          await this.runOne(s, p, states.get(this.topicOf(s)) ?? {}, runId, sink, log).catch((err) => fail(p, err));
          p.endedAt = performance.now();
          sink.update(p);
        }
      };
      await Promise.all(Array.from({ length: Math.min(source.concurrency, queue.length) }, worker));
    } catch (err) {
      firstError ??= err instanceof AshbyKafkaError ? err : new AshbyKafkaError('INTERNAL', (err as Error).message, { cause: err });
    } finally {
      await loading?.catch(() => undefined);
      sink.finish();
    }
    const streams = [...progress.values()];
    const stopped = Boolean(signal?.aborted);
    const summary = { runId, records: streams.reduce((n, p) => n + p.records, 0), failed: streams.filter((p) => statusOf(p) === 'failed').map((p) => p.stream) };
    if (firstError) log.error('source pass failed', { ...summary, err: firstError });
    else log.info(stopped ? 'source pass stopped' : 'source pass finished', summary);
    return { runId, streams, durationMs: performance.now() - started, ...(firstError ? { error: firstError } : {}), stopped };
  }

  /** Passes every `source.interval` until the signal fires. Throws the first failed pass's error when `stopOnError`. */
  async runForever(intervalMs: number, onPass: (r: PassResult) => void, stopOnError = false): Promise<void> {
    const signal = this.deps.signal;
    while (!signal?.aborted) {
      const result = await this.runPass();
      onPass(result);
      if (result.error && (stopOnError || isFatal(result.error))) throw result.error;
      if (signal?.aborted) return;
      this.logger.info('next source pass scheduled', { inMs: intervalMs });
      await sleep(intervalMs, signal);
    }
  }

  async close(): Promise<void> {
    await this.kafka.close();
    await this.stateStore.close();
    await this.serde.close();
  }

  private async runOne(stream: CatalogStream, p: StreamProgress, start: StreamPosition, runId: string, sink: ProgressSink, log: Logger): Promise<void> {
    const source = this.config.source!;
    const topic = this.topicOf(stream);
    const exactlyOnce = source.exactly_once;
    const topicReady = this.ensureTopic(topic);
    topicReady.catch(() => undefined); // awaited by the task before its first record
    const producer = exactlyOnce
      ? await this.kafka.transactionalProducer(transactionalIdFor(this.config, topic), log)
      : await this.kafka.producer();
    try {
      // Exactly-once: the state read at the start of the pass may predate a page that another
      // process with the same transactional.id committed before initTransactions fenced it.
      // Now that it is fenced, read this stream's position again (read_committed).
      if (exactlyOnce) start = (await this.stateStore.load([topic])).get(topic) ?? {};
      const outcome = await runStreamTask(
        this.runtime,
        { runId, sink, logger: log },
        {
          stream,
          top: this.catalog.parentOf(stream) ?? stream,
          topic,
          topicReady,
          stateKey: topic,
          start,
          valueType: this.contract.streamType(stream.name),
          producer,
          progress: p,
        },
      );
      p.phase = outcome;
    } catch (err) {
      if (err instanceof AshbyPermissionError && !this.selection.explicit.has(stream.name)) {
        this.skip(p, err, log);
        return;
      }
      if (this.deps.signal?.aborted) {
        p.phase = 'stopped';
        return;
      }
      throw err;
    } finally {
      if (exactlyOnce) await producer.close().catch((err) => log.warn('closing the transactional producer failed', { stream: stream.name, err: err as Error }));
    }
  }

  private skip(p: StreamProgress, err: AshbyPermissionError, log: Logger): void {
    p.phase = 'skipped';
    p.detail = `no ${err.module ?? 'module'} read permission`;
    log.warn(`skipping stream ${p.stream}: the API key cannot read it`, { stream: p.stream, module: err.module, scope: err.details.scope, hint: 'grant the permission, or add the stream to source.exclude to silence this warning' });
  }

  /**
   * Streams the key's scopes (apiKey.info) do not cover: skipped with one warning each, or, when
   * listed explicitly in source.streams, the pass fails before anything is produced. Without
   * apiKey.info access the check happens on each stream's first call instead.
   */
  private async checkPermissions(all: StreamProgress[], log: Logger, sink: ProgressSink): Promise<CatalogStream[]> {
    let scopes: string[] | undefined;
    try {
      scopes = (await this.deps.client.apiKey.info()).results.scopes ?? undefined;
    } catch (err) {
      if (!(err instanceof AshbyPermissionError)) throw err;
      log.debug('apiKey.info is not allowed for this key; permissions are checked per stream');
    }
    const runnable: CatalogStream[] = [];
    for (const s of this.selection.streams) {
      const endpoints = [s.endpoint, ...(s.parent ? [this.catalog.get(s.parent.stream)!.endpoint] : [])];
      const denied = scopes ? endpoints.find((e) => scopesAllow(scopes!, e) === false) : undefined;
      if (!denied) {
        runnable.push(s);
        continue;
      }
      const err = new AshbyPermissionError({ endpoint: denied, module: this.catalog.get(s.name)?.module, access: 'read', details: { stream: s.name } });
      if (this.selection.explicit.has(s.name)) throw err;
      const p = all.find((x) => x.stream === s.name)!;
      this.skip(p, err, log);
      sink.update(p);
    }
    return runnable;
  }

  /** The state topic and the shared producer; record topics are ensured per stream (ensureTopic). */
  private async prepare(): Promise<void> {
    if (this.stateStore instanceof KafkaStateStore) {
      const store = this.stateStore;
      await this.ensureTopic(store.topic, () => this.kafka.ensureTopics([store.topicSpec()]));
      store.setProducer(await this.kafka.producer());
    }
  }

  /**
   * Creates a record topic when missing (partitions, replication and cleanup policy from
   * source.topics), once per runner. Runs while the stream's first page is being read, so
   * topic creation overlaps Ashby's latency instead of adding to it.
   */
  private ensureTopic(topic: string, create?: () => Promise<unknown>): Promise<void> {
    let p = this.ensuredTopics.get(topic);
    if (!p) {
      const t = this.config.source!.topics;
      p = (create ?? (() => this.kafka.ensureTopics([{ name: topic, partitions: t.partitions, replicationFactor: t.replication_factor, config: { 'cleanup.policy': t.cleanup_policy } }])))().then(() => undefined);
      this.ensuredTopics.set(topic, p);
      p.catch(() => this.ensuredTopics.delete(topic));
    }
    return p;
  }
}

function isFatal(err: AshbyKafkaError): boolean {
  return err.code === 'KAFKA_FENCED' || err.code === 'ASHBY_INVALID_KEY' || err.code === 'ASHBY_MISSING_KEY';
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
