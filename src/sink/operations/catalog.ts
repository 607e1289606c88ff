import type { CommandEntity } from '../../avro/contract.js';
import { CommandInvalidError } from '../../avro/errors.js';
import { applicationOfCandidateForJob, candidateByEmail, jobByTitle, type Lookup } from '../reconcile.js';
import { fileByName, noteByMarker, noteMarker } from '../reconcile-attachments.js';
import {
  scheduleByMarker,
  scheduleMarker,
  scheduleUpdateApplied,
  stampCreate,
  stampUpdate,
} from '../reconcile-schedules.js';
import type { AshbyRequest, CommandPlan, ResultRef } from './command-plan.js';

/**
 * The sink's operations, one declaration each, as the source's streams are in source/catalog.ts.
 * Everything else is derived from here: the plan the executor runs (steps), which steps never
 * repeat and which lookup settles an unknown outcome (plan-executor.ts), the endpoints and so the
 * scopes that preflight and `check` ask of the key, the command schema's operations
 * (tools/avro-generate) and the operations table of docs/sink.md (`npm run docs`).
 *
 * To add an operation: one entry below (its steps, and for a step that creates or cannot be
 * repeated, `once` or `settle`), then `npm run generate:schemas` and `npm run docs`.
 */

/** What a command's plan is built from (command-mapping.ts fills it after validating the command). */
export interface PlanInput {
  entity: CommandEntity;
  operation: string;
  idempotencyKey: string | undefined;
  targetId: string | undefined;
  /** The command's fields that the operation takes, as Ashby JSON (customFields apart). */
  body: Record<string, unknown>;
  customFields: Array<{ fieldId: string; fieldValue?: unknown }> | undefined;
}

/** How an unknown outcome (a timeout after sending, a crash after the intent) of a create is settled. */
export interface Settle {
  /** Finds the records the create would have made. */
  lookup: Lookup;
  /** The read endpoints the lookup calls (they need the key's read scopes). */
  reads: readonly string[];
  /**
   * Run the lookup before the create is first sent, so a record that already matched is never
   * adopted (`destination.lookup_before_create`). Not where Ashby itself refuses a duplicate.
   * `always`: whatever that setting says (notes and files, which have no natural key).
   */
  before?: boolean | 'always';
  /**
   * A value the sink stamps on the body when it records the intent and sends unchanged on
   * resume: the marker the lookup finds the record by. `stamp` returns the body with the marker,
   * or undefined when there is nothing to stamp (the command set the field itself, or adds no record).
   */
  marker?: {
    make: () => string;
    stamp: (body: Record<string, unknown>, marker: string) => Record<string, unknown> | undefined;
  };
}

export interface StepDecl {
  /** Unique within the plan; later steps read its result by it. */
  id: string;
  endpoint: string;
  /** The request body (default: the command's body); an array makes one request per element (ids `<id>2`, `<id>3`, …). */
  body?: (input: PlanInput) => Record<string, unknown> | Array<Record<string, unknown>>;
  /** Body fields filled at run time from earlier results. */
  fromResults?: Record<string, ResultRef>;
  describe: (input: PlanInput) => string;
  /** Sending it twice does harm and nothing can look it up: an unknown outcome dead-letters the command. */
  once?: true;
  /** A create that a lookup can find afterwards. */
  settle?: Settle;
}

export interface OperationDecl {
  entity: CommandEntity;
  operation: string;
  /** The calls in order (a sequence), or an upsert: a lookup, then `whenFound` on one match and `whenMissing` on none. */
  steps: readonly StepDecl[] | { lookup: StepDecl; whenFound: readonly StepDecl[]; whenMissing: readonly StepDecl[] };
  /**
   * `customFields` applied with customField.setValues after the main call, on this object type,
   * to the record the command targets (or the one a step of this id created).
   */
  customFields?: { objectType: string; createdBy?: string; foundBy?: string };
  /** Where the command names its target (default `<entity>Id`). */
  targetField?: string;
  /** Required parameters where null is meaningful, so a command may leave them out. */
  nullMeansUnset?: readonly string[];
  /** Checks across fields the schema cannot express; throws CommandInvalidError. */
  check?: (input: PlanInput) => void;
  /** What the command schema takes: the endpoints whose body parameters become fields. */
  schema: {
    endpoints: readonly string[];
    doc: string;
    runtimeParams?: readonly string[];
    alsoRequires?: readonly string[];
  };
  /** The "Ashby calls" cell of the operations table in docs/sink.md. */
  docs: string;
}

