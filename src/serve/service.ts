import { ConfigError } from '../errors.js';
import type { PipelineConfig } from '../config/schema.js';
import { resolvePipelineConfig } from './config/pipeline-spec.js';
import type { WorkerConfig } from './config/schema.js';
import { ServeError } from './errors.js';
import {
  asObject,
  historyKey,
  pipelineKey,
  statusKey,
  statusOf,
  type PipelineRecord,
  type PipelineStatus,
  type StatusTopicValue,
} from './model.js';
import type { CredentialVault } from './store/credential-vault.js';
import type { JsonMap } from './store/json-map.js';
import { readPipelineState, resetPipelineState } from './worker/pipeline-state.js';
import { leastUsedSlot } from './slots.js';
import { DeadLetters, type DeadLetterPage } from './dead-letters.js';
import type { PipelineHistory } from './metrics/history.js';
import type { HistoryResponse } from './rest/response-types.js';

/**
 * What the REST API does, over the group's compacted topics. Any worker answers any request:
 * a change is a record in the config topic, and the worker owning the pipeline acts on it.
 */
export interface PipelineView {
  name: string;
  config: Record<string, unknown>;
  kind: 'source' | 'sink';
  target: 'RUNNING' | 'PAUSED';
  created_at: string;
  updated_at: string;
}

export interface ServiceApi {
  list(): Promise<PipelineView[]>;
  get(name: string): Promise<PipelineView>;
  create(name: string, config: unknown): Promise<PipelineView>;
  update(name: string, config: unknown): Promise<{ view: PipelineView; created: boolean }>;
  remove(name: string): Promise<void>;
  /** Throws a ConfigError listing every problem. */
  validate(name: string, config: unknown): Promise<void>;
  status(name: string): Promise<PipelineStatus>;
  pause(name: string): Promise<void>;
  resume(name: string): Promise<void>;
  restart(name: string): Promise<void>;
  state(name: string): Promise<Record<string, unknown>>;
  resetState(name: string): Promise<Record<string, unknown>>;
  credentials: Pick<CredentialVault, 'list' | 'get' | 'add' | 'rotate' | 'remove'>;
  ready(): boolean;
  /** A sink's dead letters, newest first (dead-letters.ts). */
  deadLetters(name: string, opts: { limit: number; from?: number }): Promise<DeadLetterPage>;
  resendDeadLetter(name: string, id: string, command: Record<string, unknown>): ReturnType<DeadLetters['resend']>;
  /** The last hour minute by minute, from the status topic (and the running worker's current minute). */
  history(name: string): Promise<HistoryResponse>;
}

export interface ClusterServiceDeps {
  worker: WorkerConfig;
  configs: JsonMap<PipelineRecord>;
  /** Statuses and stored hours (model.ts). */
  statuses: JsonMap<StatusTopicValue>;
  vault: CredentialVault;
  partitions: () => number;
  ready: () => boolean;
  env?: NodeJS.ProcessEnv;
  /** A pipeline's last hour: stored, plus this worker's current minute where it runs it (metrics/history-store.ts). */
  history?: (name: string) => PipelineHistory;
}

export class ClusterService implements ServiceApi {
  private readonly dead = new DeadLetters();
  constructor(private readonly deps: ClusterServiceDeps) {}

  async deadLetters(name: string, opts: { limit: number; from?: number }): Promise<DeadLetterPage> {
    await this.deps.configs.sync();
    return this.dead.list(this.resolve(this.record(name)), opts);
  }

  async resendDeadLetter(name: string, id: string, command: Record<string, unknown>) {
    await this.deps.configs.sync();
    return this.dead.resend(this.resolve(this.record(name)), id, command);
  }

  async history(name: string): Promise<HistoryResponse> {
    // No read to the end of the config topic: this is polled, and the tailed copy is recent enough.
    this.record(name);
    const h = this.deps.history?.(name) ?? { name, minutes: [] };
    return { ...h, worker_id: this.deps.worker.worker.id };
  }

  get credentials(): ServiceApi['credentials'] {
    return this.deps.vault;
  }

  ready(): boolean {
    return this.deps.ready();
  }

