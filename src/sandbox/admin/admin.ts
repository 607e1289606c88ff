import { AshbyKafkaError } from '../../errors.js';
import { iso } from '../clock.js';
import type { ApplicationModel, CandidateModel, OfferModel } from '../data/models.js';
import type { SandboxEngine } from '../engine.js';
import type { WebhookEvent } from '../http/request-context.js';
import { RESTART_CODES, type ForcedOutcome } from '../limits/faults.js';
import { ENTITY_BY_NAME, isEntityName, type EntityName } from '../store/entities.js';
import type { StoredRecord } from '../store/store.js';
import { wireView } from '../views/any.js';
import { FULL_VIEWER, ViewContext } from '../views/context.js';
import type { WebhookDelivery, WebhookDispatcher, WebhookFaults } from '../webhooks/dispatcher.js';
import { CHILD_PARENT_FIELDS } from '../endpoints/extra-lists.js';
import { SANDBOX_FEATURES, type SandboxFeature } from '../options.js';
import type { CallLogEntry } from './call-log.js';

/** A sandbox admin command that cannot be carried out as asked (unknown entity, missing record…). */
export class SandboxAdminError extends AshbyKafkaError {
  constructor(message: string) {
    super('SANDBOX_ADMIN_INVALID', message);
  }
}

/**
 * In-process control of a running sandbox, for tests and the demo. The same commands are served
 * over HTTP as `POST /_sandbox/<command>` (admin-http.ts) for a sandbox in another process.
 *
 * Records are addressed by entity name (candidate, application, job, …). Writes work on the
 * stored shape (an application's `stageId`, not its embedded stage) and behave like API writes:
 * they bump `updatedAt` and the change sequence, so the next incremental sync returns them.
 */
export class SandboxAdmin {
  constructor(
    private readonly engine: SandboxEngine,
    private readonly webhooks: WebhookDispatcher,
  ) {}

  private get store() {
    return this.engine.store;
  }

  private full(): ViewContext {
    return new ViewContext(this.store, FULL_VIEWER);
  }

  private entity(name: unknown): EntityName {
    if (!isEntityName(name))
      throw new SandboxAdminError(
        `unknown entity ${JSON.stringify(name)}; use one of ${[...ENTITY_BY_NAME.keys()].join(', ')}`,
      );
    return name;
  }

  private now(): string {
    return iso(this.engine.clock.stamp());
  }

  private emit(entity: EntityName, change: 'create' | 'update' | 'delete', record: StoredRecord): void {
    const view = (): Record<string, unknown> => wireView(entity, record, this.full());
    const events: WebhookEvent[] = [];
    if (entity === 'application' && change !== 'delete')
      events.push({
        action: change === 'create' ? 'applicationSubmit' : 'applicationUpdate',
        data: { application: view() },
      });
    if (entity === 'job' && change !== 'delete')
      events.push({ action: change === 'create' ? 'jobCreate' : 'jobUpdate', data: { job: view() } });
    if (entity === 'offer') {
      const offer = record as unknown as OfferModel;
      events.push(
        change === 'delete'
          ? { action: 'offerDelete', data: { offer: { id: offer.id, applicationId: offer.applicationId } } }
          : { action: change === 'create' ? 'offerCreate' : 'offerUpdate', data: { offer: view() } },
      );
    }
    if (entity === 'candidate' && change === 'delete')
      events.push({ action: 'candidateDelete', data: { candidate: { id: record.id } } });
    this.engine.emit(events);
  }

  /** The record as the full key would read it from its `.info` endpoint, or undefined. */
  get(entity: EntityName, id: string): Record<string, unknown> | undefined {
    const record = this.store.get(this.entity(entity), id);
    return record && wireView(entity, record, this.full());
  }

  /** The stored shape of a record (what `update` patches), or undefined. */
  model(entity: EntityName, id: string): StoredRecord | undefined {
    const record = this.store.get(this.entity(entity), id);
    return record && structuredClone(record);
  }

