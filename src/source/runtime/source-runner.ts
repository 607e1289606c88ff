import { ulid } from 'ulid';
import { AshbyApiError, AshbyFeatureUnavailableError, AshbyPermissionError, scopesAllow } from '../../ashby/index.js';
import type { ApiKeyInfo, AshbyResult } from '../../ashby/index.js';
import {
  createSerde,
  createStreamMapper,
  loadContract,
  type Contract,
  type Serde,
  type RegistryRetryObserver,
  type StreamMapper,
} from '../../avro/index.js';
import { serdeConfigFrom } from '../../config/serde-options.js';
import { parseDuration } from '../../config/duration.js';
import type { PipelineConfig } from '../../config/schema.js';
import { AshbyKafkaError, ConfigError } from '../../errors.js';
import { rdkafkaConfig } from '../../config/kafka-options.js';
import {
  KafkaAdmin,
  KafkaProducer,
  type KafkaResources,
  type ProducerLease,
  type RdConfig,
  type SharedClients,
  type TopicSpec,
} from '../../kafka/index.js';
import { silentLogger, type Logger } from '../../log/logger.js';
import { DEFAULT_CATALOG, type CatalogStream, type StreamCatalog } from '../catalog.js';
import { selectStreams, type StreamSelection } from '../../config/stream-selection.js';
import type { ListSource } from '../stream-reader.js';
import type { StreamPosition } from '../position.js';
import { silentProgress, statusOf, type ProgressSink, type StreamProgress } from './progress.js';
import { FileStateStore, KafkaStateStore, type StateStore } from './state-store.js';
import { SinkWriteReader } from './sink-write-reader.js';
import { selectedHeaders } from '../headers.js';
import { runStreamTask, type StreamRuntime } from './stream-task.js';
import { loadDeletionType, writeDepartures, type DepartureRecord } from '../deletes/deletion-writer.js';
import { startWebhookIntake, type WebhookIntake } from '../webhooks/intake.js';
import type { Round } from '../webhooks/doorbell.js';
import { refreshChildren } from '../webhooks/child-refresh.js';
import { lastValues, reconcilable, reconcileStream, type StreamReconciliation } from '../deletes/reconcile.js';

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
  /** Records in flight per stream before it waits for acknowledgements (default 5,000). */
  maxOutstanding?: number;
  /** Kafka as the runner sees it (default: built from `config.kafka`); unit tests inject fakes. */
  kafka?: SourceKafka;
  /** Where positions live (default: from `source.state`). */
  stateStore?: StateStore;
  /** The serde (default: from `schema_registry`). */
  serde?: Serde;
  /** Told of each retry of the default serde's registry calls (service mode's metric). */
  onRegistryRetry?: RegistryRetryObserver;
  /**
   * Kafka clients shared with other pipelines of this process (service mode): the at-least-once
   * producer, the admin client and the state topic's reader. Without it the runner makes its own.
   */
  sharedKafka?: KafkaResources;
}

/** What the runner does with a producer (KafkaProducer implements it). */
export type SourceProducer = Pick<
  KafkaProducer,
  'send' | 'produce' | 'beginTransaction' | 'commitTransaction' | 'abortTransaction' | 'fatal' | 'close'
>;

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
    transactionalProducer: (transactionalId, log) =>
      KafkaProducer.connect({ config: rd, transactionalId, logger: log, maxInFlight: 1_000 }),
    close: async () => {
      admin?.close();
      admin = undefined;
      const producer = shared;
      shared = undefined;
      if (producer) await (await producer.catch(() => undefined))?.close();
    },
  };
}

/**
 * A SourceKafka over clients shared with other pipelines (service mode): a lease on the shared
 * producer (closing it waits for this pipeline's records only) and the shared admin client.
 * Transactional producers stay per stream, each with its stable `transactional.id`.
 */
export function sharedKafkaForSource(shared: SharedClients, rd: RdConfig): SourceKafka {
  let lease: Promise<ProducerLease> | undefined;
  return {
    ensureTopics: (specs) => shared.ensureTopics(specs),
    producer: () => {
      const l = (lease ??= shared.lease());
      l.catch(() => {
        if (lease === l) lease = undefined;
      });
      return l;
    },
    transactionalProducer: (transactionalId, log) =>
      KafkaProducer.connect({ config: rd, transactionalId, logger: log, maxInFlight: 1_000 }),
    close: async () => {
      const l = lease;
      lease = undefined;
      if (l) await (await l.catch(() => undefined))?.close();
    },
  };
}

