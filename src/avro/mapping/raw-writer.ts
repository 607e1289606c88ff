import {
  BACKSLASH,
  CLOSE_ARRAY,
  CLOSE_OBJECT,
  COLON,
  COMMA,
  OPEN_ARRAY,
  OPEN_OBJECT,
  QUOTE,
  plainStringEnd,
  skipSpaceAt,
  utf8SequenceLength,
  valueEnd,
  type JsonSlice,
} from '../../json/bytes.js';
import type { ByteWriter } from '../byte-writer.js';
import { daysFromIsoDate } from '../logical-types.js';
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
  type Converter,
} from './converters.js';
import {
  DECLINE,
  MISFIT,
  OK,
  instantMs,
  recordSteps,
  writeLong,
  type Alternative,
  type Outcome,
  type Step,
} from './direct-writer.js';

/**
 * The Avro body of one record straight from its JSON bytes, without parsing them into objects:
 * the bytes of one element of a list page's `results`. It gives the same bytes as the direct
 * writer (direct-writer.ts) given `JSON.parse` of those bytes, or declines (returns false).
 *
 * Parsing a page and collecting what the parse allocated cost a 50-tenant worker about a third
 * of its main thread, and most of what V8's helper threads did (docs/profiles/serve-cpu.md).
 * Here a string's UTF-8 bytes are already its Avro bytes: they are checked and copied behind
 * their length. An object whose keys come in the schema's order (as Ashby's candidates, users,
 * interviews and sources do; its applications, jobs and job postings do not) is written in one
 * pass; any other is read twice: where each member's value lies, then the fields in the
 * schema's order.
 *
 * It declines whatever the direct writer would decline, and more, so that the caller parses
 * that record and takes the ordinary path (which also reports invalid JSON as `JSON.parse`
 * does):
 * - any backslash in a string (escapes), a control character, or bytes that are not UTF-8;
 * - a key the schema does not know, or the same key twice;
 * - a number with a fraction or an exponent where an integer is expected, or of more than 15
 *   digits;
 * - an instant in another form than `toISOString()`'s;
 * - a free-form JSON value whose bytes are not what `JSON.stringify` gives;
 * - an object that two alternatives of a oneOf could take only through a `json` alternative;
 * - anything that is not well-formed JSON.
 */
export type RawBodyWriter = (json: JsonSlice, w: ByteWriter) => boolean;

/** Writes the value at `at.pos` of `at.src` and moves `at.pos` past it (a declined write leaves it anywhere). */
type RawWrite = (at: Reader, w: ByteWriter) => Outcome;

interface Reader {
  src: Buffer;
  /** `src`'s bytes, for reading four at a time. */
  view: DataView;
  pos: number;
}

const MINUS = 0x2d;

function skipSpace(at: Reader): number {
  const b = at.src;
  let p = at.pos;
  const first = b[p];
  if (first !== undefined && first > 0x20) return first; // the common case: no whitespace
  p = at.pos = skipSpaceAt(b, p);
  return p < b.length ? b[p]! : -1;
}

/** Whether the bytes at `p` are `word` (ASCII). */
function matches(b: Buffer, p: number, word: Buffer): boolean {
  if (p + word.length > b.length) return false;
  for (let i = 0; i < word.length; i++) if (b[p + i] !== word[i]) return false;
  return true;
}

const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');
/** What a writer's reader points at between records (it must not keep a page's body alive). */
const NO_BYTES = Buffer.alloc(0);
const NO_VIEW = new DataView(new ArrayBuffer(0));

/** Copies src[from, to) to the writer (only advancing `pos` past the end of its buffer). */
function copyBytes(w: ByteWriter, src: Buffer, from: number, to: number): void {
  const n = to - from;
  const buf = w.buf;
  let pos = w.pos;
  if (pos + n <= buf.length) {
    if (n < 256) for (let i = from; i < to; i++) buf[pos++] = src[i]!;
    else src.copy(buf, pos, from, to);
  }
  w.pos += n;
}

/**
 * Whether none of the four bytes of `x` (read little-endian) ends a plain string's run of
 * ASCII text: a quote, a backslash, a control character or a byte of 0x80 or above. Each test
 * is exact for whether such a byte is there (it may misplace which one, which does not matter
 * here): "Determine if a word has a byte less than n" and "… has a zero byte" in Sean Eron
 * Anderson's Bit Twiddling Hacks.
 */
