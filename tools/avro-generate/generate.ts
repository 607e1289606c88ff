import { OpenApiDoc, type Property, type Shape } from './openapi.js';
import { ATTR_OPERATIONS, ATTR_REQUIRED_FOR, COMMAND_NAMESPACE, NAMESPACE } from '../../src/avro/naming.js';
import {
  ABSENT_WHEN_UNSET_AT,
  EXTRA_FIELDS,
  JSON_FIELDS_AT,
  NULL_WHEN_UNSET_AT,
  OPTIONAL_FIELDS,
} from './overrides.js';
import { STREAM_SPECS, type StreamSpec } from './stream-specs.js';
import {
  COMMAND_JSON_PARAMS,
  COMMAND_SPECS,
  EXCLUDED_PARAMS,
  MANUAL_REQUEST_SHAPES,
  type EntitySpec,
} from './command-specs.js';
import { AvroGenerator, docFor, type AvroJson } from './to-avro.js';

/**
 * The whole contract as files: `schemas/` relative path → file text. Pure: the same spec gives
 * the same bytes, which test/tools/avro-generate.test.ts checks against the checked-in files.
 */
export function generateSchemaFiles(
  specPath: string,
  commands: readonly EntitySpec[] = COMMAND_SPECS,
): Map<string, string> {
  const doc = new OpenApiDoc(specPath);
  const files = new Map<string, string>();
  files.set('key.avsc', render(KEY_SCHEMA));
  for (const spec of STREAM_SPECS) files.set(`streams/${spec.stream}.avsc`, render(streamSchema(doc, spec)));
  for (const spec of commands) files.set(`commands/${spec.entity}.avsc`, render(commandSchema(doc, spec)));
  return files;
}

export const KEY_SCHEMA = {
  type: 'string',
  doc: 'Kafka message key: the Ashby id of the record (or, on command topics, of the record the command targets). Plain UTF-8 strings are the default key format; this schema is for pipelines that choose Avro keys.',
};

const LINE_WIDTH = 110;

/** JSON with two-space indents, but anything that fits on one line stays on one line. */
export function render(schema: unknown): string {
  return `${renderValue(schema, '')}\n`;
}

