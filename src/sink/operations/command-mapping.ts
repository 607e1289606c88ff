import type avsc from 'avsc';
import { COMMAND_ENTITIES, loadContract, type CommandEntity, type Contract } from '../../avro/contract.js';
import { CommandInvalidError } from '../../avro/errors.js';
import { ATTR_OPERATIONS, ATTR_REQUIRED_FOR } from '../../avro/naming.js';
import { findViolation, formatPath } from '../../avro/schema.js';
import type { AshbyRequest, CommandPlan, ResultRef } from './command-plan.js';
import { compileSchema } from '../../avro/mapping/compile.js';
import { NO_FIT, type Converter, type Notes } from '../../avro/mapping/converters.js';

/**
 * Destination commands → Ashby calls. The command schemas (schemas/commands/*.avsc) say, per
 * field, which operations take it (`ashby.operations`) and require it (`ashby.requiredFor`);
 * this module checks a command against that and lays out the calls. Pure: nothing here talks
 * to Ashby.
 */
export interface CommandMapper {
  commandToRequests(entity: CommandEntity, command: Record<string, unknown>): CommandPlan;
  /** A command given as JSON (`value_format: json`), validated against the same schema; returns the Avro value. */
  parseJsonCommand(entity: CommandEntity, input: string | Record<string, unknown>): Record<string, unknown>;
}

interface CommandField {
  name: string;
  operations: ReadonlySet<string>;
  requiredFor: ReadonlySet<string>;
}

interface Compiled {
  type: avsc.Type;
  conv: Converter;
  operations: readonly string[];
  fields: readonly CommandField[];
}

/** objectType of customField.setValues per entity; offers have none (their custom fields live in the offer form). */
const CUSTOM_FIELD_OBJECT_TYPE: Partial<Record<CommandEntity, string>> = { candidate: 'Candidate', job: 'Job', application: 'Application' };
const ID_FIELD: Record<CommandEntity, string> = { candidate: 'candidateId', job: 'jobId', application: 'applicationId', offer: 'offerId' };

/** Where Ashby spells the same thing differently per endpoint: a hint for the error message. */
const RENAMED: Readonly<Record<string, string>> = {
  'candidate.update.website': 'websiteUrl',
  'candidate.update.alternateEmailAddresses': 'alternateEmail',
  'candidate.create.websiteUrl': 'website',
  'candidate.create.alternateEmail': 'alternateEmailAddresses',
  'candidate.upsert.websiteUrl': 'website',
  'candidate.upsert.alternateEmail': 'alternateEmailAddresses',
};

const META_FIELDS = new Set(['operation', 'idempotencyKey']);

function compile(contract: Contract, entity: CommandEntity): Compiled {
  const schema = contract.commandSchema(entity) as { fields: Array<Record<string, unknown>> };
  const operationField = schema.fields.find((f) => f.name === 'operation');
  const operations = ((operationField?.type as { symbols?: string[] } | undefined)?.symbols ?? []).slice();
  const fields = schema.fields
    .filter((f) => !META_FIELDS.has(f.name as string))
    .map((f) => ({
      name: f.name as string,
      operations: new Set((f[ATTR_OPERATIONS] as string[] | undefined) ?? []),
      requiredFor: new Set((f[ATTR_REQUIRED_FOR] as string[] | undefined) ?? []),
    }));
  return { type: contract.commandType(entity), conv: compileSchema(schema, `schemas/commands/${entity}.avsc`), operations, fields };
}

