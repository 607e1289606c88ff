import type { BodyWriter, ByteWriter } from '../byte-writer.js';
import { daysFromIsoDate } from '../logical-types.js';
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
  NO_FIT,
  RecordConverter,
  STRING,
  TIMESTAMP,
  hasOwn,
  isPlainObject,
  type Converter,
  type GroupPlan,
  type Notes,
} from './converters.js';

/**
 * Ashby JSON straight to the Avro body of the stream's schema, for the records whose mapping is
 * the plain one: every value fits its typed field, and the catch-all stays empty. The converters
 * (converters.ts) build an Avro value that avsc then encodes; for a source reading thousands of
 * records a second, that value and avsc's walk over it cost as much as parsing the JSON
 * (docs/profiles/serve-cpu.md). This writer checks each value by the converters' rules and
 * writes its bytes at once.
 *
 * It declines a record (returns false) as soon as the mapping would need more than that: a
 * value that does not fit, a key the schema does not know, null where Ashby leaves a field
 * out or the reverse, an instant not in `toISOString()` form, an object value of a oneOf. The
 * caller then maps and encodes that record the ordinary way, which fills the catch-all or
 * reports the error. So both paths give the same bytes for every record
 * (test/avro/direct-writer.test.ts compares them on every stream).
 *
 * The values are expected to be parsed JSON (plain objects and arrays, strings, numbers,
 * booleans, null).
 */

// What writing one value gave. MISFIT only where the converter would surely return NO_FIT
// (choosing a oneOf alternative relies on it); DECLINE when it would map the value some other way.
export const OK = 0;
export const MISFIT = 1;
export const DECLINE = 2;
export type Outcome = typeof OK | typeof MISFIT | typeof DECLINE;

/** Writes a value that is neither undefined nor null. */
type Write = (v: unknown, w: ByteWriter) => Outcome;

type Utf8Writable = Buffer & { utf8Write(s: string, offset: number, length: number): number };

/** Avro's zig-zag varint, as avsc writes it (integer arithmetic while it cannot overflow). */
export function writeLong(w: ByteWriter, n: number): void {
  const buf = w.buf;
  let pos = w.pos;
  if (n >= -1073741824 && n < 1073741824) {
    let m = n >= 0 ? n << 1 : (~n << 1) | 1;
    while (m > 0x7f) {
      buf[pos++] = (m & 0x7f) | 0x80;
      m >>>= 7;
    }
    buf[pos++] = m;
  } else {
    let f = n >= 0 ? n * 2 : -n * 2 - 1;
    while (f >= 128) {
      buf[pos++] = (f % 128) | 0x80;
      f = Math.floor(f / 128);
    }
    buf[pos++] = f;
  }
  w.pos = pos;
}

/**
 * Writes a string; false for one with a lone surrogate, whose bytes avsc writes two ways (a
 * short one as CESU-8, a long one with U+FFFD): the converters' path keeps avsc's choice.
 */
function writeString(w: ByteWriter, s: string): boolean {
  const n = s.length;
  const buf = w.buf;
  const start = w.pos;
  // Most strings are short and ASCII: their length fits one varint byte and each char is a byte.
  if (n < 64 && start + 1 + n <= buf.length) {
    let pos = start + 1;
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      buf[pos++] = c;
    }
    if (i === n) {
      buf[start] = n << 1;
      w.pos = pos;
      return true;
    }
  }
  if (!(s as string & { isWellFormed(): boolean }).isWellFormed()) return false;
  const len = Buffer.byteLength(s);
  writeLong(w, len);
  if (w.pos + len <= buf.length) (buf as Utf8Writable).utf8Write(s, w.pos, len);
  w.pos += len;
  return true;
}

const writeStringValue: Write = (v, w) => {
  if (typeof v !== 'string') return MISFIT;
  return writeString(w, v) ? OK : DECLINE;
};

const writeBoolean: Write = (v, w) => {
  if (typeof v !== 'boolean') return MISFIT;
  w.buf[w.pos++] = v ? 1 : 0;
  return OK;
};

const writeDouble: Write = (v, w) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) return MISFIT;
  if (w.pos + 8 <= w.buf.length) w.buf.writeDoubleLE(v, w.pos);
  w.pos += 8;
  return OK;
};

