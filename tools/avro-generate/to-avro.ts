import type { Property, Shape } from './openapi.js';
import {
  ATTR_JSON_NAME,
  ATTR_UNSET,
  CATCH_ALL_FIELD,
  avroFieldName,
  pascalCase,
  singular,
} from '../../src/avro/naming.js';
import {
  DATE_FIELDS,
  FIELD_DOCS,
  NULL_WHEN_UNSET,
  RECORD_NAMES,
  TIMESTAMP_FIELDS,
  VARIANT_FIELD_NAMES,
  VARIANT_RECORD_NAMES,
} from './overrides.js';

/**
 * OpenAPI shapes → Avro schema JSON. The rules (docs/avro.md has the why):
 * - objects become records, each ending with the JSON catch-all `additionalProperties`;
 * - an optional field is `["null", T]` with default null; `ashby.unset: "null"` marks fields
 *   Ashby sends as null (rather than omitting) when unset;
 * - enums are strings whose doc lists the known values;
 * - `date-time` → long/timestamp-millis, date-only → int/date, free-form objects → string/json;
 * - a oneOf of several types becomes one nullable field per alternative (`valueBoolean`,
 *   `valueString`, …) sharing `ashby.name`, because most Avro tools (Flink, ksqlDB, BigQuery)
 *   only support `["null", T]` unions;
 * - identical nested records are defined once per file and referenced by full name.
 */
export type AvroJson = Record<string, unknown> | string | unknown[];
type Field = Record<string, unknown>;

export const CATCH_ALL_DOC =
  'Catch-all, JSON object or null. Holds the fields Ashby sent that this schema version does not know, ' +
  'the original value of any field that did not fit its typed field, and "$absent": fields Ashby omitted ' +
  'although it normally sends null. ashby-kafka restores all of it when mapping back to Ashby JSON (docs/avro.md).';

const NESTED_CATCH_ALL_DOC = "Catch-all of this object, same rules as the record's top-level additionalProperties.";

const JSON_TYPE = { type: 'string', logicalType: 'json' } as const;

export interface GeneratorOptions {
  /** Stream records (Ashby output) are lossless: catch-all, null conventions, expanded oneOfs. */
  lossless: boolean;
}

export class AvroGenerator {
  private readonly bySignature = new Map<string, string>();
  private readonly names = new Set<string>();

  /** `namespace` holds the nested types of one schema file (e.g. io.ashbykafka.v1.candidates). */
  constructor(
    private readonly namespace: string,
    private readonly options: GeneratorOptions = { lossless: true },
  ) {}

  private topName = '';

  record(name: string, namespace: string, doc: string, properties: readonly Property[]): Record<string, unknown> {
    this.topName = name;
    return { type: 'record', name, namespace, doc, fields: this.fields(properties, name) };
  }

  fields(properties: readonly Property[], owner: string): Field[] {
    const out: Field[] = [];
    for (const p of properties) {
      if (p.name === CATCH_ALL_FIELD)
        throw new Error(`${owner}: Ashby field "${CATCH_ALL_FIELD}" collides with the catch-all`);
      out.push(...this.field(p, owner));
    }
    if (this.options.lossless) {
      const doc = owner === this.topName ? CATCH_ALL_DOC : NESTED_CATCH_ALL_DOC;
      out.push({ name: CATCH_ALL_FIELD, type: ['null', JSON_TYPE], default: null, doc });
    }
    const seen = new Set<string>();
    for (const f of out) {
      if (seen.has(f.name as string)) throw new Error(`${owner}: two fields named ${String(f.name)}`);
      seen.add(f.name as string);
    }
    return out;
  }

  field(p: Property, owner: string): Field[] {
    const { name, shape } = p;
    const unsetNull = this.options.lossless && !p.absentWhenUnset && (shape.nullable || NULL_WHEN_UNSET.has(name));
    if (shape.kind === 'variants' && this.options.lossless) return this.variantFields(p, owner, unsetNull);
    const type = this.type(shape, name, owner, false);
    const doc = docFor(name, shape);
    const field: Field = { name: avroFieldName(name) };
    if (p.required && !shape.nullable) {
      field.type = type;
    } else {
      field.type = ['null', type];
      field.default = null;
    }
    field.doc = doc;
    if (field.name !== name) field[ATTR_JSON_NAME] = name;
    if (unsetNull && field.default === null) field[ATTR_UNSET] = 'null';
    return [field];
  }

