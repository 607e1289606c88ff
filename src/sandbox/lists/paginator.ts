import type { Body } from '../http/params.js';
import { optInt } from '../http/params.js';
import type { HandlerResult, RequestContext } from '../http/request-context.js';
import { AshbyWireError, invalidInput } from '../http/wire-error.js';
import type { EntityName } from '../store/entities.js';
import type { StoredRecord } from '../store/store.js';
import type { SandboxFeature } from '../options.js';
import type { ListRun } from './runs.js';
import { endpointCode } from './tokens.js';

/**
 * The list engine shared by every `*.list` endpoint: page size, cursors, sync tokens, the
 * createdAfter/createdBefore window and the five restart errors (docs/ashby-api.md §2).
 */

/** Ashby's maximum and default page size (docs/ashby-api.md §2.1). */
export const MAX_PAGE_SIZE = 100;
/** Positions a full-pass page may examine before it returns what it has (possibly nothing): Ashby's empty intermediate pages. */
const SCAN_BUDGET_PER_RECORD = 20;
const MIN_SCAN_BUDGET = 2_000;

export interface ListSpec {
  endpoint: string;
  entity: EntityName;
  /** 'sync': cursor + syncToken; 'cursor': cursor only; 'single': whole list in one response. */
  paging: 'sync' | 'cursor' | 'single';
  /** Single-page lists: whether the envelope still carries moreDataAvailable:false (source.list does, archiveReason.list does not). */
  singleMoreDataAvailable?: boolean;
  createdAfter?: boolean;
  createdBefore?: boolean;
  /**
   * Generated records are ordered by candidate block (candidate i's records come before i+1's and
   * were created in its time window), with this many positions per candidate: lets a createdAfter
   * pass start near the right position instead of scanning a million records.
   */
  positionsPerCandidate?: number;
  /** An org feature the endpoint needs; without it the endpoint answers with `compat.missingFeature`. */
  feature?: SandboxFeature;
  /** Validates the request's filters before anything else. */
  validate?(body: Body, ctx: RequestContext): void;
  /** Per-parent lists: the ids to list, in order (throws the parent's *_not_found); undefined to scan everything. */
  scope?(body: Body, ctx: RequestContext): string[] | undefined;
  /** Per-parent lists whose items are not stored records of their own (application history entries). */
  fetch?(id: string, ctx: RequestContext, body: Body): StoredRecord | undefined;
  /** Filters and visibility; records failing it are skipped. */
  include?(record: StoredRecord, body: Body, ctx: RequestContext): boolean;
  view(record: StoredRecord, ctx: RequestContext, body: Body): unknown;
}

function restart(code: string, message: string): AshbyWireError {
  return new AshbyWireError(code, message);
}

export function parseLimit(body: Body): number {
  const limit = optInt(body, 'limit');
  if (limit === undefined) return MAX_PAGE_SIZE;
  if (limit < 1 || limit > MAX_PAGE_SIZE) throw invalidInput(`limit must be between 1 and ${MAX_PAGE_SIZE}`);
  return limit;
}

/** createdAfter/createdBefore: epoch ms, not in the future, not inverted (docs/ashby-api.md §2.1). */
function createdWindow(spec: ListSpec, body: Body, ctx: RequestContext): { after?: number; before?: number } {
  const after = spec.createdAfter ? optInt(body, 'createdAfter') : undefined;
  const before = spec.createdBefore ? optInt(body, 'createdBefore') : undefined;
  const now = ctx.core.clock.now();
  if (after !== undefined && after > now)
    throw invalidInput('createdAfter must not be in the future (epoch milliseconds)');
  if (before !== undefined && before > now)
    throw invalidInput('createdBefore must not be in the future (epoch milliseconds)');
  if (after !== undefined && before !== undefined && after > before)
    throw invalidInput('createdAfter must not be later than createdBefore');
  return { after, before };
}

function inWindow(record: StoredRecord, window: { after?: number; before?: number }): boolean {
  if (window.after === undefined && window.before === undefined) return true;
  const created = Date.parse(String(record.createdAt));
  return (
    (window.after === undefined || created > window.after) && (window.before === undefined || created < window.before)
  );
}

/** Reads cursor/syncToken, treating null as absent (docs/ashby-api.md §1.7). */
function tokenParam(body: Body, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw invalidInput(`${key} must be a string`);
  return v;
}