  /**
   * Creates a record: a generated record of that entity serves as the template, `fields`
   * override it. Applications need `candidateId` and `jobId`; offers need `applicationId`.
   */
  create(entity: EntityName, fields: Record<string, unknown> = {}): Record<string, unknown> {
    const name = this.entity(entity);
    const def = ENTITY_BY_NAME.get(name)!;
    let template: StoredRecord | undefined;
    for (let i = 0; !template && i < Math.min(50, def.slots(this.store.world)); i++)
      template = def.generate(this.store.world, i) as StoredRecord | undefined;
    if (!template) throw new SandboxAdminError(`cannot create a ${name}: no template record exists at this scale`);
    const now = this.now();
    const record: StoredRecord = { ...structuredClone(template), id: this.store.allocateId(name) };
    if ('createdAt' in record) record.createdAt = now;
    if ('updatedAt' in record) record.updatedAt = now;
    if (name === 'candidate') Object.assign(record, { applicationIds: [], projectIds: [], tagIds: [] });
    if (name === 'job') Object.assign(record, { jobPostingIds: [], openingIds: [] });
    if (name === 'application') Object.assign(record, { offerIds: [], scheduleIds: [] });
    Object.assign(record, fields, { id: record.id });
    if (name === 'application') {
      const app = record as unknown as ApplicationModel;
      if (!this.store.get('candidate', app.candidateId) || !this.store.get('job', app.jobId))
        throw new SandboxAdminError('an application needs fields candidateId and jobId naming existing records');
      app.history = app.history.slice(0, 1).map((h) => ({ ...h, stageId: app.stageId, enteredStageAt: now }));
    }
    if (name === 'offer' && !this.store.get('application', (record as unknown as OfferModel).applicationId))
      throw new SandboxAdminError('an offer needs field applicationId naming an existing application');
    this.store.insert(name, record);
    if (name === 'application') {
      const app = record as unknown as ApplicationModel;
      this.store.update<CandidateModel>('candidate', app.candidateId, (c) => {
        c.applicationIds.push(app.id);
        c.updatedAt = now;
      });
    }
    if (name === 'offer') this.store.link('offer', (record as unknown as OfferModel).applicationId, record.id);
    const parentField = CHILD_PARENT_FIELDS[name];
    if (parentField && typeof record[parentField] === 'string')
      this.store.link(name, record[parentField] as string, record.id);
    this.emit(name, 'create', record);
    return wireView(name, record, this.full());
  }

  /** Shallow-merges `patch` into the stored record and bumps `updatedAt` (unless the patch sets it). */
  update(entity: EntityName, id: string, patch: Record<string, unknown>): Record<string, unknown> {
    const name = this.entity(entity);
    const now = this.now();
    const updated = this.store.update<StoredRecord>(name, id, (draft) => {
      if ('updatedAt' in draft) draft.updatedAt = now;
      Object.assign(draft, patch, { id: draft.id });
    });
    if (!updated) throw new SandboxAdminError(`no ${name} with id ${id}`);
    this.emit(name, 'update', updated);
    return wireView(name, updated, this.full());
  }

  /** Deletes a record. A candidate takes its applications with it; an application leaves its candidate's list. */
  delete(entity: EntityName, id: string): boolean {
    const name = this.entity(entity);
    const record = this.store.get(name, id);
    if (!record) return false;
    if (name === 'candidate')
      for (const appId of (record as unknown as CandidateModel).applicationIds) this.store.delete('application', appId);
    if (name === 'application') {
      const app = record as unknown as ApplicationModel;
      const now = this.now();
      this.store.update<CandidateModel>('candidate', app.candidateId, (c) => {
        c.applicationIds = c.applicationIds.filter((a) => a !== id);
        c.updatedAt = now;
      });
    }
    this.store.delete(name, id);
    this.emit(name, 'delete', record);
    return true;
  }

  /**
   * Merges candidate `mergedId` into `keepId`, as Ashby's "merge duplicates" does: the kept
   * candidate takes the other's applications (and is updated), the other one is deleted, and a
   * `candidateMerge` webhook names both.
   */
  mergeCandidates(keepId: string, mergedId: string): Record<string, unknown> {
    if (keepId === mergedId) throw new SandboxAdminError('a candidate cannot be merged into itself');
    const gone = this.store.get('candidate', mergedId) as unknown as CandidateModel | undefined;
    if (!gone || !this.store.get('candidate', keepId))
      throw new SandboxAdminError(`both candidates must exist (keep ${keepId}, merge ${mergedId})`);
    const now = this.now();
    for (const appId of gone.applicationIds) {
      this.store.update<ApplicationModel>('application', appId, (a) => {
        a.candidateId = keepId;
        a.updatedAt = now;
      });
    }
    const kept = this.store.update<CandidateModel>('candidate', keepId, (c) => {
      c.applicationIds = [...c.applicationIds, ...gone.applicationIds];
      c.updatedAt = now;
    })!;
    this.store.delete('candidate', mergedId);
    this.engine.emit([
      { action: 'candidateMerge', data: { deletedCandidate: { id: mergedId }, mergedCandidate: { id: keepId } } },
    ]);
    return wireView('candidate', kept as unknown as StoredRecord, this.full());
  }