const CUSTOM_FIELDS_ENDPOINT = 'customField.setValues';

const byEmail: Settle = { lookup: candidateByEmail, reads: ['candidate.search'], before: true };
const byTitle: Settle = { lookup: jobByTitle, reads: ['job.search'], before: true };
/** Ashby refuses a second application of a candidate to a job, so a match before the create cannot be: no `before`. */
const byCandidateAndJob: Settle = {
  lookup: applicationOfCandidateForJob,
  reads: ['candidate.info', 'application.info'],
};

/** Notes and files have no natural key: see reconcile-attachments.ts for the markers. */
const noteByCreatedAt: Settle = {
  lookup: noteByMarker,
  reads: ['candidate.listNotes'],
  before: 'always',
  marker: {
    make: () => noteMarker(),
    stamp: (body, createdAt) => (body.createdAt === undefined ? { ...body, createdAt } : undefined),
  },
};
const fileByFileName: Settle = { lookup: fileByName, reads: ['candidate.info'], before: 'always' };

/** Interview schedules have no natural key either: a marker in their events' extraData (reconcile-schedules.ts). */
const scheduleByEventMarker: Settle = {
  lookup: scheduleByMarker,
  reads: ['interviewSchedule.list'],
  marker: { make: scheduleMarker, stamp: stampCreate },
};
const scheduleUpdateByEventMarker: Settle = {
  lookup: scheduleUpdateApplied,
  reads: ['interviewEvent.list'],
  marker: { make: scheduleMarker, stamp: stampUpdate },
};

