import type { AshbyRequest, CommandPlan, ResultRef } from './operations/command-plan.js';
import { AshbyAmbiguousWriteError } from '../ashby/errors.js';
import { InternalError } from '../errors.js';
import { SinkError, WriteOutcomeUnknownError } from './errors.js';
import { CATALOG } from './operations/catalog.js';
import { NOT_RECONCILABLE, adopt, type AshbyCaller } from './reconcile.js';

/**
 * Runs a CommandPlan (the Ashby calls a command asks for) against Ashby. Pure connector logic:
 * no Kafka here. The runner persists `Progress` in the idempotency ledger through the hooks, so a
 * command interrupted by a crash or a rebalance resumes without repeating what already happened.
 *
 * Every step is one of three kinds (by endpoint):
 * - repeatable: doing it twice has the effect of doing it once (updates, setStatus, addTag,
 *   customField.setValues, lookups, offer.start). Re-run freely.
 * - reconcilable: a create that can be looked up afterwards (candidate, job, application). An
 *   unknown outcome is settled by lookup before any retry.
 * - once: cannot be repeated safely and cannot be looked up (offerProcess.start, offer.create,
 *   offer.update, offer approvals). An unknown outcome dead-letters the command.
 * Before a step that is not repeatable, `beforeUnsafeStep` makes the intent durable; after it,
 * `afterUnsafeStep` records its result. A step found "started" but not "done" on resume has an
 * unknown outcome.
 */
export type StepKind = 'repeatable' | 'reconcilable' | 'once';

/** Declared per step in the operation catalog (`once`, `settle`). */
export function stepKind(endpoint: string): StepKind {
  return CATALOG.stepKind(endpoint);
}

/** Creates whose matches are looked up before the create is first sent (`settle.before` in the catalog). */
function looksUpBeforeCreate(endpoint: string): boolean {
  return CATALOG.settleOf(endpoint)?.before === true;
}

/**
 * Creates with no natural key (notes, files): what matches before the first send is always
 * recorded with the intent, whatever `lookup_before_create` says (`settle.before: 'always'`).
 */
function alwaysLooksUpBefore(endpoint: string): boolean {
  return CATALOG.settleOf(endpoint)?.before === 'always';
}

/** What is kept of a step's results: ids only (all that later steps and results need). */
export interface StepRecord {
  endpoint: string;
  /** `{id}` for an object result, `[{id}]` for a list. */
  results: unknown;
  requestId?: string;
  /** Settled by lookup after an unknown outcome, not by the call's own answer. */
  reconciled?: boolean;
}

export interface Progress {
  /** The unsafe step whose intent was recorded last and whose result is not in `done`. */
  started?: string;
  done: Record<string, StepRecord>;
  /**
   * Per reconcilable step looked up before its create (`settle.before`): ids of the records its lookup matched
   * before it was first sent. Settling an unknown outcome never adopts one of them.
   */
  existing?: Record<string, string[]>;
  /** Per step with a marker (a note's createdAt, a schedule's extraData marker): the value sent, recorded with the intent so a resume sends the same. */
  markers?: Record<string, string>;
}

export interface ExecuteHooks {
  /** Runs before an unsafe step; resolves once the intent is durable. A throw stops the command. */
  beforeUnsafeStep(step: string, progress: Progress): Promise<void>;
  /**
   * Runs after an unsafe step succeeded; resolves once its result is durable. A throw stops the
   * command. `last`: nothing follows it, so the runner's final ledger entry will cover it and the
   * hook need not write anything.
   */
  afterUnsafeStep(step: string, progress: Progress, last: boolean): Promise<void>;
  /**
   * Runs before each call of a repeatable write step (an update, setStatus, changeStage...); a
   * throw stops the command before the call. Unsafe steps are covered by `beforeUnsafeStep`.
   */
  beforeRepeatableWrite?(step: string): void;
}

export type CommandAction = 'created' | 'updated' | 'unchanged';

export interface ExecutionOutcome {
  /** The Ashby record the command created or changed. */
  ashbyId: string | undefined;
  action: CommandAction;
  /** Request id of the command's main call (the create or update itself). */
  requestId: string | undefined;
  /** Results of every step, by step id. */
  steps: Record<string, StepRecord>;
  /** Calls made in this run (0 when everything was already done). */
  calls: number;
  /** The record's updatedAt as the last write of it returned it, when Ashby sent one. */
  updatedAt?: string;
}

/** How often an unknown outcome of a repeatable or reconcilable step is settled and tried again before giving up. */
export const MAX_AMBIGUOUS_ATTEMPTS = 3;