  private variantFields(p: Property, owner: string, unsetNull: boolean): Field[] {
    const { name, shape } = p;
    if (shape.kind !== 'variants') throw new Error('unreachable');
    const byKind = new Map<string, AvroJson>();
    for (const alt of shape.alternatives) {
      const [kind, type] = this.variantKind(alt, name, owner);
      if (!byKind.has(kind)) byKind.set(kind, type);
    }
    const names = VARIANT_FIELD_NAMES[name] ?? {};
    const fields: Field[] = [];
    const kinds = [...byKind.keys()];
    for (const [kind, type] of byKind) {
      const fieldName = names[kind] ?? `${avroFieldName(name)}${pascalCase(kind)}`;
      const field: Field = {
        name: fieldName,
        type: ['null', type],
        default: null,
        doc: `${docFor(name, shape)} Set when Ashby's \`${name}\` is ${describeKind(kind)}; ${kinds.length - 1 === 1 ? 'the other field is' : 'the other value fields are'} then null.`,
        [ATTR_JSON_NAME]: name,
      };
      if (unsetNull) field[ATTR_UNSET] = 'null';
      fields.push(field);
    }
    return fields;
  }

  private variantKind(alt: Shape, name: string, owner: string): [string, AvroJson] {
    switch (alt.kind) {
      case 'boolean':
        return ['boolean', 'boolean'];
      case 'number':
      case 'integer':
        return ['number', 'double'];
      case 'string':
        // Formats cannot be told apart in JSON (a Date custom field is an ISO string too): one string field.
        return ['string', 'string'];
      case 'array':
        if (alt.items.kind === 'string') return ['stringList', { type: 'array', items: 'string' }];
        return ['json', JSON_TYPE];
      case 'object': {
        const key = alt.properties
          .map((q) => q.name)
          .sort()
          .join(',');
        const recordName = VARIANT_RECORD_NAMES[key] ?? `${pascalCase(name)}Object`;
        return [recordName, this.named(alt, recordName, owner)];
      }
      default:
        return ['json', JSON_TYPE];
    }
  }

  type(shape: Shape, name: string, owner: string, arrayItem: boolean): AvroJson {
    switch (shape.kind) {
      case 'string':
        if (DATE_FIELDS.has(name)) return { type: 'int', logicalType: 'date' };
        if (shape.format === 'date-time' || TIMESTAMP_FIELDS.has(name))
          return { type: 'long', logicalType: 'timestamp-millis' };
        return 'string';
      case 'number':
        return 'double';
      case 'integer':
        return 'long';
      case 'boolean':
        return 'boolean';
      case 'json':
        return JSON_TYPE;
      case 'variants':
        // Only fields expand into one field per alternative; elsewhere keep the value as JSON.
        return JSON_TYPE;
      case 'array': {
        const items = this.type(shape.items, name, owner, true);
        return { type: 'array', items: shape.items.nullable ? ['null', items] : items };
      }
      case 'object': {
        const recordName = RECORD_NAMES[name] ?? pascalCase(arrayItem ? singular(name) : name);
        return this.named(shape, recordName, owner);
      }
    }
  }

  /** Defines a nested record, or refers to an identical one already defined in this file. */
  private named(shape: Extract<Shape, { kind: 'object' }>, preferred: string, owner: string): AvroJson {
    const signature = JSON.stringify(stripDocs(shape));
    const existing = this.bySignature.get(signature);
    if (existing) return `${this.namespace}.${existing}`;
    let name = preferred;
    if (this.names.has(name)) name = `${owner}${preferred}`;
    for (let i = 2; this.names.has(name); i++) name = `${preferred}${i}`;
    this.names.add(name);
    this.bySignature.set(signature, name);
    const doc = shape.description ?? `${preferred.replace(/([a-z])([A-Z])/g, '$1 $2')} (nested in ${owner}).`;
    return { type: 'record', name, namespace: this.namespace, doc, fields: this.fields(shape.properties, name) };
  }
}

function stripDocs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDocs);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== 'description') out[k] = stripDocs(v);
    return out;
  }
  return value;
}

function describeKind(kind: string): string {
  switch (kind) {
    case 'boolean':
      return 'a boolean';
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
    case 'stringList':
      return 'an array of strings';
    case 'json':
      return 'another JSON value';
    default:
      return `a ${kind.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()} object`;
  }
}

export function docFor(name: string, shape: Shape): string {
  let doc = shape.description?.replace(/\s+/g, ' ').trim() || FIELD_DOCS[name] || `Ashby's \`${name}\`.`;
  if (!/[.!?)]$/.test(doc)) doc += '.';
  if (shape.kind === 'string' && shape.enum?.length)
    doc += ` Known values: ${shape.enum.join(', ')} (a string, so values Ashby adds later still decode).`;
  if (shape.kind === 'string' && DATE_FIELDS.has(name)) doc += ' A calendar date (YYYY-MM-DD in Ashby).';
  if (shape.kind === 'json') doc += ' Free-form: kept as JSON text.';
  return doc;
}