const writeFloat: Write = (v, w) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) return MISFIT;
  if (w.pos + 4 <= w.buf.length) w.buf.writeFloatLE(v, w.pos);
  w.pos += 4;
  return OK;
};

const writeLongValue: Write = (v, w) => {
  if (!Number.isSafeInteger(v)) return MISFIT;
  writeLong(w, v as number);
  return OK;
};

const writeInt: Write = (v, w) => {
  if (!Number.isInteger(v) || (v as number) < -(2 ** 31) || (v as number) >= 2 ** 31) return MISFIT;
  writeLong(w, v as number);
  return OK;
};

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The digits of s from i to i + n as a number, or -1 when one is not a digit. */
function digits(s: string, i: number, n: number): number {
  let out = 0;
  for (const end = i + n; i < end; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    out = out * 10 + d;
  }
  return out;
}

/**
 * Milliseconds of an instant in exactly `toISOString()` form (YYYY-MM-DDTHH:MM:SS.sssZ, year
 * 100 or later), or NaN for any other text.
 */
export function canonicalInstantMs(s: string): number {
  if (
    s.length !== 24 ||
    s.charCodeAt(4) !== 45 || // -
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(10) !== 84 || // T
    s.charCodeAt(13) !== 58 || // :
    s.charCodeAt(16) !== 58 ||
    s.charCodeAt(19) !== 46 || // .
    s.charCodeAt(23) !== 90 // Z
  )
    return NaN;
  return instantMs(
    digits(s, 0, 4),
    digits(s, 5, 2),
    digits(s, 8, 2),
    digits(s, 11, 2),
    digits(s, 14, 2),
    digits(s, 17, 2),
    digits(s, 20, 3),
  );
}

/** The instant of these fields read from `toISOString()` form (-1 where a digit was not one), or NaN. */
export function instantMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
): number {
  // (Date.UTC reads years 0–99 as 1900–1999.)
  if (year < 100 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) return NaN;
  if (minute < 0 || minute > 59 || second < 0 || second > 59 || ms < 0) return NaN;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1]!)) return NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

const writeTimestamp: Write = (v, w) => {
  if (typeof v !== 'string') return MISFIT;
  const ms = canonicalInstantMs(v);
  if (!Number.isNaN(ms)) {
    writeLong(w, ms);
    return OK;
  }
  // Any other form (or a year before 100): the converter decides. It rejects the text, or keeps
  // it in the catch-all because toISOString() would not give it back, or takes it as it is.
  const notes: Notes = { keepRaw: false, failPath: [], failProblem: '', quiet: true };
  const date = TIMESTAMP.toAvro(v, notes);
  if (date === NO_FIT) return MISFIT;
  if (notes.keepRaw) return DECLINE;
  writeLong(w, (date as Date).getTime());
  return OK;
};

const writeDate: Write = (v, w) => {
  const days = typeof v === 'string' ? daysFromIsoDate(v) : undefined;
  if (days === undefined) return MISFIT;
  writeLong(w, days);
  return OK;
};

const writeJson: Write = (v, w) => {
  const text = JSON.stringify(v) as string | undefined;
  return typeof text === 'string' && writeString(w, text) ? OK : DECLINE;
};

function enumWriter(conv: EnumConverter): Write {
  const index = new Map(conv.symbols.map((s, i) => [s, i]));
  return (v, w) => {
    const i = typeof v === 'string' ? index.get(v) : undefined;
    if (i === undefined) return MISFIT;
    writeLong(w, i);
    return OK;
  };
}

function arrayWriter(items: Write, nullableItems: boolean): Write {
  return (v, w) => {
    if (!Array.isArray(v)) return MISFIT;
    const n = v.length;
    if (n > 0) {
      writeLong(w, n);
      for (let i = 0; i < n; i++) {
        const item: unknown = v[i];
        if (item === null || item === undefined) {
          // Every converter rejects null; a nullable item is the union's null branch.
          if (!nullableItems || item === undefined) return item === undefined ? DECLINE : MISFIT;
          w.buf[w.pos++] = 0;
          continue;
        }
        if (nullableItems) w.buf[w.pos++] = 2;
        const r = items(item, w);
        if (r !== OK) return r;
      }
    }
    w.buf[w.pos++] = 0;
    return OK;
  };
}