function plainWord(x: number): boolean {
  const quote = x ^ 0x22222222;
  const backslash = x ^ 0x5c5c5c5c;
  return (
    ((x | ((x - 0x20202020) & ~x) | ((quote - 0x01010101) & ~quote) | ((backslash - 0x01010101) & ~backslash)) &
      0x80808080) ===
    0
  );
}

/**
 * A plain string's bytes (without its quotes), as Avro: its length, then its UTF-8. Its ASCII
 * text is checked four bytes at a time (most of Ashby's strings are ASCII to their end: ids,
 * handles, URLs, e-mail addresses), the rest byte by byte; then it is copied behind its length.
 */
const rawString: RawWrite = (at, w) => {
  const b = at.src;
  let p = at.pos;
  if (b[p] !== QUOTE) return MISFIT;
  const from = ++p;
  const n = b.length;
  const view = at.view;
  scan: for (;;) {
    while (p + 4 <= n && plainWord(view.getInt32(p, true))) p += 4;
    // Byte by byte through the word that ended the run.
    const stop = p + 4;
    do {
      if (p >= n) return DECLINE;
      const c = b[p]!;
      if (c === QUOTE) break scan;
      if (c < 0x80) {
        if (c < 0x20 || c === BACKSLASH) return DECLINE;
        p++;
      } else {
        const k = utf8SequenceLength(b, p, n);
        if (k < 0) return DECLINE;
        p += k;
      }
    } while (p < stop);
  }
  at.pos = p + 1;
  const length = p - from;
  if (length < 64) w.buf[w.pos++] = length << 1;
  else writeLong(w, length);
  copyBytes(w, b, from, p);
  return OK;
};

/** The text of a plain ASCII string at `at.pos` (moving past it), or undefined (not a string, or not plain ASCII). */
function asciiString(at: Reader): string | undefined {
  const b = at.src;
  if (b[at.pos] !== QUOTE) return undefined;
  const from = at.pos + 1;
  let q = from;
  for (;;) {
    const c = b[q];
    if (c === QUOTE) break;
    if (c === undefined || c < 0x20 || c >= 0x80 || c === BACKSLASH) return undefined;
    q++;
  }
  at.pos = q + 1;
  return b.toString('latin1', from, q);
}

const rawBoolean: RawWrite = (at, w) => {
  const b = at.src;
  if (matches(b, at.pos, TRUE)) {
    w.buf[w.pos++] = 1;
    at.pos += 4;
    return OK;
  }
  if (matches(b, at.pos, FALSE)) {
    w.buf[w.pos++] = 0;
    at.pos += 5;
    return OK;
  }
  return b[at.pos] === MINUS || isDigit(b[at.pos]) || b[at.pos] === QUOTE || isContainer(b[at.pos]) ? MISFIT : DECLINE;
};

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

function isContainer(c: number | undefined): boolean {
  return c === OPEN_OBJECT || c === OPEN_ARRAY;
}

/** What the number at `p` is: its end, and whether it is an integer of at most 15 digits. */
interface NumberScan {
  end: number;
  /** The value, when it is an integer of at most 15 digits (exact in a double); else NaN. */
  small: number;
}

const scanned: NumberScan = { end: -1, small: NaN };

/**
 * Reads a JSON number at `p` into `scanned` (end -1 when it is not one, by JSON's grammar:
 * no leading zeros, no `+`, digits on both sides of a point).
 */
function scanNumber(b: Buffer, p: number): NumberScan {
  const start = p;
  scanned.end = -1;
  scanned.small = NaN;
  if (b[p] === MINUS) p++;
  const intStart = p;
  if (b[p] === 0x30) p++;
  else if (isDigit(b[p]) && b[p] !== 0x30) while (isDigit(b[p])) p++;
  else return scanned;
  const intDigits = p - intStart;
  let integer = true;
  if (b[p] === 0x2e) {
    integer = false;
    p++;
    if (!isDigit(b[p])) return scanned;
    while (isDigit(b[p])) p++;
  }
  if (b[p] === 0x65 || b[p] === 0x45) {
    integer = false;
    p++;
    if (b[p] === 0x2b || b[p] === MINUS) p++;
    if (!isDigit(b[p])) return scanned;
    while (isDigit(b[p])) p++;
  }
  scanned.end = p;
  if (integer && intDigits <= 15) {
    let v = 0;
    for (let k = intStart; k < p; k++) v = v * 10 + (b[k]! - 0x30);
    // -0: JSON.stringify writes it as 0, not as its bytes, and a long reads it as 0: left to the parse.
    scanned.small = b[start] === MINUS ? (v === 0 ? NaN : -v) : v;
  }
  return scanned;
}

