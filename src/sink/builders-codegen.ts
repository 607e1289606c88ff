import { join } from 'node:path';
import { COMMAND_ENTITIES, type CommandEntity, type Contract } from '../avro/contract.js';
import { ATTR_OPERATIONS, ATTR_REQUIRED_FOR } from '../avro/naming.js';
import { PACKAGE_ROOT } from '../package-info.js';
import { CATALOG, type OperationCatalog } from './operations/catalog.js';

/**
 * Writes src/sink/builders.generated.ts from the command schemas (schemas/commands/*.avsc): per
 * entity and operation, a type of the command as JSON (the fields the operation takes, the ones
 * it requires not optional) and a builder that fills in `operation`. `npm run docs` writes it
 * (formatted with Prettier); test/sink/builders.test.ts fails when the committed file differs.
 */
export const BUILDERS_PATH = join(PACKAGE_ROOT, 'src', 'sink', 'builders.generated.ts');

type Avro = string | Avro[] | { [k: string]: unknown };

interface Field {
  name: string;
  type: Avro;
  doc?: string;
  [ATTR_OPERATIONS]?: string[];
  [ATTR_REQUIRED_FOR]?: string[];
}

const pascal = (s: string): string =>
  s
    .split(/[_\s]+/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

const comment = (doc: string | undefined, indent: string): string =>
  doc ? `${indent}/** ${doc.replace(/\*\//g, '*\\/').replace(/\s+/g, ' ').trim()} */\n` : '';

/** Named types of one schema (records and enums), by full and short name, for references. */
function namedTypes(schema: Avro, namespace: string, out = new Map<string, Avro>()): Map<string, Avro> {
  if (Array.isArray(schema)) for (const s of schema) namedTypes(s, namespace, out);
  else if (typeof schema === 'object') {
    const ns = typeof schema.namespace === 'string' ? schema.namespace : namespace;
    if ((schema.type === 'record' || schema.type === 'enum') && typeof schema.name === 'string') {
      out.set(schema.name.includes('.') ? schema.name : `${ns}.${schema.name}`, schema);
    }
    if (schema.type === 'record') for (const f of schema.fields as Field[]) namedTypes(f.type, ns, out);
    if (schema.type === 'array') namedTypes(schema.items as Avro, ns, out);
    if (schema.type === 'map') namedTypes(schema.values as Avro, ns, out);
    if (typeof schema.type === 'object') namedTypes(schema.type as Avro, ns, out);
  }
  return out;
}

/** The TypeScript type of an Avro type, as its JSON form (what parseJsonCommand takes). */
function tsType(t: Avro, named: Map<string, Avro>, indent: string): string {
  if (Array.isArray(t)) {
    const members = t.filter((m) => m !== 'null').map((m) => tsType(m, named, indent));
    if (members.includes('unknown')) return 'unknown';
    return [...members, ...(t.includes('null') ? ['null'] : [])].join(' | ');
  }
  if (typeof t === 'string') {
    switch (t) {
      case 'string':
        return 'string';
      case 'boolean':
        return 'boolean';
      case 'int':
      case 'long':
      case 'float':
      case 'double':
        return 'number';
      case 'null':
        return 'null';
      default: {
        const ref = named.get(t) ?? [...named.entries()].find(([k]) => k.endsWith(`.${t}`))?.[1];
        if (!ref) throw new Error(`builders: unknown Avro type ${t}`);
        return tsType(ref, named, indent);
      }
    }
  }
  if (t.logicalType === 'json') return 'unknown';
  if (t.logicalType === 'timestamp-millis') return 'string';
  switch (t.type) {
    case 'enum':
      return (t.symbols as string[]).map((s) => `'${s}'`).join(' | ');
    case 'array': {
      const items = tsType(t.items as Avro, named, indent);
      return /[|&]/.test(items) && !items.startsWith('{') ? `Array<${items}>` : `${items}[]`;
    }
    case 'map':
      return `Record<string, ${tsType(t.values as Avro, named, indent)}>`;
    case 'record': {
      const inner = `${indent}  `;
      const fields = (t.fields as Field[]).map((f) => {
        const optional = isOptional(f.type);
        return `${comment(f.doc, inner)}${inner}${f.name}${optional ? '?' : ''}: ${tsType(f.type, named, inner)};\n`;
      });
      return `{\n${fields.join('')}${indent}}`;
    }
    default:
      return tsType(t.type as Avro, named, indent);
  }
}

const isOptional = (t: Avro): boolean => Array.isArray(t) && t.includes('null');

/** Without the null of an optional union: a builder's field is left out rather than set to null. */
const withoutNull = (t: Avro): Avro => (Array.isArray(t) ? t.filter((m) => m !== 'null') : t);

export function renderBuilders(contract: Contract, catalog: OperationCatalog = CATALOG): string {
  const out: string[] = [
    '// Generated from schemas/commands/*.avsc by `npm run docs` (src/sink/builders-codegen.ts). Do not edit.\n',
    '/**\n',
    ' * Typed command builders for TypeScript producers: per entity and operation, the command as JSON\n',
    ' * (what `value_format: json` topics carry and `parseJsonCommand` turns into the Avro value).\n',
    ' */\n\n',
  ];
  const unions: Array<[CommandEntity, string]> = [];
  for (const entity of COMMAND_ENTITIES) {
    const schema = contract.commandSchema(entity) as unknown as {
      namespace: string;
      fields: Field[];
    };
    const named = namedTypes(schema as unknown as Avro, schema.namespace);
    const ops = catalog.operationsOf(entity).map((o) => o.operation);
    const idemKey = schema.fields.find((f) => f.name === 'idempotencyKey')!;
    const typeNames: string[] = [];
    for (const op of ops) {
      const name = `${pascal(entity)}${pascal(op)}Command`;
      typeNames.push(name);
      const fields = schema.fields.filter((f) => f[ATTR_OPERATIONS]?.includes(op));
      out.push(`/** ${entity} \`${op}\`: ${catalog.get(entity, op)!.docs.replace(/\*\//g, '')} */\n`);
      out.push(`export interface ${name} {\n  operation: '${op}';\n`);
      out.push(`${comment(idemKey.doc, '  ')}  idempotencyKey?: string;\n`);
      for (const f of fields) {
        const required = f[ATTR_REQUIRED_FOR]?.includes(op) && !catalog.nullMeansUnset(entity, op, f.name);
        const type = catalog.nullMeansUnset(entity, op, f.name) ? f.type : withoutNull(f.type);
        out.push(`${comment(f.doc, '  ')}  ${f.name}${required ? '' : '?'}: ${tsType(type, named, '  ')};\n`);
      }
      out.push('}\n\n');
    }
    const union = `${pascal(entity)}Command`;
    unions.push([entity, union]);
    out.push(`/** Any \`${entity}\` command. */\n`);
    out.push(`export type ${union} = ${typeNames.join(' | ')};\n\n`);
  }
  out.push('/** The commands of each entity. */\n');
  out.push(`export interface CommandsByEntity {\n${unions.map(([e, u]) => `  ${e}: ${u};\n`).join('')}}\n\n`);
  out.push(
    '/** Builds a command: fills in `operation`, keeps every field given. */\n',
    "function builder<C extends { operation: string }>(operation: C['operation']): (fields: Omit<C, 'operation'>) => C {\n",
    '  return (fields) => ({ operation, ...fields }) as C;\n',
    '}\n\n',
    '/**\n',
    ' * `commands.<entity>.<operation>({...fields})`: a command of that operation, typed from its schema.\n',
    ' * Send it as JSON, or turn it into the Avro value with `parseJsonCommand(entity, command)`.\n',
    ' */\n',
    'export const commands = {\n',
  );
  for (const entity of COMMAND_ENTITIES) {
    out.push(`  ${entity}: {\n`);
    for (const op of catalog.operationsOf(entity).map((o) => o.operation))
      out.push(`    ${op}: builder<${pascal(entity)}${pascal(op)}Command>('${op}'),\n`);
    out.push('  },\n');
  }
  out.push('} as const;\n');
  return out.join('');
}

/** The file as committed: the rendering, formatted with the project's Prettier settings. */
export async function formattedBuilders(contract: Contract): Promise<string> {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(BUILDERS_PATH)) ?? {};
  return prettier.format(renderBuilders(contract), { ...options, parser: 'typescript' });
}