function resumeRun(cursor: string, ctx: RequestContext): { run: ListRun; position: number; page: number } {
  const { core } = ctx;
  const check = core.tokens.readCursor(cursor);
  if (!check.ok) {
    if (check.reason === 'foreign')
      throw restart(
        'next_cursor_expired',
        'This cursor was issued before the sandbox restarted and has expired. Restart the pass from the first page.',
      );
    throw restart(
      'invalid_next_cursor',
      'The cursor is not valid. Send the nextCursor of the previous page unchanged, or restart the pass from the first page.',
    );
  }
  const c = check.value;
  if (c.generation !== core.policy.cursorGeneration)
    throw restart('invalid_next_cursor', 'The cursor is no longer valid. Restart the pass from the first page.');
  const age = core.clock.now() - c.issuedAt;
  if (c.issuedAt < core.policy.cursorExpiredBefore || age > core.options.cursorTtlMs)
    throw restart('next_cursor_expired', 'The cursor has expired. Restart the pass from the first page.');
  const run = core.runs.get(c.run);
  if (!run) throw restart('next_cursor_expired', 'The cursor has expired. Restart the pass from the first page.');
  if (run.endpoint !== ctx.endpoint || run.keyName !== ctx.key.name)
    throw restart(
      'invalid_next_cursor',
      `This cursor belongs to another list than ${ctx.endpoint}. Restart the pass from the first page.`,
    );
  return { run, position: c.position, page: c.page };
}

function startRun(spec: ListSpec, ctx: RequestContext, window: { after?: number; before?: number }): ListRun {
  const { core, body } = ctx;
  const base = { endpoint: ctx.endpoint, keyName: ctx.key.name, body, snapshotSeq: core.store.seq };
  const token = spec.paging === 'sync' ? tokenParam(body, 'syncToken') : undefined;
  if (token !== undefined) {
    const check = core.tokens.readSyncToken(token);
    if (!check.ok) {
      if (check.reason === 'foreign')
        throw restart(
          'sync_token_expired',
          'This sync token was issued before the sandbox restarted and has expired. Run a full sync (no syncToken).',
        );
      throw restart(
        'sync_token_invalid',
        'The sync token is not valid. Discard it and run a full sync (no syncToken).',
      );
    }
    const t = check.value;
    if (t.endpoint !== endpointCode(ctx.endpoint) || t.generation !== core.policy.syncGeneration) {
      throw restart(
        'sync_token_invalid',
        `The sync token is not valid for ${ctx.endpoint}. Discard it and run a full sync (no syncToken).`,
      );
    }
    if (t.issuedAt < core.policy.syncExpiredBefore || core.clock.now() - t.issuedAt > core.options.syncTokenTtlMs) {
      throw restart('sync_token_expired', 'The sync token has expired. Discard it and run a full sync (no syncToken).');
    }
    const limit = parseLimit(body);
    const pagesNeeded = Math.ceil(core.store.changeCountSince(spec.entity, t.seq) / limit);
    if (pagesNeeded > core.options.incrementalMaxPages) {
      throw restart(
        'incremental_sync_too_large',
        `Too many records changed since this sync token was issued (more than ${core.options.incrementalMaxPages} pages). Discard it and run a full sync.`,
      );
    }
    let ids = core.store.changedIds(spec.entity, t.seq, base.snapshotSeq);
    const scoped = spec.scope?.(body, ctx);
    if (scoped) {
      const inScope = new Set(scoped);
      ids = ids.filter((id) => inScope.has(id));
    }
    return core.runs.create({ ...base, mode: 'ids', ids, startPosition: 0, incremental: true });
  }
  const scoped = spec.scope?.(body, ctx);
  if (scoped) return core.runs.create({ ...base, mode: 'ids', ids: scoped, startPosition: 0 });
  // Skip ahead to the candidate block where createdAfter starts, and stop where createdBefore ends,
  // unless a write moved some record's createdAt out of its block.
  let startPosition = 0;
  let skipFrom: number | undefined;
  const per = spec.positionsPerCandidate;
  if (per && !core.store.createdAtMoved(spec.entity)) {
    if (window.after !== undefined) startPosition = core.world.firstCandidateBlockAfter(window.after) * per;
    if (window.before !== undefined)
      skipFrom = Math.min(
        core.store.generatedSlots(spec.entity),
        (core.world.firstCandidateBlockAfter(window.before) + 2) * per,
      );
  }
  return core.runs.create({ ...base, mode: 'scan', startPosition, ...(skipFrom !== undefined ? { skipFrom } : {}) });
}