/** Whether the byte at `p` can start a number (anything else is another type: MISFIT). */
function startsNumber(c: number | undefined): boolean {
  return c === MINUS || isDigit(c);
}

function integerWriter(min: number, max: number): RawWrite {
  return (at, w) => {
    const b = at.src;
    if (!startsNumber(b[at.pos])) return MISFIT;
    const n = scanNumber(b, at.pos);
    if (n.end < 0 || Number.isNaN(n.small) || n.small < min || n.small > max) return DECLINE;
    writeLong(w, n.small);
    at.pos = n.end;
    return OK;
  };
}

function floatingWriter(bytes: 4 | 8): RawWrite {
  return (at, w) => {
    const b = at.src;
    if (!startsNumber(b[at.pos])) return MISFIT;
    const n = scanNumber(b, at.pos);
    if (n.end < 0) return DECLINE;
    // JSON's number grammar is within Number()'s, which rounds the same way JSON.parse does.
    const v = Number.isNaN(n.small) ? Number(b.toString('latin1', at.pos, n.end)) : n.small;
    if (!Number.isFinite(v)) return MISFIT;
    if (w.pos + bytes <= w.buf.length) {
      if (bytes === 8) w.buf.writeDoubleLE(v, w.pos);
      else w.buf.writeFloatLE(v, w.pos);
    }
    w.pos += bytes;
    at.pos = n.end;
    return OK;
  };
}

/** The digits of b from i to i + n as a number, or -1 when one is not a digit. */
function digitsAt(b: Buffer, i: number, n: number): number {
  let out = 0;
  for (const end = i + n; i < end; i++) {
    const d = b[i]! - 48;
    if (d < 0 || d > 9) return -1;
    out = out * 10 + d;
  }
  return out;
}

/** canonicalInstantMs of the 24 bytes at `p`: YYYY-MM-DDTHH:MM:SS.sssZ, or NaN. */
function canonicalInstantAt(b: Buffer, p: number): number {
  if (
    b[p + 4] !== 45 || // -
    b[p + 7] !== 45 ||
    b[p + 10] !== 84 || // T
    b[p + 13] !== 58 || // :
    b[p + 16] !== 58 ||
    b[p + 19] !== 46 || // .
    b[p + 23] !== 90 // Z
  )
    return NaN;
  return instantMs(
    digitsAt(b, p, 4),
    digitsAt(b, p + 5, 2),
    digitsAt(b, p + 8, 2),
    digitsAt(b, p + 11, 2),
    digitsAt(b, p + 14, 2),
    digitsAt(b, p + 17, 2),
    digitsAt(b, p + 20, 3),
  );
}

const rawTimestamp: RawWrite = (at, w) => {
  const b = at.src;
  const p = at.pos;
  if (b[p] !== QUOTE) return MISFIT;
  // Any other form than toISOString()'s: the converters decide what it becomes.
  if (b[p + 25] !== QUOTE) return DECLINE;
  const ms = canonicalInstantAt(b, p + 1);
  if (Number.isNaN(ms)) return DECLINE;
  writeLong(w, ms);
  at.pos = p + 26;
  return OK;
};

const rawDate: RawWrite = (at, w) => {
  if (at.src[at.pos] !== QUOTE) return MISFIT;
  const text = asciiString(at);
  const days = text === undefined ? undefined : daysFromIsoDate(text);
  if (days === undefined) return DECLINE;
  writeLong(w, days);
  return OK;
};

/**
 * A free-form JSON value, written as JSON.stringify of its parse would be: only where that text
 * is the bytes themselves, which canonicalEnd checks.
 */
const rawJson: RawWrite = (at, w) => {
  const from = at.pos;
  const to = canonicalEnd(at.src, from, 0);
  if (to < 0) return DECLINE;
  writeLong(w, to - from);
  copyBytes(w, at.src, from, to);
  at.pos = to;
  return OK;
};

/** Deepest nesting canonicalEnd follows before it gives up. */
const MAX_CANONICAL_DEPTH = 32;

/**
 * End of the value at `p` when its bytes are exactly JSON.stringify of its parse, else -1: no
 * whitespace; strings without escapes; integers of at most 15 digits (not -0); objects whose keys
 * are plain, not array indexes (V8 orders those first) and not repeated.
 */