function slim(results: unknown): unknown {
  if (Array.isArray(results)) return results.map(slim);
  if (results && typeof results === 'object' && typeof (results as { id?: unknown }).id === 'string') {
    const { id, updatedAt } = results as { id: string; updatedAt?: unknown };
    // updatedAt: what the write made of the record, for the results topic (the two-way sync's loop guard).
    return typeof updatedAt === 'string' ? { id, updatedAt } : { id };
  }
  return null;
}

/** The latest updatedAt a step returned for the record the command changed. */
function updatedAtOf(records: Record<string, StepRecord>, ashbyId: string | undefined): string | undefined {
  let latest: string | undefined;
  for (const rec of Object.values(records)) {
    const r = rec.results as { id?: string; updatedAt?: string } | null;
    if (
      r &&
      !Array.isArray(r) &&
      r.id === ashbyId &&
      r.updatedAt &&
      (!latest || Date.parse(r.updatedAt) > Date.parse(latest))
    )
      latest = r.updatedAt;
  }
  return latest;
}

function read(records: Record<string, StepRecord>, ref: ResultRef): unknown {
  const rec = records[ref.step];
  if (!rec) throw new InternalError(`plan step ${ref.step} is referenced before it ran`);
  let v: unknown = rec.results;
  for (const part of ref.path.split('.'))
    v = v === null || v === undefined ? undefined : (v as Record<string, unknown>)[part];
  if (v === undefined) {
    throw new SinkError(
      'SINK_RESULT_MISSING',
      `${rec.endpoint} returned no ${ref.path}, which the next call needs; Ashby's answer changed shape.`,
      {
        details: { step: ref.step, path: ref.path },
      },
    );
  }
  return v;
}

function bodyOf(req: AshbyRequest, records: Record<string, StepRecord>): Record<string, unknown> {
  const body = { ...req.body };
  for (const [field, ref] of Object.entries(req.fromResults ?? {})) body[field] = read(records, ref);
  return body;
}

export interface ExecutorOptions {
  /** Record what matches before each create whose settle lookup runs `before` (candidate, job). Default true. */
  lookupBeforeCreate?: boolean;
  /**
   * Turns a step's body into what is sent, just before it is needed (an upload's file URL or
   * inline bytes into the file itself). Runs again on resume; a throw stops the command.
   */
  resolveBody?(endpoint: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<Record<string, unknown>>;
}

export class PlanExecutor {
  private readonly lookupBeforeCreate: boolean;
  private readonly resolveBody: ExecutorOptions['resolveBody'];

  constructor(
    private readonly ashby: AshbyCaller,
    private readonly signal?: AbortSignal,
    options: ExecutorOptions = {},
  ) {
    this.lookupBeforeCreate = options.lookupBeforeCreate ?? false;
    this.resolveBody = options.resolveBody;
  }

  async execute(plan: CommandPlan, progress: Progress, hooks: ExecuteHooks): Promise<ExecutionOutcome> {
    const records: Record<string, StepRecord> = { ...progress.done };
    const state: Progress = {
      ...(progress.started ? { started: progress.started } : {}),
      done: { ...progress.done },
      ...(progress.existing ? { existing: { ...progress.existing } } : {}),
      ...(progress.markers ? { markers: { ...progress.markers } } : {}),
    };
    let calls = 0;
    const run = async (steps: AshbyRequest[]): Promise<void> => {
      for (const [i, req] of steps.entries())
        calls += await this.step(req, records, state, hooks, i === steps.length - 1);
    };

    let created = false;
    let ashbyId: string | undefined;
    let mainStep: string;
    if (plan.kind === 'upsert') {
      calls += await this.step(plan.lookup, records, state, hooks, false);
      const matches = (records.lookup?.results as Array<{ id: string }> | null) ?? [];
      if (matches.length > 1) {
        throw new SinkError(
          'SINK_UPSERT_AMBIGUOUS',
          `${matches.length} candidates match email ${String(plan.lookup.body.email)} (${matches
            .slice(0, 5)
            .map((m) => m.id)
            .join(
              ', ',
            )}); upsert does not guess which to update. Merge them in Ashby or send an update with candidateId.`,
          { details: { matches: matches.map((m) => m.id) } },
        );
      }
      if (matches.length === 1) {
        await run(plan.whenFound);
        ashbyId = matches[0]!.id;
        mainStep = 'update';
      } else {
        // The upsert's own lookup (by email) just found nothing: no record matched before the create.
        for (const req of plan.whenMissing)
          if (looksUpBeforeCreate(req.endpoint))
            state.existing = { ...state.existing, [req.id]: state.existing?.[req.id] ?? [] };
        await run(plan.whenMissing);
        created = true;
        mainStep = 'create';
      }
    } else {
      await run(plan.steps);
      created = plan.steps.some((s) => s.id === 'create');
      mainStep = created ? 'create' : (plan.steps.find((s) => s.id !== 'customFields') ?? plan.steps[0]!).id;
    }
    const main = records[mainStep];
    ashbyId ??= created
      ? ((main?.results as { id?: string } | null)?.id ?? undefined)
      : (plan.targetId ?? (main?.results as { id?: string } | null)?.id ?? undefined);
    const updatedAt = updatedAtOf(records, ashbyId);
    return {
      ashbyId,
      action: calls === 0 ? 'unchanged' : created ? 'created' : 'updated',
      requestId: main?.requestId,
      steps: records,
      calls,
      ...(updatedAt ? { updatedAt } : {}),
    };
  }