/** What one delete reconciliation did (SourceRunner.reconcile). */
export interface ReconcileResult {
  runId: string;
  streams: Omit<StreamReconciliation, 'missing'>[];
  /** Streams the key may not list: not reconciled. */
  skipped: string[];
  deleted: number;
  noLongerVisible: number;
  tombstones: number;
  durationMs: number;
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
  private readonly sinkWrites: SinkWriteReader | undefined;
  /** What every stream task of every pass shares. */
  private readonly runtime: StreamRuntime;
  /** Passes (polls and webhook rounds) run one at a time: two passes of one stream would start from the same token. */
  private passLock: Promise<unknown> = Promise.resolve();
  private intake: WebhookIntake | undefined;
  private readonly rd: RdConfig;
  readonly selection: StreamSelection;

  private constructor(
    private readonly config: PipelineConfig,
    private readonly deps: SourceRunnerDeps,
  ) {
    const source = config.source!;
    this.logger = (deps.logger ?? silentLogger).child({ component: 'source' });
    this.catalog = deps.catalog ?? DEFAULT_CATALOG;
    this.contract = deps.contract ?? loadContract();
    this.mapper = createStreamMapper(this.contract);
    this.selection = selectStreams(source, this.catalog);
    const rd = rdkafkaConfig(config.kafka);
    this.rd = rd;
    const shared = deps.sharedKafka?.clients(rd);
    this.kafka = deps.kafka ?? (shared ? sharedKafkaForSource(shared, rd) : kafkaForSource(rd, this.logger));
    this.serde =
      deps.serde ??
      createSerde(serdeConfigFrom(config), this.contract, {
        logger: this.logger,
        onRegistryRetry: deps.onRegistryRetry,
      });
    if (deps.stateStore) {
      this.stateStore = deps.stateStore;
    } else if (source.state === 'kafka') {
      this.stateStore = new KafkaStateStore({
        rd,
        topic: source.state_topic,
        replicationFactor: source.topics.replication_factor,
        logger: this.logger,
        ...(shared ? { reader: () => shared.view(source.state_topic, 'source state') } : {}),
      });
    } else {
      if (source.exactly_once) {
        throw new ConfigError(
          'source.exactly_once needs source.state: kafka (the state must commit in the same Kafka transaction as the records)',
        );
      }
      this.stateStore = new FileStateStore(source.state.slice('file:'.length));
    }
    if (source.loop_guard) {
      const { results_topic: topic, value_format: format } = source.loop_guard;
      this.sinkWrites = new SinkWriteReader({
        rd,
        topic,
        format,
        serde: format === 'avro' ? this.serde : undefined,
        logger: this.logger,
      });
    }
    this.runtime = {
      client: deps.client,
      mapper: this.mapper,
      serde: this.serde,
      stateStore: this.stateStore,
      mode: source.mode,
      keyFormat: source.key_format,
      headers: selectedHeaders(source.headers),
      exactlyOnce: source.exactly_once,
      signal: deps.signal,
      prefetchPages: deps.prefetchPages ?? DEFAULT_PREFETCH_PAGES,
      ...(deps.maxOutstanding ? { maxOutstanding: deps.maxOutstanding } : {}),
      checkpointIntervalMs: parseDuration(source.checkpoint_interval, 'source.checkpoint_interval'),
      ...(this.sinkWrites ? { sinkWrites: this.sinkWrites.index } : {}),
    };
  }

  static async open(config: PipelineConfig, deps: SourceRunnerDeps): Promise<SourceRunner> {
    if (!config.source)
      throw new ConfigError('this pipeline has no `source` section; add one to stream Ashby records into Kafka');
    return new SourceRunner(config, deps);
  }

  topicOf(stream: CatalogStream): string {
    return `${this.config.source!.topic_prefix}${stream.name}`;
  }

  /** One pass of every selected stream. Never throws for a stream's failure: see PassResult.error. */
  runPass(): Promise<PassResult> {
    return this.exclusive(() => this.pass(this.selection.streams, this.deps.progress?.() ?? silentProgress));
  }

