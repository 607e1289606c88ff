import { AvroContractError } from '../errors.js';
import { CATCH_ALL_FIELD } from '../naming.js';
import {
  ArrayConverter,
  BOOLEAN,
  DATE,
  DOUBLE,
  EnumConverter,
  FLOAT,
  INT,
  JSON_VALUE,
  LONG,
  RecordConverter,
  STRING,
  TIMESTAMP,
  groupFromFields,
  type Converter,
  type FieldPlan,
} from './converters.js';

/**
 * Compiles a schema's JSON (as in schemas/*.avsc) into a converter tree. Only what the contract
 * uses is supported: records, arrays, `["null", T]` unions, enums, primitives and our logical
 * types. Anything else is a contract bug and fails at compile time, not on the first record.
 */
type Json = Record<string, unknown>;

export function compileSchema(schema: unknown, source: string): Converter {
  const named = new Map<string, Converter>();

  const fullName = (name: string, namespace: string | undefined): string =>
    name.includes('.') || !namespace ? name : `${namespace}.${name}`;

  const compile = (s: unknown, namespace: string | undefined): Converter => {
    if (typeof s === 'string') {
      switch (s) {
        case 'string':
          return STRING;
        case 'boolean':
          return BOOLEAN;
        case 'double':
          return DOUBLE;
        case 'float':
          return FLOAT;
        case 'long':
          return LONG;
        case 'int':
          return INT;
        default: {
          const ref = named.get(fullName(s, namespace)) ?? named.get(s);
          if (!ref) throw new AvroContractError(`${source}: type ${s} is used before it is defined`, { source });
          return ref;
        }
      }
    }
    if (Array.isArray(s)) {
      throw new AvroContractError(`${source}: only ["null", T] unions are supported in field types`, { source });
    }
    const o = s as Json;
    switch (o.logicalType) {
      case 'timestamp-millis':
        return TIMESTAMP;
      case 'date':
        return DATE;
      case 'json':
        return JSON_VALUE;
      default:
        break;
    }
    switch (o.type) {
      case 'record': {
        const ns = typeof o.namespace === 'string' ? o.namespace : namespace;
        const name = fullName(o.name as string, ns);
        const fields = o.fields as Json[];
        const rc = new RecordConverter(
          name,
          fields.some((f) => f.name === CATCH_ALL_FIELD),
        );
        named.set(name, rc);
        const childNs = name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : ns;
        const plans: FieldPlan[] = fields.map((f) => fieldPlan(f, childNs));
        rc.setGroups(
          groupFromFields(fields, plans),
          fields.map((f) => f.name as string),
        );
        return rc;
      }
      case 'array': {
        const items = o.items;
        const nullable = Array.isArray(items) && items.length === 2 && items[0] === 'null';
        return new ArrayConverter(compile(nullable ? (items as unknown[])[1] : items, namespace), nullable);
      }
      case 'enum': {
        const ns = typeof o.namespace === 'string' ? o.namespace : namespace;
        const conv = new EnumConverter(o.symbols as string[]);
        named.set(fullName(o.name as string, ns), conv);
        return conv;
      }
      default:
        if (typeof o.type === 'string' && Object.keys(o).every((k) => k === 'type' || k === 'doc'))
          return compile(o.type, namespace);
        throw new AvroContractError(`${source}: unsupported schema ${JSON.stringify(o).slice(0, 80)}`, { source });
    }
  };

  const fieldPlan = (f: Json, namespace: string | undefined): FieldPlan => {
    const t = f.type;
    const nullable = Array.isArray(t) && t.length === 2 && t[0] === 'null';
    if (Array.isArray(t) && !nullable) {
      throw new AvroContractError(`${source}: field ${String(f.name)} has a union other than ["null", T]`, { source });
    }
    const inner = nullable ? (t as unknown[])[1] : t;
    const conv = compile(inner, namespace);
    return { avroName: f.name as string, conv, nullable, isRecord: conv instanceof RecordConverter };
  };

  return compile(schema, undefined);
}