  /** One step; returns the number of calls made. */
  private async step(
    req: AshbyRequest,
    records: Record<string, StepRecord>,
    state: Progress,
    hooks: ExecuteHooks,
    last: boolean,
  ): Promise<number> {
    if (records[req.id] && state.done[req.id]) return 0;
    const kind = stepKind(req.endpoint);
    let body = bodyOf(req, records);
    const marker = CATALOG.settleOf(req.endpoint)?.marker;
    if (marker) {
      const value = state.markers?.[req.id] ?? marker.make();
      const stamped = marker.stamp(body, value);
      if (stamped) {
        state.markers = { ...state.markers, [req.id]: value };
        body = stamped;
      }
    }
    if (this.resolveBody) body = await this.resolveBody(req.endpoint, body, this.signal);
    let calls = 0;
    if (kind !== 'repeatable') {
      if (state.started === req.id) {
        // Interrupted after the intent was recorded: the outcome is unknown.
        const settled = await this.settle(req, body, 'interrupted before its result was recorded', state);
        calls++;
        if (settled) return this.finish(req, settled, records, state, hooks, calls, last);
      } else {
        const lookBefore =
          (this.lookupBeforeCreate && looksUpBeforeCreate(req.endpoint)) || alwaysLooksUpBefore(req.endpoint);
        if (lookBefore && !state.existing?.[req.id]) {
          // What already matches is recorded with the intent, so settling never adopts it.
          const before = await CATALOG.settleOf(req.endpoint)!.lookup(this.ashby, body, this.signal);
          if (before !== NOT_RECONCILABLE) {
            calls++;
            state.existing = { ...state.existing, [req.id]: before.ids };
          }
        }
        state.started = req.id;
        await hooks.beforeUnsafeStep(req.id, state);
      }
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const kindOfCall = req.endpoint.endsWith('.search') || req.endpoint.endsWith('.info') ? 'read' : 'write';
        if (kind === 'repeatable' && kindOfCall === 'write') hooks.beforeRepeatableWrite?.(req.id);
        calls++;
        const res = await this.ashby.call(req.endpoint, body, { kind: kindOfCall, signal: this.signal });
        const rec: StepRecord = {
          endpoint: req.endpoint,
          results: slim(res.results),
          ...(res.requestId ? { requestId: res.requestId } : {}),
        };
        return await this.finish(req, rec, records, state, hooks, calls, last);
      } catch (err) {
        if (!(err instanceof AshbyAmbiguousWriteError)) throw err;
        if (kind === 'once')
          throw new WriteOutcomeUnknownError(req.endpoint, err.message, { requestId: err.requestId, cause: err });
        if (attempt >= MAX_AMBIGUOUS_ATTEMPTS) throw err;
        if (kind === 'reconcilable') {
          const settled = await this.settle(req, body, err.message, state);
          calls++;
          if (settled) return this.finish(req, settled, records, state, hooks, calls, last);
        }
      }
    }
  }

  /** Looks the record up; a StepRecord when it exists, undefined when the create must be (re)sent. */
  private async settle(
    req: AshbyRequest,
    body: Record<string, unknown>,
    why: string,
    state: Progress,
  ): Promise<StepRecord | undefined> {
    const lookup = CATALOG.settleOf(req.endpoint)?.lookup;
    if (!lookup) throw new WriteOutcomeUnknownError(req.endpoint, why);
    const matches = await lookup(this.ashby, body, this.signal);
    if (matches === NOT_RECONCILABLE)
      throw new WriteOutcomeUnknownError(req.endpoint, `${why}; the command has no field to look the record up by`);
    const id = adopt(req.endpoint, matches, state.existing?.[req.id]);
    return id === undefined ? undefined : { endpoint: req.endpoint, results: { id }, reconciled: true };
  }

  /** Records a step's result and tells the hooks about an unsafe one. */
  private async finish(
    req: AshbyRequest,
    rec: StepRecord,
    records: Record<string, StepRecord>,
    state: Progress,
    hooks: ExecuteHooks,
    calls: number,
    last: boolean,
  ): Promise<number> {
    records[req.id] = rec;
    state.done[req.id] = rec;
    if (stepKind(req.endpoint) !== 'repeatable') {
      delete state.started;
      await hooks.afterUnsafeStep(req.id, state, last);
    }
    return calls;
  }
}