  /**
   * A webhook round (source/webhooks/doorbell.ts): its departures become tombstones and
   * deletions records first, then the streams it names are pulled incrementally, between polls.
   * Streams the pipeline does not select are ignored. Throws when the round failed.
   */
  applyRound(round: Round): Promise<PassResult | undefined> {
    return this.exclusive(async () => {
      const runId = ulid();
      const departures: DepartureRecord[] = round.departures
        .filter((d) => this.selection.streams.some((s) => s.name === d.stream))
        .map((d) => ({
          stream: d.stream,
          id: d.id,
          reason: d.reason,
          ...(d.mergedInto ? { mergedInto: d.mergedInto } : {}),
          observedAt: d.observedAt,
          eventId: d.eventId,
          action: d.action,
        }));
      if (departures.length > 0) {
        await writeDepartures(
          this.departureDeps(runId, 'webhook'),
          departures,
          loadDeletionType(this.contract.schemasDir),
        );
        this.logger.info('departures written', {
          runId,
          count: departures.length,
          streams: [...new Set(departures.map((d) => d.stream))],
        });
      }
      const streams = this.selection.streams.filter((s) => round.pull.has(s.name));
      const result = streams.length > 0 ? await this.pass(streams, silentProgress, runId) : undefined;
      await this.refreshChildren(round, runId);
      if (result?.error) throw result.error;
      return result;
    });
  }

  private departureDeps(runId: string, syncMode: 'webhook' | 'reconcile') {
    return {
      producer: () => this.kafka.producer(),
      serde: this.serde,
      keyFormat: this.config.source!.key_format,
      deletionsTopic: this.deletionsTopic(),
      topicOf: (stream: string) => `${this.config.source!.topic_prefix}${stream}`,
      ensureTopic: (topic: string) => this.ensureTopic(topic),
      runId,
      syncMode,
    };
  }

  /**
   * Delete reconciliation (source/deletes/reconcile.ts, `source.reconcile_deletes`): for each
   * selected top-level stream, the topic's live keys that Ashby's full listing no longer returns
   * get a deletions record, and a tombstone unless they may only be hidden from the key (then
   * `no_longer_visible`, tombstoned only with `reconcile_invisible: tombstone`). Runs between
   * passes, never beside one. A stream the key may not list is skipped, never emptied.
   */
  reconcile(): Promise<ReconcileResult> {
    return this.exclusive(async () => {
      const source = this.config.source!;
      const runId = ulid();
      const started = performance.now();
      const log = this.logger.child({ runId });
      const deps = {
        rd: this.rd,
        client: this.deps.client,
        serde: this.serde,
        keyFormat: source.key_format,
        ...(this.deps.signal ? { signal: this.deps.signal } : {}),
      };
      const results: StreamReconciliation[] = [];
      const skipped: string[] = [];
      for (const stream of this.selection.streams.filter(reconcilable)) {
        try {
          results.push(await reconcileStream(deps, stream, this.topicOf(stream)));
        } catch (err) {
          if (!(err instanceof AshbyPermissionError)) throw err;
          skipped.push(stream.name);
          log.warn(`delete reconciliation skips ${stream.name}: the key may not list it (its topic is left as it is)`, {
            stream: stream.name,
          });
        }
      }
      const hidden = results.some((r) => r.missing.length > 0) ? await this.hiddenFromKey(results, log) : new Set();
      const observedAt = new Date().toISOString();
      const departures: DepartureRecord[] = [];
      for (const r of results) {
        for (const id of r.missing) {
          const invisible = hidden.has(`${r.stream}/${id}`);
          departures.push({
            stream: r.stream,
            id,
            reason: invisible ? 'no_longer_visible' : 'deleted',
            tombstone: !invisible || source.reconcile_invisible === 'tombstone',
            observedAt,
            action: 'reconcile',
          });
        }
      }
      await writeDepartures(
        this.departureDeps(runId, 'reconcile'),
        departures,
        loadDeletionType(this.contract.schemasDir),
      );
      const result: ReconcileResult = {
        runId,
        streams: results.map(({ missing: _missing, ...rest }) => rest),
        skipped,
        deleted: departures.filter((d) => d.reason === 'deleted').length,
        noLongerVisible: departures.filter((d) => d.reason === 'no_longer_visible').length,
        tombstones: departures.filter((d) => d.tombstone).length,
        durationMs: performance.now() - started,
      };
      log.info('delete reconciliation finished', { ...result, streams: results.length });
      return result;
    });
  }