/** Own enumerable keys of a parsed JSON object (no array allocated, unlike Object.keys). */
function countKeys(o: Record<string, unknown>): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

/**
 * One Avro field, or a run of fields, of a record, in the order of their bytes; `W` is how a
 * value is written (this module's Write, or raw-writer.ts's).
 */
export type Step<W = Write> =
  | { kind: 'catch-all' }
  | {
      kind: 'field';
      key: string;
      /** The key is also a property of Object.prototype: read it only when it is the object's own. */
      inherited: boolean;
      group: GroupPlan;
      nullable: boolean;
      write: W;
    }
  | {
      /** A oneOf: one nullable field per alternative, consecutive in the schema. */
      kind: 'oneOf';
      key: string;
      inherited: boolean;
      group: GroupPlan;
      alternatives: Alternative<W>[];
    };

const declineAll: Write = () => DECLINE;

/** The steps of a record's bytes, or undefined when its fields are not laid out as the writers expect. */
export function recordSteps<W>(rc: RecordConverter, writerOf: (c: Converter) => W): Step<W>[] | undefined {
  const byAvro = new Map<string, GroupPlan>();
  for (const g of rc.groups) for (const f of g.fields) byAvro.set(f.avroName, g);
  const steps: Step<W>[] = [];
  const names = rc.avroFields;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (name === CATCH_ALL_FIELD) {
      steps.push({ kind: 'catch-all' });
      continue;
    }
    const group = byAvro.get(name);
    if (!group) return undefined;
    const key = group.jsonName;
    const inherited = key in Object.prototype;
    if (group.fields.length === 1) {
      const f = group.fields[0]!;
      steps.push({ kind: 'field', key, inherited, group, nullable: f.nullable, write: writerOf(f.conv) });
      continue;
    }
    // A oneOf group: its fields must be this one and the ones right after it, all nullable.
    const fields = group.fields;
    if (fields[0]!.avroName !== name) return undefined;
    for (let k = 0; k < fields.length; k++)
      if (names[i + k] !== fields[k]!.avroName || !fields[k]!.nullable) return undefined;
    steps.push({
      kind: 'oneOf',
      key,
      inherited,
      group,
      alternatives: fields.map((f) => ({
        write: writerOf(f.conv),
        record: f.conv instanceof RecordConverter ? f.conv : undefined,
        json: f.conv === JSON_VALUE,
      })),
    });
    i += fields.length - 1;
  }
  return steps;
}

/** What chooseOther and chooseRecord return when the record needs the converters. */
const DECLINED = -2;

export type Alternative<W = Write> = { write: W; record: RecordConverter | undefined; json: boolean };

/** Writes alternative k of a oneOf at `start`: the nulls of the ones before it, its branch, the value. */
function tryAlternative(alternatives: Alternative[], k: number, x: unknown, w: ByteWriter, start: number): Outcome {
  w.pos = start;
  for (let j = 0; j < k; j++) w.buf[w.pos++] = 0;
  w.buf[w.pos++] = 2;
  return alternatives[k]!.write(x, w);
}

/** A value that is not an object: the first alternative, not a record, that takes it. Its index, -1, or DECLINED. */
function chooseOther(alternatives: Alternative[], x: unknown, w: ByteWriter, start: number): number {
  for (let k = 0; k < alternatives.length; k++) {
    if (alternatives[k]!.record) continue;
    const r = tryAlternative(alternatives, k, x, w, start);
    if (r === OK) return k;
    if (r === DECLINE) return DECLINED;
  }
  return -1;
}

/**
 * An object: of the record alternatives that take it, the one that knows most of its keys
 * (the first on a tie, and at least one key), else a `json` alternative. Its index, -1, or DECLINED.
 */