function renderValue(value: unknown, indent: string): string {
  const flat = JSON.stringify(value);
  if (value === null || typeof value !== 'object' || indent.length + flat.length <= LINE_WIDTH) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) return `[\n${value.map((v) => inner + renderValue(v, inner)).join(',\n')}\n${indent}]`;
  const entries = Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${renderValue(v, inner)}`);
  return `{\n${entries.join(',\n')}\n${indent}}`;
}

export function streamSchema(doc: OpenApiDoc, spec: StreamSpec): Record<string, unknown> {
  const shape = doc.resultItemShape(spec.endpoint, spec.responseVariant);
  if (shape.kind !== 'object') throw new Error(`${spec.endpoint}: results items are ${shape.kind}, not objects`);
  let base = shape.properties;
  if (spec.infoEndpoint) {
    const info = doc.resultItemShape(spec.infoEndpoint);
    if (info.kind !== 'object') throw new Error(`${spec.infoEndpoint}: results is ${info.kind}, not an object`);
    const known = new Set(base.map((p) => p.name));
    base = [...base, ...info.properties.filter((p) => !known.has(p.name)).map((p) => ({ ...p, required: false }))];
  }
  let properties = applyExtras(spec.stream, base, '');
  if (spec.parentField && !properties.some((p) => p.name === spec.parentField!.name)) {
    properties = [
      ...properties,
      {
        name: spec.parentField.name,
        required: false,
        shape: { kind: 'string', nullable: false, description: spec.parentField.doc },
      },
    ];
  }
  const generator = new AvroGenerator(`${NAMESPACE}.${spec.stream}`);
  return generator.record(spec.record, NAMESPACE, spec.doc, properties);
}

/** Adds EXTRA_FIELDS and relaxes OPTIONAL_FIELDS, recursively, for one stream. */
function applyExtras(stream: string, properties: readonly Property[], path: string): Property[] {
  const optional = new Set(OPTIONAL_FIELDS[stream] ?? []);
  const unsetNull = new Set(NULL_WHEN_UNSET_AT[stream] ?? []);
  const unsetAbsent = new Set(ABSENT_WHEN_UNSET_AT[stream] ?? []);
  const json = new Set(JSON_FIELDS_AT[stream] ?? []);
  const out = properties.map((p) => {
    const here = path ? `${path}.${p.name}` : p.name;
    let shape = json.has(here)
      ? ({ kind: 'json', nullable: p.shape.nullable, description: p.shape.description } as const)
      : applyExtrasToShape(stream, p.shape, here);
    if (unsetNull.has(here)) shape = { ...shape, nullable: true };
    if (unsetAbsent.has(here))
      return { ...p, required: false, shape: { ...shape, nullable: false }, absentWhenUnset: true };
    return { ...p, required: p.required && !optional.has(here), shape };
  });
  for (const extra of EXTRA_FIELDS[stream]?.[path] ?? []) {
    if (out.some((p) => p.name === extra.name))
      throw new Error(`${stream}: extra field ${path}.${extra.name} is already in the spec; drop the override`);
    out.push(extra);
  }
  return out;
}

function applyExtrasToShape(stream: string, shape: Shape, path: string): Shape {
  if (shape.kind === 'object') return { ...shape, properties: applyExtras(stream, shape.properties, path) };
  if (shape.kind === 'array') return { ...shape, items: applyExtrasToShape(stream, shape.items, `${path}[]`) };
  return shape;
}

function withoutDocs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDocs);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== 'doc')
        .map(([k, v]) => [k, withoutDocs(v)]),
    );
  return value;
}

function jsonAt(shape: Shape, path: string, paths: Readonly<Record<string, string>>): Shape {
  const description = paths[path];
  if (description !== undefined) return { kind: 'json', nullable: shape.nullable, description };
  if (shape.kind === 'object')
    return {
      ...shape,
      properties: shape.properties.map((p) => ({
        ...p,
        shape: jsonAt(p.shape, `${path ? `${path}.` : ''}${p.name}`, paths),
      })),
    };
  if (shape.kind === 'array') return { ...shape, items: jsonAt(shape.items, `${path}[]`, paths) };
  return shape;
}

interface Param {
  name: string;
  shape: Shape;
  type: string;
  operations: string[];
  requiredFor: string[];
}

export function commandSchema(doc: OpenApiDoc, spec: EntitySpec): Record<string, unknown> {
  const params = new Map<string, Param>();
  for (const op of spec.operations) {
    for (const endpoint of op.endpoints) {
      const manual = MANUAL_REQUEST_SHAPES[endpoint];
      const body =
        typeof manual === 'function'
          ? manual(doc)
          : (manual ?? jsonAt(doc.requestShape(endpoint), '', COMMAND_JSON_PARAMS));
      if (body.kind !== 'object') throw new Error(`${endpoint}: request body is not an object`);
      for (const p of body.properties) {
        if (EXCLUDED_PARAMS.has(p.name) || op.runtimeParams?.includes(p.name)) continue;
        const type = JSON.stringify(
          withoutDocs(
            new AvroGenerator(COMMAND_NAMESPACE, { lossless: false }).type(p.shape, p.name, spec.record, false),
          ),
        );
        let param = params.get(p.name);
        if (!param) {
          param = { name: p.name, shape: p.shape, type, operations: [], requiredFor: [] };
          params.set(p.name, param);
        } else if (param.type !== type) {
          throw new Error(
            `${spec.entity}: parameter ${p.name} has different types in different endpoints (${param.type} vs ${type})`,
          );
        }
        if (!param.operations.includes(op.operation)) param.operations.push(op.operation);
        if (p.required && !param.requiredFor.includes(op.operation)) param.requiredFor.push(op.operation);
      }
    }
    for (const name of op.alsoRequires ?? []) {
      const param = params.get(name);
      if (!param) throw new Error(`${spec.entity}.${op.operation} requires ${name}, which none of its endpoints takes`);
      if (!param.requiredFor.includes(op.operation)) param.requiredFor.push(op.operation);
    }
  }

  const generator = new AvroGenerator(`${COMMAND_NAMESPACE}.${spec.entity}`, { lossless: false });
  const operations = spec.operations.map((o) => o.operation);
  const fields: Record<string, unknown>[] = [
    {
      name: 'operation',
      type: {
        type: 'enum',
        name: `${spec.record.replace(/Command$/, '')}Operation`,
        namespace: `${COMMAND_NAMESPACE}.${spec.entity}`,
        symbols: operations,
        doc: 'What to do.',
      },
      doc: `What to do: ${spec.operations.map((o) => `${o.operation} (${o.doc})`).join('; ')}.`,
    },
    {
      name: 'idempotencyKey',
      type: ['null', 'string'],
      default: null,
      doc: 'Caller-chosen key that makes the command safe to deliver twice: the destination applies a command once per (entity, idempotencyKey). When null, the destination derives a key from the topic, partition and offset.',
    },
  ];
  for (const param of params.values()) {
    const [field] = generator.field({ name: param.name, shape: param.shape, required: false }, spec.record);
    if (!field) continue;
    const required = param.requiredFor.length ? ` Required for: ${param.requiredFor.join(', ')}.` : '';
    field.doc = `${docFor(param.name, param.shape)} Operations: ${param.operations.join(', ')}.${required}`;
    field[ATTR_OPERATIONS] = param.operations;
    field[ATTR_REQUIRED_FOR] = param.requiredFor;
    fields.push(field);
  }
  if (spec.customFieldsObjectType) {
    fields.push({
      name: 'customFields',
      type: ['null', { type: 'array', items: customFieldInput(spec.entity) }],
      default: null,
      doc:
        `Custom field values to set with customField.setValues (objectType ${spec.customFieldsObjectType}) after the main call. ` +
        `Operations: ${(spec.customFieldOperations ?? []).join(', ')}.`,
      [ATTR_OPERATIONS]: spec.customFieldOperations ?? [],
      [ATTR_REQUIRED_FOR]: [],
    });
  }
  return { type: 'record', name: spec.record, namespace: COMMAND_NAMESPACE, doc: spec.doc, fields };
}

function customFieldInput(entity: string): AvroJson {
  return {
    type: 'record',
    name: 'CustomFieldInput',
    namespace: `${COMMAND_NAMESPACE}.${entity}`,
    doc: 'One entry of customField.setValues `values`.',
    fields: [
      { name: 'fieldId', type: 'string', doc: 'The id of the custom field definition (custom_fields stream).' },
      {
        name: 'fieldValue',
        type: ['null', { type: 'string', logicalType: 'json' }],
        default: null,
        doc:
          'The value as JSON, in the shape Ashby expects for the field type: true, 42, "text", "2025-01-31T00:00:00.000Z", ["a","b"] (MultiValueSelect), ' +
          '{"value":100000,"currencyCode":"USD"}, {"type":"number-range","minValue":1,"maxValue":5}, ' +
          '{"type":"compensation-range","minValue":1,"maxValue":2,"currencyCode":"USD","interval":"1 YEAR"}. null clears the field.',
      },
    ],
  };
}