  /**
   * Which missing records (`stream/id`) the key may only have lost sight of. Ashby answers a
   * hidden record like a deleted one (docs/ashby-api.md §4.3), so: when job.list shows a
   * confidential job, the key has confidential access and nothing is hidden. Otherwise, if the
   * jobs topic holds confidential jobs, the key lost that access: missing confidential jobs,
   * applications to them and candidates with such an application are hidden, and so (to be safe)
   * is every missing record of the other streams, which may hang off them.
   */
  private async hiddenFromKey(results: StreamReconciliation[], log: Logger): Promise<Set<string>> {
    const hidden = new Set<string>();
    const jobs = this.catalog.get('jobs');
    if (!jobs) return hidden;
    const signal = this.deps.signal;
    for await (const page of this.deps.client.pages<Record<string, unknown>>(
      jobs.endpoint,
      { ...(jobs.body ?? {}) },
      {
        ...(signal ? { signal } : {}),
      },
    )) {
      if (page.results.some((j) => j['confidential'] === true)) return hidden;
    }
    const deps = { rd: this.rd, serde: this.serde, keyFormat: this.config.source!.key_format };
    const jobValues = await lastValues(deps, this.topicOf(jobs), undefined);
    const confidential = new Set(
      [...jobValues].filter(([, v]) => (v as { confidential?: unknown }).confidential === true).map(([k]) => k),
    );
    if (confidential.size === 0) return hidden;
    log.warn('the key no longer sees confidential jobs it saw before: it lost confidential access', {
      confidentialJobs: confidential.size,
    });
    const appsTopic = `${this.config.source!.topic_prefix}applications`;
    const jobOfApp = (v: unknown): string | undefined => (v as { job?: { id?: string } } | undefined)?.job?.id;
    for (const r of results) {
      if (r.missing.length === 0) continue;
      const mark = (id: string): void => void hidden.add(`${r.stream}/${id}`);
      if (r.stream === 'jobs') r.missing.filter((id) => confidential.has(id)).forEach(mark);
      else if (r.stream === 'applications') {
        const values = await lastValues(deps, r.topic, new Set(r.missing));
        r.missing.filter((id) => confidential.has(jobOfApp(values.get(id)) ?? '')).forEach(mark);
      } else if (r.stream === 'candidates') {
        const values = await lastValues(deps, r.topic, new Set(r.missing));
        const appIds = (id: string): string[] =>
          (values.get(id) as { applicationIds?: string[] })?.applicationIds ?? [];
        const apps = await lastValues(deps, appsTopic, new Set(r.missing.flatMap(appIds)));
        r.missing.filter((id) => appIds(id).some((a) => confidential.has(jobOfApp(apps.get(a)) ?? ''))).forEach(mark);
      } else r.missing.forEach(mark);
    }
    return hidden;
  }

  /** Children named by a round's events, for selected child streams. A failure is logged: the next pass covers what it can. */
  private async refreshChildren(round: Round, runId: string): Promise<void> {
    for (const [name, ids] of round.children) {
      const stream = this.selection.streams.find((s) => s.name === name);
      if (!stream || ids.size === 0) continue;
      const topic = this.topicOf(stream);
      try {
        const topicReady = this.ensureTopic(topic);
        topicReady.catch(() => undefined);
        const n = await refreshChildren({
          client: this.deps.client,
          stream,
          parentIds: [...ids],
          encode: {
            stream,
            runId,
            serde: this.serde,
            topic,
            valueType: this.contract.streamType(stream.name),
            mapper: this.mapper,
            keyFormat: this.config.source!.key_format,
            headers: this.runtime.headers,
          },
          producer: await this.kafka.producer(),
          topicReady,
          ...(this.deps.signal ? { signal: this.deps.signal } : {}),
        });
        this.logger.info('children re-read for webhook events', { runId, stream: name, parents: ids.size, records: n });
      } catch (err) {
        this.logger.warn(
          're-reading children for webhook events failed; regular passes still read them when their parent changes',
          { runId, stream: name, err: err as Error },
        );
      }
    }
  }

