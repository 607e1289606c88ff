import { daysFromIsoDate } from '../logical-types.js';
import { ABSENT_KEY, ATTR_JSON_NAME, ATTR_UNSET, CATCH_ALL_FIELD } from '../naming.js';

/**
 * Converters between Ashby JSON and Avro values, compiled once per schema from the .avsc JSON
 * (which carries the `ashby.*` attributes the mapping needs). The rules, from docs/avro.md:
 * - a value that fits its typed field goes there; one that does not, on an optional field, goes
 *   verbatim into the record's catch-all and the typed field stays null; on a required field the
 *   record cannot be mapped (AvroMappingError naming the path);
 * - JSON keys the schema does not know go into the catch-all;
 * - null vs absent: the field attribute `ashby.unset` says which one Ashby uses when a field is
 *   unset; the exceptions are recorded in the catch-all (`"f": null` or `"$absent": ["f"]`);
 * - an instant whose text is not the canonical `toISOString()` form keeps its original text in
 *   the catch-all too, so the inverse gives back the exact string.
 */
export const NO_FIT: unique symbol = Symbol('no-fit');
export type Mapped = unknown;

/** Per-call scratch state: why the last conversion failed, and whether to keep the raw text. */
export interface Notes {
  keepRaw: boolean;
  failPath: string[];
  failProblem: string;
  /**
   * Only whether the value fits matters (choosing a oneOf alternative tries each in turn): a
   * failure names what was expected without describing the value, which costs a JSON.stringify.
   */
  quiet?: boolean;
}

export interface Converter {
  toAvro(json: unknown, notes: Notes): Mapped | typeof NO_FIT;
  fromAvro(avro: unknown): unknown;
}

function fail(notes: Notes, problem: string): typeof NO_FIT {
  notes.failPath = [];
  notes.failProblem = problem;
  return NO_FIT;
}