/** One value or a list, as Ashby's oneOf takes it; the command always gives a list. */
const listOf = (v: unknown): unknown[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

const createStep = (entity: string, settle?: Settle): StepDecl => ({
  id: 'create',
  endpoint: `${entity}.create`,
  describe: () => `create the ${entity}`,
  ...(settle ? { settle } : {}),
});
const updateStep = (entity: string): StepDecl => ({
  id: 'update',
  endpoint: `${entity}.update`,
  describe: (i) => `update ${entity} ${i.targetId}`,
});
const oneCall = (
  id: string,
  endpoint: string,
  describe: (i: PlanInput) => string,
  extra: Partial<StepDecl> = {},
): StepDecl[] => [{ id, endpoint, describe, ...extra }];

/** Upsert matches on email; candidate.update spells two create parameters differently and takes one alternate email per call. */
const upsertUpdate = (i: PlanInput): Record<string, unknown> => {
  const { website, alternateEmailAddresses, ...common } = i.body as Record<string, unknown> & {
    alternateEmailAddresses?: string[];
  };
  const update: Record<string, unknown> = { ...common };
  if (website !== undefined) update.websiteUrl = website;
  if (alternateEmailAddresses?.[0] !== undefined) update.alternateEmail = alternateEmailAddresses[0];
  return update;
};
const MATCH: ResultRef = { step: 'lookup', path: '0.id' };

export const OPERATIONS: readonly OperationDecl[] = [
  {
    entity: 'candidate',
    operation: 'create',
    steps: [createStep('candidate', byEmail)],
    customFields: { objectType: 'Candidate', createdBy: 'create' },
    schema: { endpoints: ['candidate.create'], doc: 'candidate.create' },
    docs: '`candidate.create` (+ `customField.setValues`)',
  },
  {
    entity: 'candidate',
    operation: 'update',
    steps: [updateStep('candidate')],
    customFields: { objectType: 'Candidate' },
    schema: { endpoints: ['candidate.update'], doc: 'candidate.update' },
    docs: '`candidate.update` (+ `customField.setValues`)',
  },
  {
    entity: 'candidate',
    operation: 'upsert',
    steps: {
      lookup: {
        id: 'lookup',
        endpoint: 'candidate.search',
        body: (i) => ({ email: i.body.email }),
        describe: (i) => `find the candidate with email ${String(i.body.email)}`,
      },
      whenFound: [
        {
          id: 'update',
          endpoint: 'candidate.update',
          body: upsertUpdate,
          fromResults: { candidateId: MATCH },
          describe: (i) => `update the candidate with email ${String(i.body.email)}`,
        },
        {
          id: 'alternateEmail',
          endpoint: 'candidate.update',
          body: (i) =>
            ((i.body.alternateEmailAddresses as string[] | undefined) ?? [])
              .slice(1)
              .map((alternateEmail) => ({ alternateEmail })),
          fromResults: { candidateId: MATCH },
          describe: () => 'add another alternate email',
        },
      ],
      whenMissing: [createStep('candidate', byEmail)],
    },
    customFields: { objectType: 'Candidate', createdBy: 'create', foundBy: 'lookup' },
    schema: {
      endpoints: ['candidate.create'],
      doc: 'candidate.search by email; candidate.update when exactly one candidate matches, candidate.create when none does',
      alsoRequires: ['email'],
    },
    docs: '`candidate.search {email}` → `candidate.update` when one matches, `candidate.create` when none',
  },
  {
    entity: 'candidate',
    operation: 'addTag',
    steps: oneCall('addTag', 'candidate.addTag', (i) => `tag candidate ${i.targetId}`),
    schema: { endpoints: ['candidate.addTag'], doc: 'candidate.addTag' },
    docs: '`candidate.addTag`',
  },
  {
    entity: 'candidate',
    operation: 'removeTag',
    steps: oneCall(
      'removeTag',
      'candidate.removeTag',
      (i) => `remove tag ${String(i.body.tagId)} from candidate ${i.targetId}`,
    ),
    schema: { endpoints: ['candidate.removeTag'], doc: 'candidate.removeTag' },
    docs: '`candidate.removeTag`',
  },
  {
    entity: 'candidate',
    operation: 'createNote',
    // Settled by its createdAt, stamped with the intent when the command gives none (reconcile-attachments.ts).
    steps: [
      {
        id: 'create',
        endpoint: 'candidate.createNote',
        describe: (i) => `add a note to candidate ${i.targetId}`,
        settle: noteByCreatedAt,
      },
    ],
    schema: { endpoints: ['candidate.createNote'], doc: 'candidate.createNote (plain text or HTML)' },
    docs: '`candidate.createNote` (settled by its `createdAt`)',
  },
  {
    entity: 'candidate',
    operation: 'uploadFile',
    steps: [
      {
        id: 'upload',
        endpoint: 'candidate.uploadFile',
        describe: (i) => `attach a file to candidate ${i.targetId}`,
        settle: fileByFileName,
      },
    ],
    schema: {
      endpoints: ['candidate.uploadFile'],
      doc: 'candidate.uploadFile as multipart/form-data, the file downloaded from an https url or given inline',
    },
    docs: '`candidate.uploadFile` (multipart; settled by the file name)',
  },
  {
    entity: 'candidate',
    operation: 'uploadResume',
    steps: [
      {
        id: 'upload',
        endpoint: 'candidate.uploadResume',
        describe: (i) => `upload a resume for candidate ${i.targetId}`,
        settle: fileByFileName,
      },
    ],
    schema: {
      endpoints: ['candidate.uploadResume'],
      doc: 'candidate.uploadResume as multipart/form-data, the file downloaded from an https url or given inline',
    },
    docs: '`candidate.uploadResume` (multipart; settled by the file name)',
  },
  {
    entity: 'job',
    operation: 'create',
    steps: [createStep('job', byTitle)],
    customFields: { objectType: 'Job', createdBy: 'create' },
    schema: { endpoints: ['job.create'], doc: 'job.create' },
    docs: '`job.create` (+ `customField.setValues`)',
  },
  {
    entity: 'job',
    operation: 'update',
    steps: [updateStep('job')],
    customFields: { objectType: 'Job' },
    schema: { endpoints: ['job.update'], doc: 'job.update' },
    docs: '`job.update` (+ `customField.setValues`)',
  },
  {
    entity: 'job',
    operation: 'setStatus',
    steps: oneCall('setStatus', 'job.setStatus', (i) => `set job ${i.targetId} to ${String(i.body.status)}`),
    schema: { endpoints: ['job.setStatus'], doc: 'job.setStatus' },
    docs: '`job.setStatus`',
  },
  {
    entity: 'application',
    operation: 'create',
    steps: [createStep('application', byCandidateAndJob)],
    customFields: { objectType: 'Application', createdBy: 'create' },
    schema: { endpoints: ['application.create'], doc: 'application.create' },
    docs: '`application.create` (+ `customField.setValues`)',
  },
  {
    entity: 'application',
    operation: 'update',
    steps: [updateStep('application')],
    customFields: { objectType: 'Application' },
    schema: { endpoints: ['application.update'], doc: 'application.update' },
    docs: '`application.update` (+ `customField.setValues`)',
  },
  {
    entity: 'application',
    operation: 'changeStage',
    steps: oneCall(
      'changeStage',
      'application.changeStage',
      (i) => `move application ${i.targetId} to stage ${String(i.body.interviewStageId)}`,
    ),
    schema: { endpoints: ['application.changeStage'], doc: 'application.changeStage' },
    docs: '`application.changeStage`',
  },
  {
    entity: 'application',
    operation: 'changeSource',
    // A required parameter where null means something: no source unsets it.
    nullMeansUnset: ['sourceId'],
    steps: oneCall('changeSource', 'application.changeSource', (i) => `set the source of application ${i.targetId}`, {
      body: (i) => ({ ...i.body, sourceId: i.body.sourceId ?? null }),
    }),
    schema: { endpoints: ['application.changeSource'], doc: 'application.changeSource' },
    docs: '`application.changeSource` (null `sourceId` unsets it)',
  },
  {
    entity: 'application',
    operation: 'archive',
    steps: oneCall(
      'archive',
      'application.changeStage',
      (i) => `archive application ${i.targetId} in stage ${String(i.body.interviewStageId)}`,
    ),
    schema: {
      endpoints: ['application.changeStage'],
      doc: 'application.changeStage to an Archived stage, with an archive reason',
      alsoRequires: ['archiveReasonId'],
    },
    docs: '`application.changeStage` with `archiveReasonId`',
  },
  {
    entity: 'application',
    operation: 'transfer',
    steps: oneCall(
      'transfer',
      'application.transfer',
      (i) => `transfer application ${i.targetId} to job ${String(i.body.jobId)}`,
    ),
    schema: {
      endpoints: ['application.transfer'],
      doc: "application.transfer (to another job's interview plan and stage)",
    },
    docs: '`application.transfer`',
  },
  {
    entity: 'application',
    operation: 'addHiringTeamMember',
    steps: oneCall(
      'addHiringTeamMember',
      'application.addHiringTeamMember',
      (i) => `add user ${String(i.body.teamMemberId)} to the hiring team of application ${i.targetId}`,
    ),
    schema: { endpoints: ['application.addHiringTeamMember'], doc: 'application.addHiringTeamMember' },
    docs: '`application.addHiringTeamMember`',
  },
  {
    entity: 'offer',
    operation: 'create',
    steps: [
      {
        id: 'offerProcess',
        endpoint: 'offerProcess.start',
        once: true,
        body: (i) => ({ applicationId: i.body.applicationId }),
        describe: (i) => `start the offer process of application ${String(i.body.applicationId)}`,
      },
      {
        id: 'offerStart',
        endpoint: 'offer.start',
        body: () => ({}),
        fromResults: { offerProcessId: { step: 'offerProcess', path: 'id' } },
        describe: () => 'start a new offer version',
      },
      {
        id: 'create',
        endpoint: 'offer.create',
        once: true,
        body: ({ body: { applicationId: _applicationId, ...rest } }) => rest,
        fromResults: {
          offerProcessId: { step: 'offerProcess', path: 'id' },
          offerFormId: { step: 'offerStart', path: 'id' },
        },
        describe: () => 'create the offer from the form',
      },
    ],
    schema: {
      endpoints: ['offerProcess.start', 'offer.start', 'offer.create'],
      doc: 'offerProcess.start, then offer.start, then offer.create with the ids the first two return',
      runtimeParams: ['offerProcessId', 'offerFormId'],
    },
    docs: "`offerProcess.start` → `offer.start` → `offer.create` with the form's `fieldSubmissions`",
  },
  {
    entity: 'offer',
    operation: 'update',
    steps: oneCall('update', 'offer.update', (i) => `update offer ${i.targetId} (new version)`, { once: true }),
    schema: { endpoints: ['offer.update'], doc: 'offer.update (creates a new offer version)' },
    docs: '`offer.update` (a new version)',
  },
  {
    entity: 'offer',
    operation: 'startApproval',
    targetField: 'offerVersionId',
    steps: oneCall(
      'startApproval',
      'offer.startApprovalProcess',
      (i) => `start approval of offer version ${i.targetId}`,
      { once: true },
    ),
    schema: { endpoints: ['offer.startApprovalProcess'], doc: 'offer.startApprovalProcess' },
    docs: '`offer.startApprovalProcess`',
  },
  {
    entity: 'offer',
    operation: 'approve',
    targetField: 'offerVersionId',
    check: (i) => {
      if (i.body.approvalStepId !== undefined && i.body.userId === undefined) {
        throw new CommandInvalidError(
          i.entity,
          'userId',
          'is required when approvalStepId is set (Ashby approves a step on behalf of one of its approvers)',
          { operation: i.operation },
        );
      }
    },
    steps: oneCall('approve', 'offer.approve', (i) => `approve offer version ${i.targetId}`, { once: true }),
    schema: { endpoints: ['offer.approve'], doc: 'offer.approve' },
    docs: '`offer.approve` (one step with `approvalStepId` + `userId`)',
  },
  {
    entity: 'offer',
    operation: 'setStatus',
    steps: oneCall(
      'setStatus',
      'offer.setStatus',
      (i) => `set offer ${i.targetId} to ${String(i.body.acceptanceStatus)}`,
    ),
    schema: { endpoints: ['offer.setStatus'], doc: 'offer.setStatus' },
    docs: '`offer.setStatus`',
  },
  {
    entity: 'interview_schedule',
    operation: 'create',
    targetField: 'interviewScheduleId',
    steps: [
      {
        id: 'create',
        endpoint: 'interviewSchedule.create',
        describe: (i) => `schedule interviews for application ${String(i.body.applicationId)}`,
        settle: scheduleByEventMarker,
      },
    ],
    schema: { endpoints: ['interviewSchedule.create'], doc: 'interviewSchedule.create' },
    docs: "`interviewSchedule.create` (settled by a marker in the events' `extraData`)",
  },
  {
    entity: 'interview_schedule',
    operation: 'update',
    targetField: 'interviewScheduleId',
    check: (i) => {
      const adds = i.body.interviewEvent !== undefined;
      const cancels = i.body.interviewEventIdToCancel !== undefined;
      if (adds === cancels)
        throw new CommandInvalidError(
          i.entity,
          adds ? 'interviewEventIdToCancel' : 'interviewEvent',
          adds
            ? 'cannot be sent with interviewEvent: Ashby takes either events to add or update, or events to cancel'
            : 'or interviewEventIdToCancel is required for operation update',
          { operation: i.operation },
        );
    },
    steps: oneCall('update', 'interviewSchedule.update', (i) => `update interview schedule ${i.targetId}`, {
      body: (i) => {
        const { interviewEvent, interviewEventIdToCancel, ...rest } = i.body;
        return {
          ...rest,
          ...(interviewEvent !== undefined ? { interviewEvent: listOf(interviewEvent) } : {}),
          ...(interviewEventIdToCancel !== undefined
            ? { interviewEventIdToCancel: listOf(interviewEventIdToCancel) }
            : {}),
        };
      },
      settle: scheduleUpdateByEventMarker,
    }),
    schema: {
      endpoints: ['interviewSchedule.update'],
      doc: 'interviewSchedule.update: add or change events (interviewEvent), or cancel events (interviewEventIdToCancel)',
    },
    docs: '`interviewSchedule.update` (events it adds are settled by a marker in their `extraData`)',
  },
  {
    entity: 'interview_schedule',
    operation: 'cancel',
    targetField: 'interviewScheduleId',
    steps: oneCall('cancel', 'interviewSchedule.cancel', (i) => `cancel interview schedule ${i.targetId}`, {
      // Ashby calls the schedule `id` here; the command names it as update does.
      body: ({ body: { interviewScheduleId, ...rest } }) => ({ id: interviewScheduleId, ...rest }),
    }),
    schema: { endpoints: ['interviewSchedule.cancel'], doc: 'interviewSchedule.cancel' },
    docs: '`interviewSchedule.cancel` (`interviewScheduleId` sent as `id`)',
  },
];

/** An operation catalog with its derived views. Built once for OPERATIONS; tests build their own. */
export class OperationCatalog {
  private readonly byKey = new Map<string, OperationDecl>();
  private readonly behaviour = new Map<string, { once: boolean; settle?: Settle }>();

  constructor(readonly operations: readonly OperationDecl[]) {
    for (const op of operations) {
      const key = `${op.entity}.${op.operation}`;
      if (this.byKey.has(key)) throw new Error(`operation catalog: ${key} is declared twice`);
      this.byKey.set(key, op);
      for (const step of stepsOf(op)) {
        const known = this.behaviour.get(step.endpoint);
        const mine = { once: step.once === true, ...(step.settle ? { settle: step.settle } : {}) };
        if (known && (known.once !== mine.once || known.settle !== mine.settle)) {
          throw new Error(
            `operation catalog: ${step.endpoint} is declared with different repeat/settle behaviour in ${key}`,
          );
        }
        this.behaviour.set(step.endpoint, mine);
      }
    }
  }

  get(entity: CommandEntity, operation: string): OperationDecl | undefined {
    return this.byKey.get(`${entity}.${operation}`);
  }

  /** The operations of an entity, in declaration order. */
  operationsOf(entity: CommandEntity): OperationDecl[] {
    return this.operations.filter((o) => o.entity === entity);
  }

  /** Whether a step may run again: `once` never, `reconcilable` after its lookup, `repeatable` freely. */
  stepKind(endpoint: string): 'repeatable' | 'reconcilable' | 'once' {
    const b = this.behaviour.get(endpoint);
    if (b?.settle) return 'reconcilable';
    return b?.once ? 'once' : 'repeatable';
  }

  /** The lookup that settles an unknown outcome of this endpoint, if any. */
  settleOf(endpoint: string): Settle | undefined {
    return this.behaviour.get(endpoint)?.settle;
  }

  /** Every endpoint the sink may call for commands of this entity: plan steps, custom fields and settling lookups. */
  endpointsOf(entity: CommandEntity): string[] {
    const ops = this.operationsOf(entity);
    const steps = ops.flatMap(stepsOf);
    return [
      ...new Set([
        ...steps.map((s) => s.endpoint),
        ...(ops.some((o) => o.customFields) ? [CUSTOM_FIELDS_ENDPOINT] : []),
        ...steps.flatMap((s) => s.settle?.reads ?? []),
      ]),
    ];
  }

  /** The plan of a validated command. */
  plan(input: PlanInput): CommandPlan {
    const op = this.get(input.entity, input.operation);
    if (!op)
      throw new CommandInvalidError(
        input.entity,
        'operation',
        `operation ${input.operation} has no plan (this is a bug in ashby-kafka)`,
      );
    op.check?.(input);
    const { entity, operation, idempotencyKey, targetId } = input;
    const cf = op.customFields;
    if (Array.isArray(op.steps)) {
      const steps = (op.steps as readonly StepDecl[]).flatMap((s) => requests(s, input));
      const target = cf?.createdBy ? { step: cf.createdBy, path: 'id' } : targetId!;
      return {
        kind: 'sequence',
        entity,
        operation,
        idempotencyKey,
        targetId,
        steps: [...steps, ...customFieldsRequest(op, input, target)],
      };
    }
    const u = op.steps as Exclude<OperationDecl['steps'], readonly StepDecl[]>;
    return {
      kind: 'upsert',
      entity,
      operation,
      idempotencyKey,
      targetId: undefined,
      lookup: requests(u.lookup, input)[0]!,
      whenFound: [
        ...u.whenFound.flatMap((s) => requests(s, input)),
        ...(cf?.foundBy ? customFieldsRequest(op, input, { step: cf.foundBy, path: '0.id' }) : []),
      ],
      whenMissing: [
        ...u.whenMissing.flatMap((s) => requests(s, input)),
        ...(cf?.createdBy ? customFieldsRequest(op, input, { step: cf.createdBy, path: 'id' }) : []),
      ],
    };
  }

  /** Whether a required field may be left out because null means "unset" for it. */
  nullMeansUnset(entity: CommandEntity, operation: string, field: string): boolean {
    return this.get(entity, operation)?.nullMeansUnset?.includes(field) ?? false;
  }

  /** Where a command of this operation names its target record. */
  targetField(entity: CommandEntity, operation: string): string {
    return this.get(entity, operation)?.targetField ?? `${entity}Id`;
  }
}

export function stepsOf(op: OperationDecl): StepDecl[] {
  if (Array.isArray(op.steps)) return [...(op.steps as readonly StepDecl[])];
  const u = op.steps as Exclude<OperationDecl['steps'], readonly StepDecl[]>;
  return [u.lookup, ...u.whenFound, ...u.whenMissing];
}

function requests(step: StepDecl, input: PlanInput): AshbyRequest[] {
  const body = step.body ? step.body(input) : input.body;
  const make = (id: string, b: Record<string, unknown>): AshbyRequest => ({
    id,
    endpoint: step.endpoint,
    body: b,
    ...(step.fromResults ? { fromResults: step.fromResults } : {}),
    description: step.describe(input),
  });
  return Array.isArray(body) ? body.map((b, i) => make(`${step.id}${i + 2}`, b)) : [make(step.id, body)];
}

/** customField.setValues after the main call; objectId is literal when known, else read from a result. */
function customFieldsRequest(op: OperationDecl, input: PlanInput, objectId: string | ResultRef): AshbyRequest[] {
  const objectType = op.customFields?.objectType;
  if (!input.customFields?.length || !objectType) return [];
  const values = input.customFields.map((v) => ({ fieldId: v.fieldId, fieldValue: v.fieldValue ?? null }));
  const description = `set ${values.length} custom field value(s) on the ${input.entity}`;
  return typeof objectId === 'string'
    ? [{ id: 'customFields', endpoint: CUSTOM_FIELDS_ENDPOINT, body: { objectId, objectType, values }, description }]
    : [
        {
          id: 'customFields',
          endpoint: CUSTOM_FIELDS_ENDPOINT,
          body: { objectType, values },
          fromResults: { objectId },
          description,
        },
      ];
}

export const CATALOG = new OperationCatalog(OPERATIONS);