function canonicalEnd(b: Buffer, p: number, depth: number): number {
  const c = b[p];
  if (c === QUOTE) {
    const q = plainStringEnd(b, p + 1);
    return q < 0 ? -1 : q + 1;
  }
  if (matches(b, p, TRUE)) return p + 4;
  if (matches(b, p, FALSE)) return p + 5;
  if (matches(b, p, NULL)) return p + 4;
  if (startsNumber(c)) {
    const n = scanNumber(b, p);
    return n.end < 0 || Number.isNaN(n.small) ? -1 : n.end;
  }
  if (depth >= MAX_CANONICAL_DEPTH) return -1;
  if (c === OPEN_ARRAY) {
    p++;
    if (b[p] === CLOSE_ARRAY) return p + 1;
    for (;;) {
      p = canonicalEnd(b, p, depth + 1);
      if (p < 0) return -1;
      if (b[p] === CLOSE_ARRAY) return p + 1;
      if (b[p] !== COMMA) return -1;
      p++;
    }
  }
  if (c === OPEN_OBJECT) {
    const first = p + 1;
    p++;
    if (b[p] === CLOSE_OBJECT) return p + 1;
    for (;;) {
      if (b[p] !== QUOTE) return -1;
      const keyTo = plainStringEnd(b, p + 1);
      if (keyTo < 0 || isIndexKey(b, p + 1, keyTo) || keySeenBefore(b, first, p, keyTo)) return -1;
      if (b[keyTo + 1] !== COLON) return -1;
      p = canonicalEnd(b, keyTo + 2, depth + 1);
      if (p < 0) return -1;
      if (b[p] === CLOSE_OBJECT) return p + 1;
      if (b[p] !== COMMA) return -1;
      p++;
    }
  }
  return -1;
}

/** Whether the key b[from, to) is an array index ("0", "17"): V8 keeps those first, in numeric order. */
function isIndexKey(b: Buffer, from: number, to: number): boolean {
  if (from === to || to - from > 10) return false;
  if (b[from] === 0x30) return to - from === 1;
  for (let i = from; i < to; i++) if (!isDigit(b[i])) return false;
  return true;
}

/**
 * Whether an earlier key of the canonical object whose members start at `first` equals the key
 * at `keyAt` (its quote) ending at `keyTo`. Members before `keyAt` are known canonical.
 */
function keySeenBefore(b: Buffer, first: number, keyAt: number, keyTo: number): boolean {
  const n = keyTo - keyAt - 1;
  let p = first;
  while (p < keyAt) {
    const to = plainStringEnd(b, p + 1);
    if (to - p - 1 === n && b.compare(b, keyAt + 1, keyTo, p + 1, to) === 0) return true;
    p = valueEnd(b, to + 2) + 1; // past the value and its comma
  }
  return false;
}

function enumWriter(conv: EnumConverter): RawWrite {
  const index = new Map(conv.symbols.map((s, i) => [s, i]));
  return (at, w) => {
    if (at.src[at.pos] !== QUOTE) return MISFIT;
    const text = asciiString(at);
    const i = text === undefined ? undefined : index.get(text);
    if (i === undefined) return DECLINE;
    writeLong(w, i);
    return OK;
  };
}

/** Bytes a count of `n` takes as a varint. */
function varintBytes(n: number): number {
  let z = n * 2;
  let k = 1;
  while (z >= 128) {
    z = Math.floor(z / 128);
    k++;
  }
  return k;
}

function arrayWriter(items: RawWrite, nullableItems: boolean): RawWrite {
  return (at, w) => {
    const b = at.src;
    if (b[at.pos] !== OPEN_ARRAY)
      return b[at.pos] === OPEN_OBJECT ? MISFIT : isScalarStart(b[at.pos]) ? MISFIT : DECLINE;
    at.pos++;
    let c = skipSpace(at);
    if (c === CLOSE_ARRAY) {
      at.pos++;
      w.buf[w.pos++] = 0;
      return OK;
    }
    // The block count comes first: one byte is kept for it, and the items moved if it needs more.
    const countAt = w.pos++;
    let n = 0;
    for (;;) {
      if (matches(b, at.pos, NULL)) {
        if (!nullableItems) return MISFIT;
        w.buf[w.pos++] = 0;
        at.pos += 4;
      } else {
        if (nullableItems) w.buf[w.pos++] = 2;
        const r = items(at, w);
        if (r !== OK) return r;
      }
      n++;
      c = skipSpace(at);
      if (c === COMMA) {
        at.pos++;
        skipSpace(at);
        continue;
      }
      if (c !== CLOSE_ARRAY) return DECLINE;
      at.pos++;
      break;
    }
    const extra = varintBytes(n) - 1;
    if (extra > 0) {
      if (w.pos + extra <= w.buf.length) w.buf.copyWithin(countAt + 1 + extra, countAt + 1, w.pos);
      w.pos += extra;
    }
    const end = w.pos;
    w.pos = countAt;
    writeLong(w, n);
    w.pos = end;
    w.buf[w.pos++] = 0;
    return OK;
  };
}

