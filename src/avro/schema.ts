import avsc from 'avsc';
import { AvroContractError } from './errors.js';
import { LOGICAL_TYPES } from './logical-types.js';

/**
 * Parsing schemas the one way the project does: with our logical types, failing on a broken
 * logical type instead of silently falling back, and remembering for every parsed type the exact
 * schema JSON it came from. The registry stores that JSON (docs and `ashby.*` attributes
 * included), and single-object encoding fingerprints its canonical form.
 */
export type AvroSchema = Record<string, unknown> | string | unknown[];

interface SchemaInfo {
  json: AvroSchema;
  text: string;
  canonical?: string;
  fingerprint?: Buffer;
}

const infos = new WeakMap<avsc.Type, SchemaInfo>();

export function parseSchema(schema: AvroSchema, source = 'schema'): avsc.Type {
  let type: avsc.Type;
  try {
    type = avsc.Type.forSchema(schema as avsc.Schema, {
      logicalTypes: LOGICAL_TYPES as unknown as Record<
        string,
        new (schema: avsc.Schema, opts?: unknown) => avsc.types.LogicalType
      >,
      assertLogicalTypes: true,
    });
  } catch (err) {
    throw new AvroContractError(`${source} is not a valid Avro schema: ${(err as Error).message}`, { source }, err);
  }
  infos.set(type, { json: schema, text: JSON.stringify(schema) });
  return type;
}

function infoOf(type: avsc.Type): SchemaInfo {
  let info = infos.get(type);
  if (!info) {
    // A type built elsewhere (plain avsc.Type.forSchema): its exported schema is the best we have.
    const json = type.schema({ exportAttrs: true }) as AvroSchema;
    info = { json, text: JSON.stringify(json) };
    infos.set(type, info);
  }
  return info;
}

/** The schema JSON a type was parsed from (what we register and ship in schemas/). */
export function schemaJsonOf(type: avsc.Type): AvroSchema {
  return infoOf(type).json;
}

/** Compact JSON text of the schema, as sent to the registry. */
export function schemaTextOf(type: avsc.Type): string {
  return infoOf(type).text;
}

/** Avro's Parsing Canonical Form: full names, no docs/defaults/attributes, fixed key order. */
export function canonicalFormOf(type: avsc.Type): string {
  const info = infoOf(type);
  // avsc's attribute-free export is the canonical form (logical types export their underlying type).
  info.canonical ??= JSON.stringify(type.schema());
  return info.canonical;
}

/** CRC-64-AVRO ("Rabin") fingerprint of the canonical form, 8 bytes little-endian. */
export function fingerprintOf(type: avsc.Type): Buffer {
  const info = infoOf(type);
  info.fingerprint ??= crc64Avro(Buffer.from(canonicalFormOf(type), 'utf8'));
  return info.fingerprint;
}

// Avro specification, "Schema Fingerprints": the empty-string fingerprint and its table.
const CRC64_EMPTY = 0xc15d213aa4d7a795n;
const CRC64_TABLE: bigint[] = Array.from({ length: 256 }, (_, i) => {
  let fp = BigInt(i);
  for (let j = 0; j < 8; j++) fp = (fp >> 1n) ^ (CRC64_EMPTY & -(fp & 1n));
  return fp;
});

export function crc64Avro(bytes: Uint8Array): Buffer {
  let fp = CRC64_EMPTY;
  for (const b of bytes) fp = (fp >> 8n) ^ CRC64_TABLE[Number((fp ^ BigInt(b)) & 0xffn)]!;
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE(fp);
  return out;
}

/** Dotted field path for avsc's errorHook path (`['customFields','0','title']` → `customFields[0].title`). */
export function formatPath(parts: readonly string[]): string {
  let out = '';
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (value instanceof Date) return `Date(${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString()})`;
  const text =
    typeof value === 'string'
      ? JSON.stringify(value)
      : Array.isArray(value)
        ? 'an array'
        : typeof value === 'object'
          ? 'an object'
          : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function expected(type: avsc.Type): string {
  const name = (type as { typeName: string }).typeName;
  if (name.startsWith('union')) {
    return (type as unknown as { types: avsc.Type[] }).types.map((t) => expected(t)).join(' or ');
  }
  if (name === 'logical:timestamp-millis') return 'a Date (timestamp-millis)';
  if (name === 'logical:date') return "a 'YYYY-MM-DD' string (date)";
  if (name === 'logical:json') return 'a JSON value';
  if (name === 'record') return `a ${(type as { name?: string }).name ?? 'record'} object`;
  return name;
}

export interface SchemaViolation {
  path: string;
  problem: string;
}

/**
 * The first place a value breaks its type, with the path named. Slow (walks the whole value);
 * call it only after a fast encode failed. `strict` also reports fields the schema does not
 * declare (used for JSON commands, where a typo must not be dropped silently).
 */
export function findViolation(type: avsc.Type, value: unknown, strict = false): SchemaViolation | undefined {
  let found: SchemaViolation | undefined;
  type.isValid(value, {
    noUndeclaredFields: strict,
    errorHook(path: string[], any: unknown, t: avsc.Type) {
      if (found) return;
      if ((t as { typeName: string }).typeName === 'record' && any && typeof any === 'object' && strict) {
        const declared = new Set((t as avsc.types.RecordType).fields.map((f) => f.name));
        const extra = Object.keys(any).filter((k) => !declared.has(k));
        if (extra.length) {
          found = { path: formatPath(path), problem: `has fields the schema does not declare: ${extra.join(', ')}` };
          return;
        }
      }
      found = { path: formatPath(path), problem: `must be ${expected(t)}, got ${describe(any)}` };
    },
  });
  return found;
}
