import type { CommandEntity } from '../../avro/contract.js';

/**
 * What a destination command asks of Ashby: the calls to make, in order, with their exact JSON
 * bodies. Built by commandToRequests (command-mapping.ts); executed by the destination writer,
 * which owns retries, the idempotency ledger and dead letters.
 */
export interface ResultRef {
  /** `id` of an earlier request of the same plan. */
  step: string;
  /** Dotted path inside that request's `results`, e.g. `id` or `0.id`. */
  path: string;
}

export interface AshbyRequest {
  /** Unique within the plan; later requests refer to its result by it. */
  id: string;
  /** `module.method`, e.g. `candidate.create`. */
  endpoint: string;
  /** The literal JSON body. */
  body: Record<string, unknown>;
  /** Body fields the writer fills at run time from earlier results (field → where to read it). */
  fromResults?: Record<string, ResultRef>;
  description: string;
}

interface PlanBase {
  entity: CommandEntity;
  operation: string;
  /** The command's idempotencyKey, when the producer set one. */
  idempotencyKey: string | undefined;
  /** Id of the Ashby record the command targets, when the command names it (update, setStatus…). */
  targetId: string | undefined;
}

/** Run `steps` in order; stop at the first failure. */
export interface SequencePlan extends PlanBase {
  kind: 'sequence';
  steps: AshbyRequest[];
}

/**
 * Run `lookup` (its results are an array). Exactly one match: run `whenFound`, whose requests
 * read the match's id as `{ step: 'lookup', path: '0.id' }`. No match: run `whenMissing`. More
 * than one match: the writer must not guess; it reports the command as ambiguous.
 */
export interface UpsertPlan extends PlanBase {
  kind: 'upsert';
  lookup: AshbyRequest;
  whenFound: AshbyRequest[];
  whenMissing: AshbyRequest[];
}

export type CommandPlan = SequencePlan | UpsertPlan;
