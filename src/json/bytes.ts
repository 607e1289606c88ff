/**
 * JSON read at the byte level, without parsing it into objects: where a value ends, whether a
 * string is plain, a top-level string member. For the source's hot path, where Ashby's list
 * pages are turned into Avro bytes (src/avro/mapping/raw-writer.ts, src/ashby/json-body.ts).
 *
 * Nothing here validates JSON as a whole; whoever accepts bytes checks what it reads, and
 * anything else goes to `JSON.parse`.
 */

export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const OPEN_OBJECT = 0x7b;
export const CLOSE_OBJECT = 0x7d;
export const OPEN_ARRAY = 0x5b;
export const CLOSE_ARRAY = 0x5d;

/** Bodies smaller than this are left to the garbage collector (releasing them gains nothing). */
const MIN_RELEASABLE_BYTES = 16 * 1024;

/** ArrayBuffers of response bodies that their reader may release (markReleasable). */
const releasable = new WeakSet<ArrayBuffer>();

/**
 * Marks a response body whose memory may be handed back as soon as its page is encoded
 * (releaseBody). Only a body that is the whole of an ArrayBuffer of its own is marked, never a
 * slice of node's Buffer pool or of anything else. Returns the body.
 */
export function markReleasable(body: Buffer): Buffer {
  const ab = body.buffer;
  if (
    ab instanceof ArrayBuffer &&
    body.byteOffset === 0 &&
    body.byteLength === ab.byteLength &&
    body.byteLength >= MIN_RELEASABLE_BYTES
  )
    releasable.add(ab);
  return body;
}

/**
 * Hands a marked body's memory back now rather than at V8's next full collection: its
 * ArrayBuffer is detached (its memory moved to a copy that nothing keeps), so the Buffer reads
 * as empty from then on. Only for a body that nothing will read again. Unmarked bodies are left
 * as they are. Returns whether the body was released.
 *
 * Why: in a worker with many pipelines, V8 moved most page bodies into its old generation even
 * though each is dropped a few milliseconds after it arrives, and started a full collection for
 * every 64 MB of them (docs/profiles/serve-cpu.md, sixth round).
 */
export function releaseBody(body: Buffer): boolean {
  const ab = body.buffer as ArrayBuffer;
  if (!releasable.delete(ab)) return false;
  structuredClone(ab, { transfer: [ab] });
  return true;
}

/** The bytes of one JSON value, src[start, end); `parse()` gives what `JSON.parse` of its text does. */
export class JsonSlice {
  constructor(
    readonly src: Buffer,
    readonly start: number,
    readonly end: number,
  ) {}

  /** JSON.parse of the slice's UTF-8 text (throws as it does). */
  parse(): unknown {
    return JSON.parse(this.src.toString('utf8', this.start, this.end));
  }

  /**
   * The value of the first member `key` of the object, when it is a string without escapes;
   * undefined otherwise (no such member, another type, an escape, or not an object). With a
   * repeated key, `JSON.parse` keeps the last one: a caller that needs the exact value must know
   * the object has no repeated keys.
   */
  firstString(key: string): string | undefined {
    const b = this.src;
    let p = skipSpaceAt(b, this.start);
    if (b[p] !== OPEN_OBJECT) return undefined;
    p = skipSpaceAt(b, p + 1);
    while (p < this.end && b[p] === QUOTE) {
      const keyTo = plainStringEnd(b, p + 1);
      if (keyTo < 0) return undefined;
      const isKey = textIs(b, p + 1, keyTo, key);
      p = skipSpaceAt(b, keyTo + 1);
      if (b[p] !== COLON) return undefined;
      p = skipSpaceAt(b, p + 1);
      if (isKey) {
        if (b[p] !== QUOTE) return undefined;
        const to = plainStringEnd(b, p + 1);
        return to < 0 ? undefined : b.toString('utf8', p + 1, to);
      }
      p = valueEnd(b, p);
      if (p < 0) return undefined;
      p = skipSpaceAt(b, p);
      if (b[p] !== COMMA) return undefined;
      p = skipSpaceAt(b, p + 1);
    }
    return undefined;
  }
}

/** Whether b[from, to) is the text `s` (of chars below 0x80). */
function textIs(b: Buffer, from: number, to: number, s: string): boolean {
  if (to - from !== s.length) return false;
  for (let i = 0; i < s.length; i++) if (b[from + i] !== s.charCodeAt(i)) return false;
  return true;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** The first offset from `p` that is not JSON whitespace. */
export function skipSpaceAt(b: Buffer, p: number): number {
  while (p < b.length && isSpace(b[p]!)) p++;
  return p;
}

/**
 * End (the offset of the closing quote) of the string whose text starts at `p`, or -1 when it
 * holds a backslash, a control character or bytes that are not UTF-8: a string whose bytes are
 * its text. (A loop over the bytes: Buffer's indexOf is a call into C++ that costs more than the
 * short strings it would skip.)
 */
export function plainStringEnd(b: Buffer, p: number): number {
  const n = b.length;
  while (p < n) {
    const c = b[p]!;
    if (c === QUOTE) return p;
    if (c < 0x80) {
      if (c < 0x20 || c === BACKSLASH) return -1;
      p++;
      continue;
    }
    const k = utf8SequenceLength(b, p, n);
    if (k < 0) return -1;
    p += k;
  }
  return -1;
}

/**
 * Length of the well-formed UTF-8 sequence at `p` (its first byte 0x80 or above) that ends
 * before `end`, or -1 (what Buffer's UTF-8 decoding would replace with U+FFFD).
 */
export function utf8SequenceLength(b: Buffer, p: number, end: number): number {
  const c = b[p]!;
  let n: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) n = 2;
  else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    if (c === 0xe0) lo = 0xa0;
    else if (c === 0xed) hi = 0x9f; // no surrogates
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    if (c === 0xf0) lo = 0x90;
    else if (c === 0xf4) hi = 0x8f;
  } else return -1;
  if (p + n > end) return -1;
  const second = b[p + 1]!;
  if (second < lo || second > hi) return -1;
  for (let k = 2; k < n; k++) {
    const x = b[p + k]!;
    if (x < 0x80 || x > 0xbf) return -1;
  }
  return n;
}

/**
 * Offset just past the value that starts at `p` (a string, object, array or bare token), or -1
 * when a string or a bracket is not closed. Only finds the end: it checks nothing else.
 */
export function valueEnd(b: Buffer, p: number): number {
  const c = b[p];
  const n = b.length;
  if (c === QUOTE) {
    for (p++; p < n; p++) {
      const x = b[p]!;
      if (x === QUOTE) return p + 1;
      if (x === BACKSLASH) p++;
    }
    return -1;
  }
  if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
    let depth = 0;
    while (p < n) {
      const x = b[p]!;
      if (x === QUOTE) {
        p = valueEnd(b, p);
        if (p < 0) return -1;
        continue;
      }
      if (x === OPEN_OBJECT || x === OPEN_ARRAY) depth++;
      else if (x === CLOSE_OBJECT || x === CLOSE_ARRAY) {
        if (--depth === 0) return p + 1;
      }
      p++;
    }
    return -1;
  }
  // A number or a literal: up to the next separator.
  while (p < n) {
    const x = b[p]!;
    if (x === COMMA || x === CLOSE_OBJECT || x === CLOSE_ARRAY || isSpace(x)) break;
    p++;
  }
  return p;
}