function isScalarStart(c: number | undefined): boolean {
  return c === QUOTE || startsNumber(c) || c === 0x74 || c === 0x66; // t, f
}

/** The byte-level plan of a record: its steps, and each key's bytes. */
class RecordPlan {
  readonly keys: Buffer[];
  /**
   * The step whose key followed each step's key last time (the first key's at the end): Ashby
   * keeps its key order, so a key is nearly always found at the first guess, and a key left out
   * costs one miss.
   */
  private readonly follows: Int32Array;
  /** Where each step's value starts and ends in the object being written, and when it was seen (epoch). */
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly seen: Int32Array;
  /** Set while an object of this record is written (a record inside itself gets fresh arrays). */
  busy = false;
  /** Objects left to read in two passes before the one-pass reader is tried again. */
  skipInOrder = 0;

  constructor(
    readonly rc: RecordConverter,
    readonly steps: Step<RawWrite>[],
  ) {
    this.keys = steps.map((s) => Buffer.from(s.kind === 'catch-all' ? '' : s.key, 'utf8'));
    this.starts = new Int32Array(steps.length);
    this.ends = new Int32Array(steps.length);
    this.seen = new Int32Array(steps.length);
    this.follows = new Int32Array(steps.length + 1).fill(-1);
  }

  /**
   * The step of the key whose text starts at `from` (after its opening quote), or -1 for a key
   * the record does not know or one that is not a plain string; `keyEnd` is then the offset of
   * its closing quote. `previous` is the step of the key before it, or -1.
   */
  keyAt(src: Buffer, from: number, previous: number): number {
    const slot = previous < 0 ? this.keys.length : previous;
    const guess = this.follows[slot]!;
    if (guess >= 0) {
      // Compared in place: the guess is nearly always right, and then the key needs no scan.
      const key = this.keys[guess]!;
      const n = key.length;
      if (src[from + n] === QUOTE) {
        let i = 0;
        while (i < n && src[from + i] === key[i]) i++;
        if (i === n) {
          keyEnd = from + n;
          return guess;
        }
      }
    }
    const to = plainStringEnd(src, from);
    if (to < 0) return -1;
    keyEnd = to;
    for (let s = 0; s < this.keys.length; s++) {
      if (this.keyIs(s, src, from, to)) {
        this.follows[slot] = s;
        return s;
      }
    }
    return -1;
  }

  /** Whether src[from, to) is one of the record's keys. */
  knows(src: Buffer, from: number, to: number): boolean {
    for (let s = 0; s < this.keys.length; s++) if (this.keyIs(s, src, from, to)) return true;
    return false;
  }

  private keyIs(s: number, src: Buffer, from: number, to: number): boolean {
    const key = this.keys[s]!;
    if (key.length !== to - from) return false;
    for (let i = 0; i < key.length; i++) if (src[from + i] !== key[i]) return false;
    return this.steps[s]!.kind !== 'catch-all';
  }
}

/** Where the key RecordPlan.keyAt last read ends (its closing quote). */
let keyEnd = -1;

/** Tells each object read apart in `seen` without clearing it. */
let epoch = 0;

/** Where an object's members stand: another one (at its key's quote), none left (past `}`), or not JSON. */
const MORE = 1;
const DONE = 0;
const BAD = -1;

/** Just inside an object's `{`: MORE at the first key, DONE past an empty object's `}`, or BAD. */
function firstMember(at: Reader): number {
  const c = skipSpace(at);
  if (c === CLOSE_OBJECT) {
    at.pos++;
    return DONE;
  }
  return c === QUOTE ? MORE : BAD;
}

/** After a member's value: MORE at the next key, DONE past the object's `}`, or BAD. */
function afterMember(at: Reader): number {
  const c = skipSpace(at);
  if (c === COMMA) {
    at.pos++;
    return skipSpace(at) === QUOTE ? MORE : BAD;
  }
  if (c !== CLOSE_OBJECT) return BAD;
  at.pos++;
  return DONE;
}