function chooseRecord(alternatives: Alternative[], x: Record<string, unknown>, w: ByteWriter, start: number): number {
  const scores = alternatives.map((a) => {
    if (!a.record) return 0;
    let score = 0;
    for (const key in x) if (a.record.knows(key)) score++;
    return score;
  });
  for (;;) {
    let best = -1;
    for (let k = 0; k < alternatives.length; k++)
      if (scores[k]! > 0 && (best < 0 || scores[k]! > scores[best]!)) best = k;
    if (best < 0) break;
    const r = tryAlternative(alternatives, best, x, w, start);
    if (r === OK) return best;
    if (r === DECLINE) return DECLINED;
    scores[best] = 0;
  }
  const json = alternatives.findIndex((a) => a.json);
  if (json < 0) return -1;
  return tryAlternative(alternatives, json, x, w, start) === OK ? json : DECLINED;
}

function recordWriter(rc: RecordConverter, steps: Step[]): Write {
  const catchAll = rc.catchAll;
  // What a value that the field's converter rejects becomes: the catch-all's (declined), or an error.
  const rejected = (optional: boolean): Outcome => (optional && catchAll ? DECLINE : MISFIT);
  return (v, w) => {
    if (!isPlainObject(v)) return MISFIT;
    let known = 0;
    for (let s = 0; s < steps.length; s++) {
      const step = steps[s]!;
      if (step.kind === 'catch-all') {
        w.buf[w.pos++] = 0;
        continue;
      }
      const g = step.group;
      let x = v[step.key];
      if (step.inherited && !hasOwn(v, step.key)) x = undefined;
      if (x === undefined || x === null) {
        if (!g.optional) return MISFIT;
        if (x === undefined ? g.unsetNull && catchAll : !g.unsetNull && catchAll) return DECLINE;
        if (x === null) known++;
        const nulls = step.kind === 'oneOf' ? step.alternatives.length : 1;
        for (let k = 0; k < nulls; k++) w.buf[w.pos++] = 0;
        continue;
      }
      known++;
      if (step.kind === 'field') {
        if (step.nullable) w.buf[w.pos++] = 2;
        const r = step.write(x, w);
        if (r === OK) continue;
        return r === MISFIT ? rejected(g.optional) : DECLINE;
      }
      // oneOf: the alternative the converter chooses (pickVariant in converters.ts).
      const alternatives = step.alternatives;
      const start = w.pos;
      const chosen = isPlainObject(x)
        ? chooseRecord(alternatives, x, w, start)
        : chooseOther(alternatives, x, w, start);
      if (chosen === DECLINED) return DECLINE;
      if (chosen < 0) return rejected(g.optional);
      for (let k = chosen + 1; k < alternatives.length; k++) w.buf[w.pos++] = 0;
    }
    // Keys the schema does not know go to the catch-all, or make the record unmappable.
    if (countKeys(v) !== known) return catchAll ? DECLINE : MISFIT;
    return OK;
  };
}

/**
 * Compiles the writer of a converter tree from compileSchema (a stream's record). It returns
 * false for a record that needs the converters.
 */
export function compileDirectWriter(root: Converter): BodyWriter {
  const cache = new Map<Converter, Write>();
  const writerOf = (c: Converter): Write => {
    const cached = cache.get(c);
    if (cached) return cached;
    if (c instanceof RecordConverter) {
      // Named records can refer to themselves: the cache holds a forwarder until the steps exist.
      let inner: Write = declineAll;
      const forward: Write = (v, w) => inner(v, w);
      cache.set(c, forward);
      const steps = recordSteps(c, writerOf);
      inner = steps ? recordWriter(c, steps) : declineAll;
      return forward;
    }
    let out: Write;
    if (c instanceof ArrayConverter) out = arrayWriter(writerOf(c.items), c.nullableItems);
    else if (c instanceof EnumConverter) out = enumWriter(c);
    else if (c === STRING) out = writeStringValue;
    else if (c === BOOLEAN) out = writeBoolean;
    else if (c === DOUBLE) out = writeDouble;
    else if (c === FLOAT) out = writeFloat;
    else if (c === LONG) out = writeLongValue;
    else if (c === INT) out = writeInt;
    else if (c === TIMESTAMP) out = writeTimestamp;
    else if (c === DATE) out = writeDate;
    else if (c === JSON_VALUE) out = writeJson;
    else out = declineAll;
    cache.set(c, out);
    return out;
  };
  const write = writerOf(root);
  return (json, w) => json !== null && json !== undefined && write(json, w) === OK;
}