export function createCommandMapper(contract: Contract): CommandMapper {
  const cache = new Map<CommandEntity, Compiled>();
  const compiled = (entity: CommandEntity): Compiled => {
    if (!COMMAND_ENTITIES.includes(entity)) throw new CommandInvalidError(String(entity), '', `unknown entity; use one of ${COMMAND_ENTITIES.join(', ')}`);
    let c = cache.get(entity);
    if (!c) {
      c = compile(contract, entity);
      cache.set(entity, c);
    }
    return c;
  };

  return {
    parseJsonCommand(entity, input) {
      const c = compiled(entity);
      let json: unknown = input;
      if (typeof input === 'string') {
        try {
          json = JSON.parse(input);
        } catch (err) {
          throw new CommandInvalidError(entity, '', `is not valid JSON (${(err as Error).message})`);
        }
      }
      const notes: Notes = { keepRaw: false, failPath: [], failProblem: '' };
      const value = c.conv.toAvro(json, notes);
      if (value === NO_FIT) throw new CommandInvalidError(entity, formatPath(notes.failPath), notes.failProblem);
      const violation = findViolation(c.type, value, true);
      if (violation) throw new CommandInvalidError(entity, violation.path, violation.problem);
      return value as Record<string, unknown>;
    },

    commandToRequests(entity, command) {
      const c = compiled(entity);
      const operation = command.operation;
      if (typeof operation !== 'string' || !c.operations.includes(operation)) {
        throw new CommandInvalidError(entity, 'operation', `must be one of ${c.operations.join(', ')}, got ${JSON.stringify(operation)}`);
      }
      // Avro value → Ashby JSON: Dates become ISO strings, null fields disappear.
      const json = c.conv.fromAvro(command) as Record<string, unknown>;
      const body: Record<string, unknown> = {};
      for (const f of c.fields) {
        const present = json[f.name] !== undefined;
        if (present && !f.operations.has(operation)) {
          const renamed = RENAMED[`${entity}.${operation}.${f.name}`];
          const hint = renamed ? `; ${entity}.${operation} calls it ${renamed}` : `; it is taken by ${[...f.operations].join(', ') || 'no operation'}`;
          throw new CommandInvalidError(entity, f.name, `is not taken by operation ${operation}${hint}`, { operation });
        }
        if (!present && f.requiredFor.has(operation) && !NULL_MEANS_UNSET.has(`${entity}.${operation}.${f.name}`)) {
          throw new CommandInvalidError(entity, f.name, `is required for operation ${operation}`, { operation });
        }
        if (present && f.name !== 'customFields') body[f.name] = json[f.name];
      }
      const idempotencyKey = typeof command.idempotencyKey === 'string' ? command.idempotencyKey : undefined;
      const targetField = entity === 'offer' && (operation === 'startApproval' || operation === 'approve') ? 'offerVersionId' : ID_FIELD[entity];
      const targetId = typeof body[targetField] === 'string' ? (body[targetField] as string) : undefined;
      const customFields = json.customFields as Array<{ fieldId: string; fieldValue?: unknown }> | undefined;
      return plan({ entity, operation, idempotencyKey, targetId, body, customFields });
    },
  };
}

/** Required parameters where null is meaningful: application.changeSource with no source unsets it. */
const NULL_MEANS_UNSET: ReadonlySet<string> = new Set(['application.changeSource.sourceId']);

interface PlanInput {
  entity: CommandEntity;
  operation: string;
  idempotencyKey: string | undefined;
  targetId: string | undefined;
  body: Record<string, unknown>;
  customFields: Array<{ fieldId: string; fieldValue?: unknown }> | undefined;
}

function request(id: string, endpoint: string, body: Record<string, unknown>, description: string, fromResults?: Record<string, ResultRef>): AshbyRequest {
  return { id, endpoint, body, ...(fromResults ? { fromResults } : {}), description };
}

/** customField.setValues after the main call; objectId is literal when known, else read from a result. */
function customFieldsRequest(input: PlanInput, objectId: string | ResultRef): AshbyRequest[] {
  const objectType = CUSTOM_FIELD_OBJECT_TYPE[input.entity];
  if (!input.customFields?.length || !objectType) return [];
  const values = input.customFields.map((v) => ({ fieldId: v.fieldId, fieldValue: v.fieldValue ?? null }));
  const description = `set ${values.length} custom field value(s) on the ${input.entity}`;
  return typeof objectId === 'string'
    ? [request('customFields', 'customField.setValues', { objectId, objectType, values }, description)]
    : [request('customFields', 'customField.setValues', { objectType, values }, description, { objectId })];
}

function sequence(input: PlanInput, steps: AshbyRequest[]): CommandPlan {
  const { entity, operation, idempotencyKey, targetId } = input;
  return { kind: 'sequence', entity, operation, idempotencyKey, targetId, steps };
}