  /** `source.deletions_topic`, or `<topic_prefix>deletions`. */
  deletionsTopic(): string {
    const source = this.config.source!;
    return source.deletions_topic ?? `${source.topic_prefix}deletions`;
  }

  /** Starts the webhook receiver when `source.webhooks` is configured (runForever does; tests may too). */
  async startWebhooks(): Promise<WebhookIntake | undefined> {
    const hooks = this.config.source!.webhooks;
    if (!hooks || this.intake) return this.intake;
    this.intake = await startWebhookIntake(hooks, (round) => this.applyRound(round).then(() => undefined), this.logger);
    return this.intake;
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.passLock.then(task, task);
    this.passLock = run.catch(() => undefined);
    return run;
  }

  private async pass(
    selected: readonly CatalogStream[],
    sink: ProgressSink,
    runId: string = ulid(),
  ): Promise<PassResult> {
    const source = this.config.source!;
    const started = performance.now();
    const signal = this.deps.signal;
    const log = this.logger.child({ runId });
    const progress = new Map<string, StreamProgress>();
    for (const s of selected) {
      progress.set(s.name, {
        stream: s.name,
        topic: this.topicOf(s),
        mode: '-',
        phase: 'waiting',
        records: 0,
        pages: 0,
        bytes: 0,
        calls: 0,
        restarts: 0,
        startedAt: undefined,
        endedAt: undefined,
      });
    }
    let firstError: AshbyKafkaError | undefined;
    const fail = (p: StreamProgress, err: unknown): void => {
      const e =
        err instanceof AshbyKafkaError
          ? err
          : new AshbyKafkaError('INTERNAL', err instanceof Error ? err.message : String(err), { cause: err });
      p.phase = 'failed';
      p.detail = e.code;
      firstError ??= e;
    };

    // The permission check (one Ashby call) overlaps Kafka setup and reading the state. Settled
    // before returning even when the check fails, so close() finds every client it opened.
    let loading: Promise<unknown> | undefined;
    try {
      // Exactly-once: each stream reads its position after its transactional producer fenced
      // the previous owner (runOne), which also aborts that owner's open transaction at once. A
      // read here, before that, would wait for the broker to time the transaction out (a worker
      // killed mid-page holds read_committed readers of the state topic until then).
      const load = this.prepare()
        .then(() => this.sinkWrites?.refresh())
        .then(() =>
          source.exactly_once
            ? new Map<string, StreamPosition>()
            : this.stateStore.load(selected.map((s) => this.topicOf(s))),
        );
      loading = load;
      load.catch(() => undefined);
      const runnable = await this.checkPermissions(selected, [...progress.values()], log, sink);
      const states = await load;
      log.info('source pass started', {
        streams: runnable.map((s) => s.name),
        mode: source.mode,
        exactlyOnce: source.exactly_once,
      });

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
      firstError ??=
        err instanceof AshbyKafkaError ? err : new AshbyKafkaError('INTERNAL', (err as Error).message, { cause: err });
    } finally {
      await loading?.catch(() => undefined);
      sink.finish();
    }
    const streams = [...progress.values()];
    const stopped = Boolean(signal?.aborted);
    const summary = {
      runId,
      records: streams.reduce((n, p) => n + p.records, 0),
      failed: streams.filter((p) => statusOf(p) === 'failed').map((p) => p.stream),
    };
    if (firstError) log.error('source pass failed', { ...summary, err: firstError });
    else log.info(stopped ? 'source pass stopped' : 'source pass finished', summary);
    return {
      runId,
      streams,
      durationMs: performance.now() - started,
      ...(firstError ? { error: firstError } : {}),
      stopped,
    };
  }

  /** Passes every `source.interval` until the signal fires. Throws the first failed pass's error when `stopOnError`. */
  async runForever(intervalMs: number, onPass: (r: PassResult) => void, stopOnError = false): Promise<void> {
    const signal = this.deps.signal;
    await this.startWebhooks();
    const every = this.config.source!.reconcile_deletes;
    const reconcileEvery = every === 'off' ? 0 : parseDuration(every, 'source.reconcile_deletes');
    let nextReconcile = 0;
    while (!signal?.aborted) {
      const result = await this.runPass();
      onPass(result);
      if (result.error && (stopOnError || isFatal(result.error))) throw result.error;
      if (signal?.aborted) return;
      if (!result.error && reconcileEvery > 0 && Date.now() >= nextReconcile) {
        nextReconcile = Date.now() + reconcileEvery;
        await this.reconcile().catch((err: unknown) =>
          this.logger.warn('delete reconciliation failed; it runs again at its next turn', { err: err as Error }),
        );
        if (signal?.aborted) return;
      }
      this.logger.info('next source pass scheduled', { inMs: intervalMs });
      await sleep(intervalMs, signal);
    }
  }

