import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND_ENTITIES, type CommandEntity, type Contract } from '../../avro/contract.js';
import { ATTR_REQUIRED_FOR } from '../../avro/naming.js';
import { PACKAGE_ROOT } from '../../package-info.js';
import { CATALOG, type OperationCatalog } from './catalog.js';

/** docs/sink.md, whose operations table is rendered from the operation catalog between these markers. */
export const SINK_DOCS_PATH = join(PACKAGE_ROOT, 'docs', 'sink.md');
const START = '<!-- operations-table:start (generated from src/sink/operations/catalog.ts by `npm run docs`) -->';
const END = '<!-- operations-table:end -->';

/** The required fields of an operation, as the command schema says (`ashby.requiredFor`). */
function requiredFields(
  contract: Contract | undefined,
  catalog: OperationCatalog,
  entity: CommandEntity,
  operation: string,
): string[] {
  if (!contract) return [];
  const schema = contract.commandSchema(entity) as { fields: Array<Record<string, unknown>> };
  const target = catalog.targetField(entity, operation);
  const names = schema.fields
    .filter((f) => ((f[ATTR_REQUIRED_FOR] as string[] | undefined) ?? []).includes(operation))
    .map((f) => f.name as string)
    .filter((name) => !catalog.nullMeansUnset(entity, operation, name));
  // The target first: it is what a reader looks for.
  return [...names.filter((n) => n === target), ...names.filter((n) => n !== target)];
}

/** The operations table: entity, operation, the Ashby calls, the required fields. */
export function renderOperationsTable(contract: Contract | undefined, catalog: OperationCatalog = CATALOG): string {
  const lines = ['| Entity | `operation` | Ashby calls | Required fields |', '|---|---|---|---|'];
  for (const entity of COMMAND_ENTITIES) {
    for (const op of catalog.operationsOf(entity)) {
      const required = requiredFields(contract, catalog, entity, op.operation)
        .map((f) => `\`${f}\``)
        .join(', ');
      lines.push(`| ${entity} | \`${op.operation}\` | ${op.docs} | ${required} |`);
    }
  }
  return lines.join('\n');
}

/** docs/sink.md with its operations table replaced by the rendered one. */
export function renderSinkDocs(
  current: string,
  contract: Contract | undefined,
  catalog: OperationCatalog = CATALOG,
): string {
  const a = current.indexOf(START);
  const b = current.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${SINK_DOCS_PATH} has lost its operations table markers`);
  return `${current.slice(0, a + START.length)}\n${renderOperationsTable(contract, catalog)}\n${current.slice(b)}`;
}

export function readSinkDocs(): string {
  return readFileSync(SINK_DOCS_PATH, 'utf8');
}