/** Past the `:` after the key whose closing quote is at `keyTo`, at the value; false without one. */
function toValue(at: Reader, keyTo: number): boolean {
  at.pos = keyTo + 1;
  if (skipSpace(at) !== COLON) return false;
  at.pos++;
  skipSpace(at);
  return true;
}

/** What the in-order pass returns for an object whose keys are not in the schema's order. */
const OUT_OF_ORDER = 3;

function recordWriter(plan: RecordPlan, plans: ReadonlyMap<RecordConverter, RecordPlan>): RawWrite {
  const catchAll = plan.rc.catchAll;
  const steps = plan.steps;
  const rejected = (optional: boolean): Outcome => (optional && catchAll ? DECLINE : MISFIT);

  /** A step whose key the object does not have (a catch-all step writes its empty value). */
  const writeMissing = (step: Step<RawWrite>, w: ByteWriter): Outcome => {
    if (step.kind === 'catch-all') {
      w.buf[w.pos++] = 0;
      return OK;
    }
    const g = step.group;
    if (!g.optional) return MISFIT;
    if (g.unsetNull && catchAll) return DECLINE;
    const nulls = step.kind === 'oneOf' ? step.alternatives.length : 1;
    for (let k = 0; k < nulls; k++) w.buf[w.pos++] = 0;
    return OK;
  };

  /** The value at `at.pos` of a step's key (null included). */
  const writePresent = (step: Step<RawWrite>, at: Reader, w: ByteWriter): Outcome => {
    if (step.kind === 'catch-all') return DECLINE; // (no key maps to it)
    const b = at.src;
    const g = step.group;
    const valueFrom = at.pos;
    if (matches(b, valueFrom, NULL)) {
      if (!g.optional) return MISFIT;
      if (!g.unsetNull && catchAll) return DECLINE;
      const nulls = step.kind === 'oneOf' ? step.alternatives.length : 1;
      for (let k = 0; k < nulls; k++) w.buf[w.pos++] = 0;
      at.pos += 4;
      return OK;
    }
    if (step.kind === 'field') {
      if (step.nullable) w.buf[w.pos++] = 2;
      const r = step.write(at, w);
      return r === OK ? OK : r === MISFIT ? rejected(g.optional) : DECLINE;
    }
    // A oneOf: the alternative the converter chooses (pickVariant).
    const chosen =
      b[valueFrom] === OPEN_OBJECT
        ? chooseRecord(step.alternatives, plans, at, w, valueFrom)
        : chooseOther(step.alternatives, at, w, valueFrom);
    if (chosen === DECLINED) return DECLINE;
    if (chosen < 0) return rejected(g.optional);
    for (let k = chosen + 1; k < step.alternatives.length; k++) w.buf[w.pos++] = 0;
    return OK;
  };

  /**
   * One pass, for an object whose keys come in the schema's order (most of Ashby's records):
   * each value is written as it is read. OUT_OF_ORDER as soon as a key comes before one
   * already read (a repeated key included).
   */
  const inOrder = (at: Reader, w: ByteWriter): Outcome | typeof OUT_OF_ORDER => {
    const b = at.src;
    at.pos++;
    let next = 0;
    let more = firstMember(at);
    for (let previous = -1; more === MORE;) {
      const s = plan.keyAt(b, at.pos + 1, previous);
      if (s < 0) return DECLINE;
      if (s < next) return OUT_OF_ORDER;
      const keyTo = keyEnd;
      // The keys skipped may yet come later (out of order): only the two passes can tell.
      for (; next < s; next++) if (writeMissing(steps[next]!, w) !== OK) return OUT_OF_ORDER;
      if (!toValue(at, keyTo)) return DECLINE;
      const r = writePresent(steps[s]!, at, w);
      if (r !== OK) return r;
      next = s + 1;
      previous = s;
      more = afterMember(at);
    }
    if (more === BAD) return DECLINE;
    for (; next < steps.length; next++) {
      const r = writeMissing(steps[next]!, w);
      if (r !== OK) return r;
    }
    return OK;
  };

  /**
   * Two passes, for any key order: first where each member's value lies (a repeated key
   * declines), then the fields in the schema's order.
   */
  const anyOrder = (at: Reader, w: ByteWriter): Outcome => {
    const b = at.src;
    const own = !plan.busy;
    const starts = own ? plan.starts : new Int32Array(steps.length);
    const ends = own ? plan.ends : new Int32Array(steps.length);
    const seen = own ? plan.seen : new Int32Array(steps.length);
    plan.busy = true;
    try {
      if (++epoch > 0x3fffffff) {
        epoch = 1;
        seen.fill(0);
      }
      const mark = epoch;
      at.pos++;
      let more = firstMember(at);
      for (let previous = -1; more === MORE;) {
        const s = plan.keyAt(b, at.pos + 1, previous);
        if (s < 0 || seen[s] === mark) return DECLINE;
        seen[s] = mark;
        previous = s;
        if (!toValue(at, keyEnd)) return DECLINE;
        starts[s] = at.pos;
        const end = valueEnd(b, at.pos);
        if (end < 0) return DECLINE;
        ends[s] = end;
        at.pos = end;
        more = afterMember(at);
      }
      if (more === BAD) return DECLINE;
      const after = at.pos;
      for (let s = 0; s < steps.length; s++) {
        const step = steps[s]!;
        if (seen[s] !== mark || step.kind === 'catch-all') {
          const r = writeMissing(step, w);
          if (r !== OK) return r;
          continue;
        }
        at.pos = starts[s]!;
        const r = writePresent(step, at, w);
        if (r !== OK) return r;
        // The value must end where the first pass found its end (no trailing bytes).
        if (at.pos !== ends[s]) return DECLINE;
      }
      at.pos = after;
      return OK;
    } finally {
      if (own) plan.busy = false;
    }
  };

  return (at, w) => {
    const b = at.src;
    const from = at.pos;
    if (b[from] !== OPEN_OBJECT) return isScalarStart(b[from]) || b[from] === OPEN_ARRAY ? MISFIT : DECLINE;
    // After an object out of order, the next ones of this record go straight to the two passes
    // for a while: some of Ashby's records (applications, jobs, job postings) never come in the
    // schema's order.
    if (plan.skipInOrder > 0) {
      plan.skipInOrder--;
      return anyOrder(at, w);
    }
    const out = w.pos;
    const r = inOrder(at, w);
    if (r !== OUT_OF_ORDER) return r;
    plan.skipInOrder = IN_ORDER_RETRY_AFTER;
    at.pos = from;
    w.pos = out;
    return anyOrder(at, w);
  };
}