  /** Registers a webhook target (as webhook.create does): every event, or only `events`. */
  addWebhook(url: string, secret: string, events?: string[]): void {
    if (!/^https?:\/\//.test(url) || !secret)
      throw new SandboxAdminError('addWebhook needs an http(s) url and a non-empty secret');
    this.webhooks.addTarget({ url, secret, events });
  }

  removeWebhook(url: string): number {
    return this.webhooks.removeTarget(url);
  }

  /** Faults for the next webhook deliveries: duplicates, reordering, bad signatures (counts). */
  injectWebhookFaults(faults: WebhookFaults): void {
    this.webhooks.injectFaults(faults);
  }

  /**
   * Grants or withdraws a key's confidential access (and/or private fields) from now on: records
   * it can no longer see leave its lists and answer `*_not_found`, as if deleted, without any webhook.
   */
  setKeyAccess(keyName: string, access: { confidential?: boolean; privateFields?: boolean }): void {
    for (const flag of ['confidential', 'privateFields'] as const)
      if (access[flag] !== undefined && typeof access[flag] !== 'boolean')
        throw new SandboxAdminError(`${flag} must be true or false`);
    if (!this.engine.setKeyAccess(keyName, access))
      throw new SandboxAdminError(`no key named ${JSON.stringify(keyName)}`);
  }

  /** Turns an organisation feature (options.features) on or off from now on. */
  setFeature(feature: SandboxFeature, enabled: boolean): void {
    if (!SANDBOX_FEATURES.includes(feature))
      throw new SandboxAdminError(
        `unknown feature ${JSON.stringify(feature)}; use one of ${SANDBOX_FEATURES.join(', ')}`,
      );
    if (typeof enabled !== 'boolean') throw new SandboxAdminError('enabled must be true or false');
    this.engine.options.features[feature] = enabled;
  }

  /** Current sandbox time (ISO). */
  clockNow(): string {
    return iso(this.engine.clock.now());
  }

  advanceClock(ms: number): string {
    return iso(this.engine.clock.advance(ms));
  }

  setClock(instant: string): string {
    const ms = Date.parse(instant);
    if (Number.isNaN(ms)) throw new SandboxAdminError(`not an ISO instant: ${instant}`);
    this.engine.clock.set(ms);
    return iso(ms);
  }

  /** Every sync token issued so far answers sync_token_expired. */
  expireSyncTokens(): void {
    // Move the clock 1 ms on, so tokens issued from now on are not caught too with a frozen clock.
    this.engine.policy.syncExpiredBefore = this.engine.clock.advance(1);
  }

  /** Every sync token issued so far answers sync_token_invalid. */
  invalidateSyncTokens(): void {
    this.engine.policy.syncGeneration++;
  }

  /** Every cursor issued so far answers next_cursor_expired. */
  expireCursors(): void {
    this.engine.policy.cursorExpiredBefore = this.engine.clock.advance(1);
    this.engine.runs.clear();
  }

  /** Every cursor issued so far answers invalid_next_cursor. */
  invalidateCursors(): void {
    this.engine.policy.cursorGeneration++;
  }

  /**
   * The next `count` calls to `endpoint` ('*' = any endpoint) end with `outcome`: an Ashby error
   * code (e.g. one of the five restart codes), an HTTP 5xx, a 429 with Retry-After, or a reset connection.
   */
  forceNext(endpoint: string, count: number, outcome: ForcedOutcome): void {
    this.engine.forced.add(endpoint, count, outcome);
  }

  /** Shorthand for forcing one of the five restart codes. */
  forceRestart(endpoint: string, code: (typeof RESTART_CODES)[number], count = 1): void {
    if (!RESTART_CODES.includes(code)) throw new SandboxAdminError(`not a restart code: ${code}`);
    this.engine.forced.add(endpoint, count, { errorCode: code });
  }

  clearForced(): void {
    this.engine.forced.clear();
  }

  callLog(filter: { path?: string; keyName?: string } = {}): CallLogEntry[] {
    return this.engine.callLog.list(filter);
  }

  resetCallLog(): void {
    this.engine.callLog.reset();
  }

  webhookDeliveries(): WebhookDelivery[] {
    return this.webhooks.deliveries();
  }

  /** Resolves when every queued webhook delivery has finished (delivered or given up). */
  flushWebhooks(): Promise<void> {
    return this.webhooks.flush();
  }

  stats(): {
    seq: number;
    seed: number;
    scale: number;
    counts: Record<string, number>;
    mutations: Record<string, unknown>;
  } {
    const w = this.store.world;
    return {
      seq: this.store.seq,
      seed: w.seed,
      scale: w.scale,
      counts: { ...w.counts },
      mutations: this.store.stats(),
    };
  }
}