  async list(): Promise<PipelineView[]> {
    await this.deps.configs.sync();
    return this.deps.configs
      .values()
      .map(view)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(name: string): Promise<PipelineView> {
    await this.deps.configs.sync();
    return view(this.record(name));
  }

  async validate(name: string, config: unknown): Promise<void> {
    this.check(name, config);
  }

  async create(name: string, config: unknown): Promise<PipelineView> {
    await this.deps.configs.sync();
    if (this.deps.configs.get(pipelineKey(name)))
      throw new ServeError('SERVE_CONFLICT', `pipeline ${name} already exists; PUT /pipelines/${name} changes it`, {
        name,
      });
    const resolved = this.check(name, config);
    const now = new Date().toISOString();
    const record: PipelineRecord = {
      name,
      config: config as Record<string, unknown>,
      kind: resolved.source ? 'source' : 'sink',
      slot: this.freeSlot(),
      target: 'RUNNING',
      generation: 1,
      created_at: now,
      updated_at: now,
    };
    await this.deps.configs.put(pipelineKey(name), record);
    return view(record);
  }

  async update(name: string, config: unknown): Promise<{ view: PipelineView; created: boolean }> {
    await this.deps.configs.sync();
    const old = this.deps.configs.get(pipelineKey(name));
    if (!old) return { view: await this.create(name, config), created: true };
    const resolved = this.check(name, config);
    const kind = resolved.source ? 'source' : 'sink';
    if (kind !== old.kind)
      throw new ServeError(
        'SERVE_CONFLICT',
        `pipeline ${name} is a ${old.kind}; delete it and create a ${kind} instead`,
        { name },
      );
    const record: PipelineRecord = {
      ...old,
      config: config as Record<string, unknown>,
      generation: old.generation + 1,
      updated_at: new Date().toISOString(),
    };
    await this.deps.configs.put(pipelineKey(name), record);
    return { view: view(record), created: false };
  }

  async remove(name: string): Promise<void> {
    await this.deps.configs.sync();
    this.record(name);
    await this.deps.configs.remove(pipelineKey(name));
    await this.deps.statuses.remove(statusKey(name));
    await this.deps.statuses.remove(historyKey(name));
  }

  /**
   * From this worker's view of the config and status topics, which it tails (every 500 ms), not
   * by reading both topics to their end per request: status is what clients poll. Only a name
   * the view does not hold yet (created a moment ago through another worker) is looked up again.
   */
  async status(name: string): Promise<PipelineStatus> {
    if (!this.deps.configs.get(pipelineKey(name))) await this.deps.configs.sync();
    const record = this.record(name);
    const s = statusOf(this.deps.statuses, name);
    if (!s)
      return {
        name,
        state: 'UNASSIGNED',
        worker_id: null,
        generation: record.generation,
        streams: [],
        failures: 0,
        updated_at: record.updated_at,
      };
    return s;
  }

  async pause(name: string): Promise<void> {
    await this.setTarget(name, 'PAUSED');
  }

  async resume(name: string): Promise<void> {
    await this.setTarget(name, 'RUNNING');
  }

  async restart(name: string): Promise<void> {
    await this.deps.configs.sync();
    const r = this.record(name);
    await this.deps.configs.put(pipelineKey(name), {
      ...r,
      generation: r.generation + 1,
      updated_at: new Date().toISOString(),
    });
  }

  async state(name: string): Promise<Record<string, unknown>> {
    await this.deps.configs.sync();
    const r = this.record(name);
    return readPipelineState(this.resolve(r));
  }

  async resetState(name: string): Promise<Record<string, unknown>> {
    await this.deps.configs.sync();
    const r = this.record(name);
    await this.deps.statuses.sync();
    const s = statusOf(this.deps.statuses, name);
    if (r.target !== 'PAUSED' || (s && s.state !== 'PAUSED' && s.state !== 'UNASSIGNED')) {
      throw new ServeError(
        'SERVE_NOT_PAUSED',
        `pipeline ${name} must be paused (and stopped) before its state is reset: PUT /pipelines/${name}/pause, wait for state PAUSED, then retry`,
        { name },
      );
    }
    return resetPipelineState(this.resolve(r));
  }

  /** Pipelines using a credential (for the credential listing and its delete). */
  usersOf(credential: string): string[] {
    return this.deps.configs
      .values()
      .filter((r) => asObject(r.config.ashby)?.credential === credential)
      .map((r) => r.name)
      .sort();
  }

  private resolve(r: PipelineRecord): PipelineConfig {
    return resolvePipelineConfig(r.name, r.config, this.deps.worker, this.deps.env);
  }

  private async setTarget(name: string, target: 'RUNNING' | 'PAUSED'): Promise<void> {
    await this.deps.configs.sync();
    const r = this.record(name);
    if (r.target === target) return;
    await this.deps.configs.put(pipelineKey(name), { ...r, target, updated_at: new Date().toISOString() });
  }

  private record(name: string): PipelineRecord {
    const r = this.deps.configs.get(pipelineKey(name));
    if (!r) throw new ServeError('SERVE_NOT_FOUND', `no pipeline named ${name} (GET /pipelines lists them)`, { name });
    return r;
  }

  /** Validates, and checks what only the group knows: the credential exists, topics are not shared. */
  private check(name: string, config: unknown): PipelineConfig {
    const resolved = resolvePipelineConfig(name, config, this.deps.worker, this.deps.env);
    const credential = resolved.ashby.credential;
    if (credential && !this.deps.vault.has(credential)) {
      throw new ConfigError(
        `invalid pipeline ${name}:\n  - ashby.credential: no credential named ${credential} (POST /credentials adds one)`,
        {
          problems: [`ashby.credential: no credential named ${credential} (POST /credentials adds one)`],
        },
      );
    }
    if (resolved.source) {
      const prefix = resolved.source.topic_prefix;
      const clash = this.deps.configs
        .values()
        .find(
          (r) =>
            r.name !== name &&
            r.kind === 'source' &&
            (asObject(asObject(r.config.source))?.topic_prefix ?? 'ashby.') === prefix,
        );
      if (clash)
        throw new ServeError(
          'SERVE_CONFLICT',
          `pipeline ${clash.name} already writes to topics with prefix "${prefix}"; give this pipeline its own source.topic_prefix`,
          { name, other: clash.name },
        );
    }
    return resolved;
  }

  /** The least-used slot, so pipelines spread evenly over the workers' partitions (slots.ts). */
  private freeSlot(): number {
    return leastUsedSlot(
      this.deps.partitions(),
      [...this.deps.configs.values()].map((r) => r.slot),
    );
  }
}

function view(r: PipelineRecord): PipelineView {
  return {
    name: r.name,
    config: r.config,
    kind: r.kind,
    target: r.target,
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}