function collect(
  spec: ListSpec,
  run: ListRun,
  from: number,
  pageSize: number,
  ctx: RequestContext,
  window: { after?: number; before?: number },
): { records: unknown[]; next: number; done: boolean } {
  const { store } = ctx.core;
  const body = run.body;
  const records: unknown[] = [];
  const accept = (record: StoredRecord | undefined): void => {
    if (record && inWindow(record, window) && (!spec.include || spec.include(record, body, ctx)))
      records.push(spec.view(record, ctx, body));
  };
  if (run.mode === 'ids') {
    const ids = run.ids!;
    let p = from;
    for (; p < ids.length && records.length < pageSize; p++) {
      if (run.incremental && store.lastChange(spec.entity, ids[p]!) > run.snapshotSeq) continue;
      accept(spec.fetch ? spec.fetch(ids[p]!, ctx, body) : store.get(spec.entity, ids[p]));
    }
    return { records, next: p, done: p >= ids.length };
  }
  const end = store.positions(spec.entity);
  const generated = store.generatedSlots(spec.entity);
  const budget = Math.max(MIN_SCAN_BUDGET, pageSize * SCAN_BUDGET_PER_RECORD);
  let p = from;
  let scanned = 0;
  while (p < end && records.length < pageSize && scanned < budget) {
    if (run.skipFrom !== undefined && p >= run.skipFrom && p < generated) {
      p = generated;
      continue;
    }
    accept(store.atPosition(spec.entity, p));
    p++;
    scanned++;
  }
  return { records, next: p, done: p >= end };
}

/** The refusal of an endpoint whose feature the org lacks, as compat.missingFeature says to answer it. */
function requireFeature(feature: SandboxFeature, ctx: RequestContext): void {
  if (ctx.core.options.features[feature]) return;
  const { code, status } = ctx.core.options.compat.missingFeature;
  throw new AshbyWireError(
    code,
    `/${ctx.endpoint} requires the ${FEATURE_NAMES[feature]} feature, which is not enabled for this organization. Contact Ashby support to enable it.`,
    status,
  );
}

const FEATURE_NAMES: Record<SandboxFeature, string> = {
  aiApplicationReview: 'AI Application Review',
  fraudDetection: 'Fraud Detection',
  surveys: 'Candidate Surveys',
  assessments: 'Assessments integration',
};

export function listPage(spec: ListSpec, ctx: RequestContext): HandlerResult {
  const { core, body } = ctx;
  if (spec.feature) requireFeature(spec.feature, ctx);
  spec.validate?.(body, ctx);
  const window = createdWindow(spec, body, ctx);
  if (spec.paging === 'single') {
    const scoped = spec.scope?.(body, ctx);
    const run: ListRun = {
      id: 0,
      endpoint: ctx.endpoint,
      keyName: ctx.key.name,
      body,
      snapshotSeq: core.store.seq,
      mode: scoped ? 'ids' : 'scan',
      startPosition: 0,
      ...(scoped ? { ids: scoped } : {}),
    };
    const { records } = collect(spec, run, 0, Number.MAX_SAFE_INTEGER, ctx, window);
    return spec.singleMoreDataAvailable ? { results: records, moreDataAvailable: false } : { results: records };
  }
  const limit = Math.min(parseLimit(body), core.options.pageSize.maxPerPage);
  const cursor = tokenParam(body, 'cursor');
  const { run, position, page } =
    cursor !== undefined ? resumeRun(cursor, ctx) : { run: startRun(spec, ctx, window), position: -1, page: 0 };
  const from = position < 0 ? run.startPosition : position;
  const runWindow = cursor !== undefined ? createdWindow(spec, run.body, ctx) : window;
  const every = core.options.pageSize.emptyPageEvery;
  const now = core.clock.now();
  if (every >= 2 && page % every === every - 1) {
    // A forced empty intermediate page: same position, more data still available.
    return {
      results: [],
      moreDataAvailable: true,
      nextCursor: core.tokens.issueCursor(run.id, from, page + 1, now, core.policy.cursorGeneration),
    };
  }
  const { records, next, done } = collect(spec, run, from, limit, ctx, runWindow);
  if (!done) {
    return {
      results: records,
      moreDataAvailable: true,
      nextCursor: core.tokens.issueCursor(run.id, next, page + 1, now, core.policy.cursorGeneration),
    };
  }
  const result: HandlerResult = { results: records, moreDataAvailable: false };
  if (spec.paging === 'sync')
    result.syncToken = core.tokens.issueSyncToken(
      endpointCode(ctx.endpoint),
      run.snapshotSeq,
      now,
      core.policy.syncGeneration,
    );
  return result;
}
