/**
 * Parses the bytes of an Ashby response into what `JSON.parse` of their UTF-8 text gives, more
 * cheaply for list pages.
 *
 * A page of 100 candidates is about 200 KB. Decoded as one string, it lands in V8's large-object
 * space, and allocating and collecting that string cost more than parsing it
 * (docs/profiles/serve-cpu.md). So a large body's `results` array is cut into its elements at the
 * byte level, and each element is decoded and parsed on its own: small strings, in the young
 * generation. The envelope around the array is parsed with `[]` in its place.
 *
 * With `slices`, the elements are not parsed at all: each is left as its bytes (a JsonSlice),
 * which the source writes to Avro without parsing (src/avro/mapping/raw-writer.ts) and parses
 * only when it must. An element that is not valid JSON then fails where it is read, not here.
 *
 * The cut is a byte scan that knows JSON strings (with their escapes) and nesting, and nothing
 * else. Whenever the body is not the plain shape it expects (no `results` array, two of them, an
 * element that is not an object or array, anything between elements but commas and whitespace,
 * or any parse error), it falls back to one `JSON.parse` of the whole text, so the result and
 * the errors are always those of `JSON.parse`.
 */

import {
  BACKSLASH,
  CLOSE_ARRAY,
  CLOSE_OBJECT,
  COMMA,
  JsonSlice,
  OPEN_ARRAY,
  OPEN_OBJECT,
  QUOTE,
} from '../json/bytes.js';

/** Bodies smaller than this are parsed whole: their one string is an ordinary young allocation. */
export const SPLIT_MIN_BYTES = 64 * 1024;

const RESULTS_KEY = '"results"';

export interface ParseOptions {
  /** Leave each element of a large body's `results` as its bytes: a JsonSlice (see above). */
  slices?: boolean;
}

/**
 * JSON.parse of the body as UTF-8 text (a leading BOM is skipped). Throws as JSON.parse does.
 * With `slices`, the elements of a large body's `results` may be JsonSlices.
 */
export function parseJsonBody(bytes: Buffer, options: ParseOptions = {}): unknown {
  const start = hasBom(bytes) ? 3 : 0;
  if (bytes.length - start >= SPLIT_MIN_BYTES) {
    const parsed = parseSplit(bytes, start, options.slices === true);
    if (parsed !== undefined) return parsed;
  }
  return JSON.parse(bytes.toString('utf8', start));
}

function hasBom(b: Buffer): boolean {
  return b.length > 2 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
}

/** Where the top-level `results` array and its elements lie: [start, end) byte offsets. */
export interface ResultsLayout {
  arrayStart: number;
  arrayEnd: number;
  /** Start and end of each element, flattened: [s0, e0, s1, e1, …]. */
  elements: number[];
}

/**
 * Finds the top-level `results` array of a JSON object and the bounds of each of its elements,
 * or undefined when the body is not that plain shape (see the module comment). Does not validate
 * the JSON: the parse that follows does.
 */
export function findResults(b: Buffer, from = 0): ResultsLayout | undefined {
  const n = b.length;
  let p = from;
  let depth = 0;
  let keyStart = -1;
  let keyEnd = -1;
  let layout: ResultsLayout | undefined;
  let inResults = false;
  let elementStart = -1;
  while (p < n) {
    const c = b[p]!;
    if (c === QUOTE) {
      const s = p;
      p = stringEnd(b, p + 1);
      if (p < 0) return undefined;
      // At depth 1 the last string before a `[` is that array's key.
      if (depth === 1) {
        keyStart = s;
        keyEnd = p;
      }
      continue;
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (depth === 0 && c !== OPEN_OBJECT) return undefined;
      if (depth === 1 && c === OPEN_ARRAY && isResultsKey(b, keyStart, keyEnd)) {
        if (layout) return undefined; // two `results` keys: leave the choice to JSON.parse
        layout = { arrayStart: p, arrayEnd: -1, elements: [] };
        inResults = true;
      } else if (inResults && depth === 2) {
        elementStart = p;
      }
      depth++;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
      if (inResults && depth === 2) {
        layout!.elements.push(elementStart, p + 1);
      } else if (inResults && depth === 1) {
        layout!.arrayEnd = p + 1;
        inResults = false;
      }
    }
    p++;
  }
  if (!layout || layout.arrayEnd < 0 || depth !== 0) return undefined;
  return onlySeparators(b, layout) ? layout : undefined;
}

/** Offset just past the closing quote of the string whose body starts at `p`, or -1. */
function stringEnd(b: Buffer, p: number): number {
  for (;;) {
    const q = b.indexOf(QUOTE, p);
    if (q < 0) return -1;
    let backslashes = 0;
    for (let k = q - 1; b[k] === BACKSLASH; k--) backslashes++;
    if ((backslashes & 1) === 0) return q + 1;
    p = q + 1;
  }
}

function isResultsKey(b: Buffer, start: number, end: number): boolean {
  return end - start === RESULTS_KEY.length && b.toString('latin1', start, end) === RESULTS_KEY;
}

/** True when the array holds nothing but its elements, commas and whitespace. */
function onlySeparators(b: Buffer, layout: ResultsLayout): boolean {
  const e = layout.elements;
  let from = layout.arrayStart + 1;
  for (let i = 0; i <= e.length; i += 2) {
    const to = i < e.length ? e[i]! : layout.arrayEnd - 1;
    const needsComma = i > 0 && i < e.length;
    let commas = 0;
    for (let p = from; p < to; p++) {
      const c = b[p]!;
      if (c === COMMA) commas++;
      else if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
    }
    if (commas !== (needsComma ? 1 : 0)) return false;
    if (i < e.length) from = e[i + 1]!;
  }
  return true;
}

function parseSplit(b: Buffer, start: number, slices: boolean): unknown {
  const layout = findResults(b, start);
  if (!layout) return undefined;
  try {
    const envelope = JSON.parse(
      `${b.toString('utf8', start, layout.arrayStart)}[]${b.toString('utf8', layout.arrayEnd)}`,
    ) as Record<string, unknown>;
    const e = layout.elements;
    const results = new Array<unknown>(e.length / 2);
    if (slices) for (let i = 0; i < e.length; i += 2) results[i >> 1] = new JsonSlice(b, e[i]!, e[i + 1]!);
    else for (let i = 0; i < e.length; i += 2) results[i >> 1] = JSON.parse(b.toString('utf8', e[i], e[i + 1]));
    envelope.results = results;
    return envelope;
  } catch {
    return undefined;
  }
}