  async close(): Promise<void> {
    await this.intake?.close();
    this.intake = undefined;
    await this.passLock;
    await this.kafka.close();
    await this.stateStore.close();
    await this.sinkWrites?.close();
    await this.serde.close();
  }

  private async runOne(
    stream: CatalogStream,
    p: StreamProgress,
    start: StreamPosition,
    runId: string,
    sink: ProgressSink,
    log: Logger,
  ): Promise<void> {
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
      if (stream.feature && featureMissing(err) && !this.selection.explicit.has(stream.name)) {
        this.skipFeature(p, stream, err as AshbyApiError, log);
        return;
      }
      if (this.deps.signal?.aborted) {
        p.phase = 'stopped';
        return;
      }
      throw err;
    } finally {
      if (exactlyOnce)
        await producer
          .close()
          .catch((err) =>
            log.warn('closing the transactional producer failed', { stream: stream.name, err: err as Error }),
          );
    }
  }

  private skip(p: StreamProgress, err: AshbyPermissionError, log: Logger): void {
    p.phase = 'skipped';
    p.detail = `no ${err.module ?? 'module'} read permission`;
    log.warn(`skipping stream ${p.stream}: the API key cannot read it`, {
      stream: p.stream,
      module: err.module,
      scope: err.details.scope,
      hint: 'grant the permission, or add the stream to source.exclude to silence this warning',
    });
  }

  private skipFeature(p: StreamProgress, stream: CatalogStream, err: AshbyApiError, log: Logger): void {
    p.phase = 'skipped';
    p.detail = `no ${stream.feature}`;
    log.warn(`skipping stream ${p.stream}: the Ashby organisation does not have ${stream.feature}`, {
      stream: p.stream,
      ashbyCode: err.ashbyCode,
      requestId: err.requestId,
      hint: 'ask Ashby to enable the feature, or add the stream to source.exclude to silence this warning',
    });
  }

  /**
   * Streams the key's scopes (apiKey.info) do not cover: skipped with one warning each, or, when
   * listed explicitly in source.streams, the pass fails before anything is produced. Without
   * apiKey.info access the check happens on each stream's first call instead.
   */
  private async checkPermissions(
    selected: readonly CatalogStream[],
    all: StreamProgress[],
    log: Logger,
    sink: ProgressSink,
  ): Promise<CatalogStream[]> {
    let scopes: string[] | undefined;
    try {
      scopes = (await this.deps.client.apiKey.info()).results.scopes ?? undefined;
    } catch (err) {
      if (!(err instanceof AshbyPermissionError)) throw err;
      log.debug('apiKey.info is not allowed for this key; permissions are checked per stream');
    }
    const runnable: CatalogStream[] = [];
    for (const s of selected) {
      const endpoints = [s.endpoint, ...(s.parent ? [this.catalog.get(s.parent.stream)!.endpoint] : [])];
      const denied = scopes ? endpoints.find((e) => scopesAllow(scopes!, e) === false) : undefined;
      if (!denied) {
        runnable.push(s);
        continue;
      }
      const err = new AshbyPermissionError({
        endpoint: denied,
        module: this.catalog.get(s.name)?.module,
        access: 'read',
        details: { stream: s.name },
      });
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
      p = (
        create ??
        (() =>
          this.kafka.ensureTopics([
            {
              name: topic,
              partitions: t.partitions,
              replicationFactor: t.replication_factor,
              config: { 'cleanup.policy': t.cleanup_policy },
            },
          ]))
      )().then(() => undefined);
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

/**
 * Ashby's answer when the organisation lacks a stream's feature is undocumented: a refusal that
 * names a feature, or a 404 for the endpoint (assessment.list is served only with a partner).
 */
function featureMissing(err: unknown): boolean {
  return err instanceof AshbyFeatureUnavailableError || (err instanceof AshbyApiError && err.httpStatus === 404);
}