/** Objects of a record read in two passes after one came out of order, before one pass is tried again. */
const IN_ORDER_RETRY_AFTER = 100;

const DECLINED = -2;

/**
 * Writes alternative k of a oneOf at `start` (the nulls of the ones before it, its branch, the
 * value read again from `valueFrom`), as tryAlternative of direct-writer.ts does.
 */
function tryAlternative(
  alternatives: Alternative<RawWrite>[],
  k: number,
  at: Reader,
  w: ByteWriter,
  start: number,
  valueFrom: number,
): Outcome {
  w.pos = start;
  at.pos = valueFrom;
  for (let j = 0; j < k; j++) w.buf[w.pos++] = 0;
  w.buf[w.pos++] = 2;
  return alternatives[k]!.write(at, w);
}

/** chooseOther of direct-writer.ts, on bytes: the first non-record alternative that takes the value. */
function chooseOther(alternatives: Alternative<RawWrite>[], at: Reader, w: ByteWriter, valueFrom: number): number {
  const start = w.pos;
  for (let k = 0; k < alternatives.length; k++) {
    if (alternatives[k]!.record) continue;
    const r = tryAlternative(alternatives, k, at, w, start, valueFrom);
    if (r === OK) return k;
    if (r === DECLINE) return DECLINED;
  }
  return -1;
}

/** Key offsets of the object being scored: [from0, to0, from1, to1, …]. */
let keySpans = new Int32Array(64);

/**
 * chooseRecord of direct-writer.ts, on bytes: of the record alternatives that take the object,
 * the one that knows most of its keys (the first on a tie, and at least one key). A `json`
 * alternative, the last resort there, declines here.
 */
