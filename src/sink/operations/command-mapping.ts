import type avsc from 'avsc';
import { COMMAND_ENTITIES, loadContract, type CommandEntity, type Contract } from '../../avro/contract.js';
import { CommandInvalidError } from '../../avro/errors.js';
import { ATTR_OPERATIONS, ATTR_REQUIRED_FOR } from '../../avro/naming.js';
import { findViolation, formatPath } from '../../avro/schema.js';
import { CATALOG, type OperationCatalog } from './catalog.js';
import type { CommandPlan } from './command-plan.js';
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
  return {
    type: contract.commandType(entity),
    conv: compileSchema(schema, `schemas/commands/${entity}.avsc`),
    operations,
    fields,
  };
}

export function createCommandMapper(contract: Contract, catalog: OperationCatalog = CATALOG): CommandMapper {
  const cache = new Map<CommandEntity, Compiled>();
  const compiled = (entity: CommandEntity): Compiled => {
    if (!COMMAND_ENTITIES.includes(entity))
      throw new CommandInvalidError(String(entity), '', `unknown entity; use one of ${COMMAND_ENTITIES.join(', ')}`);
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
        throw new CommandInvalidError(
          entity,
          'operation',
          `must be one of ${c.operations.join(', ')}, got ${JSON.stringify(operation)}`,
        );
      }
      // Avro value → Ashby JSON: Dates become ISO strings, null fields disappear.
      const json = c.conv.fromAvro(command) as Record<string, unknown>;
      const body: Record<string, unknown> = {};
      for (const f of c.fields) {
        const present = json[f.name] !== undefined;
        if (present && !f.operations.has(operation)) {
          const renamed = RENAMED[`${entity}.${operation}.${f.name}`];
          const hint = renamed
            ? `; ${entity}.${operation} calls it ${renamed}`
            : `; it is taken by ${[...f.operations].join(', ') || 'no operation'}`;
          throw new CommandInvalidError(entity, f.name, `is not taken by operation ${operation}${hint}`, { operation });
        }
        if (!present && f.requiredFor.has(operation) && !catalog.nullMeansUnset(entity, operation, f.name)) {
          throw new CommandInvalidError(entity, f.name, `is required for operation ${operation}`, { operation });
        }
        if (present && f.name !== 'customFields') body[f.name] = json[f.name];
      }
      const idempotencyKey = typeof command.idempotencyKey === 'string' ? command.idempotencyKey : undefined;
      const targetField = catalog.targetField(entity, operation);
      const targetId = typeof body[targetField] === 'string' ? (body[targetField] as string) : undefined;
      const customFields = json.customFields as Array<{ fieldId: string; fieldValue?: unknown }> | undefined;
      return catalog.plan({ entity, operation, idempotencyKey, targetId, body, customFields });
    },
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
export function parseJsonCommand(
  entity: CommandEntity,
  input: string | Record<string, unknown>,
): Record<string, unknown> {
  return mapper().parseJsonCommand(entity, input);
}