/** A failure for a value of the wrong kind: `<expected>, got <the value>`. */
function failGot(notes: Notes, expected: string, v: unknown): typeof NO_FIT {
  return fail(notes, notes.quiet ? expected : `${expected}, got ${describe(v)}`);
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)?.slice(0, 40)}`;
}

const identity = (v: unknown): unknown => v;

export const STRING: Converter = {
  toAvro: (v, n) => (typeof v === 'string' ? v : failGot(n, 'must be a string', v)),
  fromAvro: identity,
};
export const BOOLEAN: Converter = {
  toAvro: (v, n) => (typeof v === 'boolean' ? v : failGot(n, 'must be a boolean', v)),
  fromAvro: identity,
};
export const DOUBLE: Converter = {
  toAvro: (v, n) => (typeof v === 'number' && Number.isFinite(v) ? v : failGot(n, 'must be a number', v)),
  fromAvro: identity,
};
/** DOUBLE for an Avro `float` (the same rule; a distinct converter so that direct-writer.ts writes 4 bytes). */
export const FLOAT: Converter = { ...DOUBLE };
export const LONG: Converter = {
  toAvro: (v, n) => (Number.isSafeInteger(v) ? v : failGot(n, 'must be an integer', v)),
  fromAvro: identity,
};
export const INT: Converter = {
  toAvro: (v, n) =>
    Number.isInteger(v) && (v as number) >= -(2 ** 31) && (v as number) < 2 ** 31
      ? v
      : failGot(n, 'must be a 32-bit integer', v),
  fromAvro: identity,
};

// Offsets are required: a zone-less time would be read in the machine's local zone.
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;

export const TIMESTAMP: Converter = {
  toAvro(v, n) {
    if (typeof v !== 'string' || !INSTANT_RE.test(v)) return failGot(n, 'must be an ISO-8601 instant with a zone', v);
    const d = new Date(v);
    if (Number.isNaN(d.getTime())) return failGot(n, 'must be a valid instant', v);
    if (d.toISOString() !== v) n.keepRaw = true;
    return d;
  },
  fromAvro: (v) => (v as Date).toISOString(),
};

export const DATE: Converter = {
  toAvro: (v, n) =>
    typeof v === 'string' && daysFromIsoDate(v) !== undefined ? v : failGot(n, 'must be a YYYY-MM-DD date', v),
  fromAvro: identity,
};

export const JSON_VALUE: Converter = {
  toAvro: (v, n) => (v === undefined || v === null ? fail(n, 'must be a JSON value') : v),
  fromAvro: identity,
};

export class EnumConverter implements Converter {
  private readonly set: ReadonlySet<string>;
  private readonly expected: string;

  constructor(readonly symbols: readonly string[]) {
    this.set = new Set(symbols);
    this.expected = `must be one of ${symbols.join(', ')}`;
  }

  toAvro(v: unknown, n: Notes): Mapped | typeof NO_FIT {
    return typeof v === 'string' && this.set.has(v) ? v : failGot(n, this.expected, v);
  }

  fromAvro(avro: unknown): unknown {
    return avro;
  }
}

export class ArrayConverter implements Converter {
  constructor(
    readonly items: Converter,
    readonly nullableItems: boolean,
  ) {}

  toAvro(v: unknown, n: Notes): Mapped | typeof NO_FIT {
    if (!Array.isArray(v)) return failGot(n, 'must be an array', v);
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) {
      const item: unknown = v[i];
      if (item === null && this.nullableItems) {
        out[i] = null;
        continue;
      }
      const r = this.items.toAvro(item, n);
      if (r === NO_FIT) {
        n.failPath.unshift(String(i));
        return NO_FIT;
      }
      out[i] = r;
    }
    return out;
  }

  fromAvro(v: unknown): unknown {
    const arr = v as unknown[];
    const out = new Array<unknown>(arr.length);
    for (let i = 0; i < arr.length; i++) out[i] = arr[i] === null ? null : this.items.fromAvro(arr[i]);
    return out;
  }
}

export interface FieldPlan {
  avroName: string;
  /** Set by the compiler once named types are resolved. */
  conv: Converter;
  nullable: boolean;
  isRecord: boolean;
}

export interface GroupPlan {
  jsonName: string;
  /** One field normally; several for a oneOf expanded into one field per alternative. */
  fields: FieldPlan[];
  optional: boolean;
  unsetNull: boolean;
}

export function hasOwn(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

/** A JSON object: not null, an array or a Date. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** A record converter; its groups are filled in by the compiler (records may be referenced before they are complete). */
export class RecordConverter implements Converter {
  groups: GroupPlan[] = [];
  private byJson = new Map<string, GroupPlan>();
  /**
   * Every Avro field of the record set to null, copied by spread for each value: filling an
   * empty object key by key leaves V8 a slow dictionary-mode object for a record of more than a
   * dozen fields, and avsc's compiled writer then reads every field from that dictionary.
   * (A spread of a dictionary-mode template is slower still.)
   */
  private template: Record<string, null> = {};

  constructor(
    readonly name: string,
    readonly catchAll: boolean,
  ) {}

  /** The Avro fields in the schema's order (the order of their bytes), the catch-all included. */
  avroFields: readonly string[] = [];

  setGroups(groups: GroupPlan[], avroFields: readonly string[]): void {
    this.groups = groups;
    this.avroFields = avroFields;
    this.byJson = new Map(groups.map((g) => [g.jsonName, g]));
    const names = groups.flatMap((g) => g.fields.map((f) => f.avroName));
    if (this.catchAll) names.push(CATCH_ALL_FIELD);
    // Built by JSON.parse, which gives a fast-mode object (keyed stores would not), so that the
    // spread copies it in one step.
    this.template = JSON.parse(JSON.stringify(Object.fromEntries(names.map((n) => [n, null])))) as Record<string, null>;
  }

  /** JSON keys this record knows (used to score oneOf alternatives). */
  knows(key: string): boolean {
    return this.byJson.has(key);
  }

  toAvro(json: unknown, n: Notes): Mapped | typeof NO_FIT {
    if (!isPlainObject(json)) return failGot(n, 'must be an object', json);
    const out: Record<string, unknown> = { ...this.template };
    let extra: Record<string, unknown> | undefined;
    let absent: string[] | undefined;
    let known = 0; // the record's own keys that the schema knows

    for (const g of this.groups) {
      const key = g.jsonName;
      const v = hasOwn(json, key) ? json[key] : undefined;
      if (v !== undefined) known++;
      if (v === undefined) {
        if (!g.optional) {
          n.failPath = [key];
          n.failProblem = 'is required but missing';
          return NO_FIT;
        }
        if (g.unsetNull) (absent ??= []).push(key);
        continue;
      }
      if (v === null) {
        if (!g.optional) {
          n.failPath = [key];
          n.failProblem = 'is required but null';
          return NO_FIT;
        }
        if (!g.unsetNull && this.catchAll) (extra ??= {})[key] = null;
        continue;
      }
      const field = g.fields.length === 1 ? g.fields[0]! : pickVariant(g, v);
      n.keepRaw = false;
      const r = field ? field.conv.toAvro(v, n) : fail(n, `fits none of ${g.fields.map((f) => f.avroName).join(', ')}`);
      if (r === NO_FIT) {
        if (!g.optional || !this.catchAll) {
          n.failPath.unshift(key);
          return NO_FIT;
        }
        (extra ??= {})[key] = v;
        continue;
      }
      out[field!.avroName] = r;
      if (n.keepRaw && this.catchAll) {
        (extra ??= {})[key] = v;
        n.keepRaw = false;
      }
    }

    // Keys the schema does not know go to the catch-all. When every own key was known (the
    // common case) there are none, and the lookups are skipped. (Values are parsed JSON: no
    // inherited enumerable keys.)
    if (Object.keys(json).length !== known) {
      for (const key in json) {
        if (!this.byJson.has(key) && json[key] !== undefined) (extra ??= {})[key] = json[key];
      }
    }
    if (this.catchAll) {
      if (absent) (extra ??= {})[ABSENT_KEY] = absent;
      out[CATCH_ALL_FIELD] = extra ?? null;
    } else if (extra) {
      const unknown = Object.keys(extra).filter((k) => !this.byJson.has(k));
      n.failPath = [];
      n.failProblem = unknown.length
        ? `has fields the schema does not declare: ${unknown.join(', ')}`
        : 'cannot be represented';
      return NO_FIT;
    }
    return out;
  }

  fromAvro(avro: unknown): unknown {
    const rec = avro as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const g of this.groups) {
      let set = false;
      for (const f of g.fields) {
        const v = rec[f.avroName];
        if (v !== null && v !== undefined) {
          out[g.jsonName] = f.conv.fromAvro(v);
          set = true;
          break;
        }
      }
      if (!set && g.unsetNull) out[g.jsonName] = null;
    }
    const extra = this.catchAll ? (rec[CATCH_ALL_FIELD] as Record<string, unknown> | null | undefined) : undefined;
    if (extra) {
      for (const key of Object.keys(extra)) {
        if (key === ABSENT_KEY && Array.isArray(extra[key])) {
          for (const name of extra[key] as string[]) delete out[name];
        } else {
          out[key] = extra[key];
        }
      }
    }
    return out;
  }
}

/** Chooses the alternative of a oneOf group for a JSON value; objects go to the record that knows most of their keys. */
function pickVariant(g: GroupPlan, v: unknown): FieldPlan | undefined {
  if (!isPlainObject(v)) {
    const scratch: Notes = { keepRaw: false, failPath: [], failProblem: '', quiet: true };
    return g.fields.find((f) => !f.isRecord && f.conv.toAvro(v, scratch) !== NO_FIT);
  }
  let best: FieldPlan | undefined;
  let bestScore = -1;
  const keys = Object.keys(v);
  for (const f of g.fields) {
    if (!f.isRecord) continue;
    const rc = f.conv as RecordConverter;
    const scratch: Notes = { keepRaw: false, failPath: [], failProblem: '', quiet: true };
    if (rc.toAvro(v, scratch) === NO_FIT) continue;
    const score = keys.filter((k) => rc.knows(k)).length;
    // An object sharing no key with an alternative is a shape Ashby added later, not that one.
    if (score > 0 && score > bestScore) {
      best = f;
      bestScore = score;
    }
  }
  return best ?? g.fields.find((f) => !f.isRecord && f.conv === JSON_VALUE);
}

export function groupFromFields(fields: Array<Record<string, unknown>>, plans: FieldPlan[]): GroupPlan[] {
  const groups: GroupPlan[] = [];
  const byJson = new Map<string, GroupPlan>();
  fields.forEach((f, i) => {
    if (f.name === CATCH_ALL_FIELD) return;
    const jsonName = (f[ATTR_JSON_NAME] as string | undefined) ?? (f.name as string);
    const plan = plans[i]!;
    let g = byJson.get(jsonName);
    if (!g) {
      g = { jsonName, fields: [], optional: true, unsetNull: f[ATTR_UNSET] === 'null' };
      byJson.set(jsonName, g);
      groups.push(g);
    }
    g.fields.push(plan);
    g.optional = g.fields.every((p) => p.nullable);
  });
  return groups;
}