function chooseRecord(
  alternatives: Alternative<RawWrite>[],
  plans: ReadonlyMap<RecordConverter, RecordPlan>,
  at: Reader,
  w: ByteWriter,
  valueFrom: number,
): number {
  const b = at.src;
  // The object's keys (a repeated one counts twice here; that alternative's writer then declines).
  let keys = 0;
  at.pos = valueFrom + 1;
  let c = skipSpace(at);
  if (c !== CLOSE_OBJECT) {
    for (;;) {
      if (c !== QUOTE) return DECLINED;
      const from = at.pos + 1;
      const to = plainStringEnd(b, from);
      if (to < 0) return DECLINED;
      if (keys * 2 + 2 > keySpans.length) {
        const grown = new Int32Array(keySpans.length * 2);
        grown.set(keySpans);
        keySpans = grown;
      }
      keySpans[keys * 2] = from;
      keySpans[keys * 2 + 1] = to;
      keys++;
      at.pos = to + 1;
      if (skipSpace(at) !== COLON) return DECLINED;
      at.pos++;
      skipSpace(at);
      const end = valueEnd(b, at.pos);
      if (end < 0) return DECLINED;
      at.pos = end;
      c = skipSpace(at);
      if (c === CLOSE_OBJECT) break;
      if (c !== COMMA) return DECLINED;
      at.pos++;
      c = skipSpace(at);
    }
  }
  const scores = alternatives.map((a) => {
    const plan = a.record && plans.get(a.record);
    if (!plan) return 0;
    let score = 0;
    for (let k = 0; k < keys; k++) if (plan.knows(b, keySpans[k * 2]!, keySpans[k * 2 + 1]!)) score++;
    return score;
  });
  const start = w.pos;
  for (;;) {
    let best = -1;
    for (let k = 0; k < alternatives.length; k++)
      if (scores[k]! > 0 && (best < 0 || scores[k]! > scores[best]!)) best = k;
    if (best < 0) break;
    const r = tryAlternative(alternatives, best, at, w, start, valueFrom);
    if (r === OK) return best;
    if (r === DECLINE) return DECLINED;
    scores[best] = 0;
  }
  return alternatives.some((a) => a.json) ? DECLINED : -1;
}

const declineAll: RawWrite = () => DECLINE;

/**
 * Compiles the byte-level writer of a converter tree from compileSchema (a stream's record).
 * It returns false for a record it cannot write; the caller parses that one.
 */
export function compileRawWriter(root: Converter): RawBodyWriter {
  const cache = new Map<Converter, RawWrite>();
  const plans = new Map<RecordConverter, RecordPlan>();
  const writerOf = (c: Converter): RawWrite => {
    const cached = cache.get(c);
    if (cached) return cached;
    if (c instanceof RecordConverter) {
      let inner: RawWrite = declineAll;
      const forward: RawWrite = (at, w) => inner(at, w);
      cache.set(c, forward);
      const steps = recordSteps(c, writerOf);
      if (steps) {
        const plan = new RecordPlan(c, steps);
        plans.set(c, plan);
        inner = recordWriter(plan, plans);
      }
      return forward;
    }
    let out: RawWrite;
    if (c instanceof ArrayConverter) out = arrayWriter(writerOf(c.items), c.nullableItems);
    else if (c instanceof EnumConverter) out = enumWriter(c);
    else if (c === STRING) out = rawString;
    else if (c === BOOLEAN) out = rawBoolean;
    else if (c === DOUBLE) out = floatingWriter(8);
    else if (c === FLOAT) out = floatingWriter(4);
    else if (c === LONG) out = integerWriter(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    else if (c === INT) out = integerWriter(-(2 ** 31), 2 ** 31 - 1);
    else if (c === TIMESTAMP) out = rawTimestamp;
    else if (c === DATE) out = rawDate;
    else if (c === JSON_VALUE) out = rawJson;
    else out = declineAll;
    cache.set(c, out);
    return out;
  };
  const write = writerOf(root);
  const at: Reader = { src: NO_BYTES, view: NO_VIEW, pos: 0 };
  return (json, w) => {
    const src = json.src;
    at.src = src;
    // (A body released after its page was encoded has no bytes, and no view can be made of it.)
    at.view = src.length >= 4 ? new DataView(src.buffer, src.byteOffset, src.length) : NO_VIEW;
    at.pos = json.start;
    try {
      skipSpace(at);
      if (write(at, w) !== OK) return false;
      skipSpace(at);
      return at.pos === json.end;
    } finally {
      // The reader lives as long as the writer, that is as long as the pipeline. Left pointing
      // at the page's body, it kept that body alive until the pipeline's next page: a body of
      // about 200 KB per pipeline, 10 MB in a worker with 50 pipelines of candidates
      // (docs/profiles/serve-cpu.md, sixth round).
      at.src = NO_BYTES;
      at.view = NO_VIEW;
    }
  };
}