function plan(input: PlanInput): CommandPlan {
  const { entity, operation, body } = input;
  const key = `${entity}.${operation}`;
  switch (key) {
    case 'candidate.create':
    case 'job.create':
    case 'application.create': {
      const main = request('create', `${entity}.create`, body, `create the ${entity}`);
      return sequence(input, [main, ...customFieldsRequest(input, { step: 'create', path: 'id' })]);
    }
    case 'candidate.update':
    case 'job.update':
    case 'application.update': {
      const main = request('update', `${entity}.update`, body, `update ${entity} ${input.targetId}`);
      return sequence(input, [main, ...customFieldsRequest(input, input.targetId!)]);
    }
    case 'candidate.upsert':
      return candidateUpsert(input);
    case 'candidate.addTag':
      return sequence(input, [request('addTag', 'candidate.addTag', body, `tag candidate ${input.targetId}`)]);
    case 'job.setStatus':
      return sequence(input, [request('setStatus', 'job.setStatus', body, `set job ${input.targetId} to ${String(body.status)}`)]);
    case 'application.changeStage':
      return sequence(input, [request('changeStage', 'application.changeStage', body, `move application ${input.targetId} to stage ${String(body.interviewStageId)}`)]);
    case 'application.changeSource':
      return sequence(input, [
        request('changeSource', 'application.changeSource', { ...body, sourceId: body.sourceId ?? null }, `set the source of application ${input.targetId}`),
      ]);
    case 'offer.create': {
      const { applicationId, ...rest } = body;
      return sequence(input, [
        request('offerProcess', 'offerProcess.start', { applicationId }, `start the offer process of application ${String(applicationId)}`),
        request('offerStart', 'offer.start', {}, 'start a new offer version', { offerProcessId: { step: 'offerProcess', path: 'id' } }),
        request('create', 'offer.create', rest, 'create the offer from the form', {
          offerProcessId: { step: 'offerProcess', path: 'id' },
          offerFormId: { step: 'offerStart', path: 'id' },
        }),
      ]);
    }
    case 'offer.update':
      return sequence(input, [request('update', 'offer.update', body, `update offer ${input.targetId} (new version)`)]);
    case 'offer.startApproval':
      return sequence(input, [request('startApproval', 'offer.startApprovalProcess', body, `start approval of offer version ${input.targetId}`)]);
    case 'offer.approve':
      if (body.approvalStepId !== undefined && body.userId === undefined) {
        throw new CommandInvalidError(entity, 'userId', 'is required when approvalStepId is set (Ashby approves a step on behalf of one of its approvers)', { operation });
      }
      return sequence(input, [request('approve', 'offer.approve', body, `approve offer version ${input.targetId}`)]);
    case 'offer.setStatus':
      return sequence(input, [request('setStatus', 'offer.setStatus', body, `set offer ${input.targetId} to ${String(body.acceptanceStatus)}`)]);
    default:
      throw new CommandInvalidError(entity, 'operation', `operation ${operation} has no plan (this is a bug in ashby-kafka)`);
  }
}

/**
 * Upsert matches on email. candidate.update spells two create parameters differently and takes
 * a single alternate email per call, so the found-branch renames them and adds one call per
 * further address.
 */
function candidateUpsert(input: PlanInput): CommandPlan {
  const { body } = input;
  const { website, alternateEmailAddresses, ...common } = body as Record<string, unknown> & { alternateEmailAddresses?: string[] };
  const match: ResultRef = { step: 'lookup', path: '0.id' };
  const [firstAlternate, ...moreAlternates] = alternateEmailAddresses ?? [];
  const update: Record<string, unknown> = { ...common };
  if (website !== undefined) update.websiteUrl = website;
  if (firstAlternate !== undefined) update.alternateEmail = firstAlternate;
  const whenFound = [
    request('update', 'candidate.update', update, `update the candidate with email ${String(body.email)}`, { candidateId: match }),
    ...moreAlternates.map((alternateEmail, i) =>
      request(`alternateEmail${i + 2}`, 'candidate.update', { alternateEmail }, 'add another alternate email', { candidateId: match }),
    ),
    ...customFieldsRequest(input, match),
  ];
  const whenMissing = [request('create', 'candidate.create', body, 'create the candidate'), ...customFieldsRequest(input, { step: 'create', path: 'id' })];
  return {
    kind: 'upsert',
    entity: input.entity,
    operation: input.operation,
    idempotencyKey: input.idempotencyKey,
    targetId: undefined,
    lookup: request('lookup', 'candidate.search', { email: body.email }, `find the candidate with email ${String(body.email)}`),
    whenFound,
    whenMissing,
  };
}

let defaultMapper: CommandMapper | undefined;

function mapper(): CommandMapper {
  defaultMapper ??= createCommandMapper(loadContract());
  return defaultMapper;
}

/** The Ashby calls a command (its Avro value) asks for, checked against the operation's fields. */
export function commandToRequests(entity: CommandEntity, command: Record<string, unknown>): CommandPlan {
  return mapper().commandToRequests(entity, command);
}

/** Validates a JSON command against the entity's schema (unknown fields rejected) and returns its Avro value. */
export function parseJsonCommand(entity: CommandEntity, input: string | Record<string, unknown>): Record<string, unknown> {
  return mapper().parseJsonCommand(entity, input);
}
