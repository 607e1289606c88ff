import { findResults, parseJsonBody, SPLIT_MIN_BYTES } from '../../src/ashby/json-body.js';
import { JsonSlice } from '../../src/json/bytes.js';

/** A list page large enough to be split, with the strings that could trip a byte scan. */
function page(count = 150, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const results = Array.from({ length: count }, (_, i) => ({
    id: `c-${i}`,
    name: i % 3 === 0 ? `Zoë Ångström ${i} 日本` : `Name ${i}`,
    quote: 'she said "hi" and left a \\ backslash',
    trailing: 'ends with a backslash \\',
    brackets: '}]{["results":[',
    escaped: '\\"not the end\\"',
    nested: { results: [1, 2, { x: '[' }], list: [[], {}, [{ a: null }]] },
    emails: [{ value: `c${i}@example.com`, isPrimary: true }],
    score: i / 7,
    big: 1e21,
    negative: -0.000123,
    flag: i % 2 === 0,
    empty: '',
    padding: 'x'.repeat(400),
  }));
  return { success: true, results, moreDataAvailable: true, nextCursor: 'cur"sor]', syncToken: 'tok', ...extra };
}

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('parseJsonBody', () => {
  it('splits a large page record by record and gives what JSON.parse gives', () => {
    const text = JSON.stringify(page());
    const b = bytes(text);
    expect(b.length).toBeGreaterThan(SPLIT_MIN_BYTES);
    const layout = findResults(b);
    expect(layout?.elements.length).toBe(300); // 150 records: the split path is taken
    expect(parseJsonBody(b)).toEqual(JSON.parse(text));
    // Key order of the envelope is kept.
    expect(Object.keys(parseJsonBody(b) as object)).toEqual(Object.keys(JSON.parse(text) as object));
  });

  it('reads pretty-printed pages and a leading BOM', () => {
    const text = JSON.stringify(page(), null, 2);
    expect(findResults(bytes(text))).toBeDefined();
    expect(parseJsonBody(bytes(text))).toEqual(JSON.parse(text));
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes(text)]);
    expect(parseJsonBody(bom)).toEqual(JSON.parse(text));
  });

  it('finds the top-level results whether it comes first or last', () => {
    const p = page();
    const last = JSON.stringify({ success: true, moreDataAvailable: false, results: p.results });
    expect(findResults(bytes(last))).toBeDefined();
    expect(parseJsonBody(bytes(last))).toEqual(JSON.parse(last));
  });

  it('falls back to one JSON.parse for shapes it does not cut', () => {
    const mixed = JSON.stringify({ ...page(), results: [...(page().results as unknown[]), 'a string', 42, null] });
    expect(findResults(bytes(mixed))).toBeUndefined();
    expect(parseJsonBody(bytes(mixed))).toEqual(JSON.parse(mixed));

    // Two `results` keys: JSON.parse keeps the last; so must we.
    const body = JSON.stringify(page());
    const twice = `${body.slice(0, -1)},"results":[{"id":"only"}]}`;
    expect(findResults(bytes(twice))).toBeUndefined();
    expect(parseJsonBody(bytes(twice))).toEqual(JSON.parse(twice));

    // A top-level array is not an envelope.
    const array = JSON.stringify([page()]);
    expect(findResults(bytes(array))).toBeUndefined();
    expect(parseJsonBody(bytes(array))).toEqual(JSON.parse(array));
  });

  it('throws what JSON.parse throws for invalid bodies', () => {
    const body = JSON.stringify(page());
    const trailingComma = body.replace(/\],"moreDataAvailable"/, ',],"moreDataAvailable"');
    expect(trailingComma).not.toBe(body);
    expect(() => parseJsonBody(bytes(trailingComma))).toThrow(SyntaxError);
    expect(() => parseJsonBody(bytes(body.slice(0, body.length - 100)))).toThrow(SyntaxError);
    // A broken record inside an otherwise well-formed page.
    const brokenRecord = body.replace('"score":', '"score"');
    expect(() => parseJsonBody(bytes(brokenRecord))).toThrow(SyntaxError);
    expect(() => parseJsonBody(bytes('not json'))).toThrow(SyntaxError);
  });

  it('with slices, leaves the results of a large page as their bytes, and parses small pages whole', () => {
    const text = JSON.stringify(page(), null, 2);
    const envelope = parseJsonBody(bytes(text), { slices: true }) as { results: unknown[] };
    const expected = JSON.parse(text) as { results: unknown[] };
    expect(envelope.results.every((r) => r instanceof JsonSlice)).toBe(true);
    expect(envelope.results.map((r) => (r as JsonSlice).parse())).toEqual(expected.results);
    expect({ ...envelope, results: [] }).toEqual({ ...expected, results: [] });
    const small = bytes(JSON.stringify({ success: true, results: [{ id: 'a' }] }));
    expect(parseJsonBody(small, { slices: true })).toEqual({ success: true, results: [{ id: 'a' }] });
  });

  it('parses small bodies whole', () => {
    const small = JSON.stringify({ success: true, results: [{ id: 'a' }] });
    expect(parseJsonBody(bytes(small))).toEqual({ success: true, results: [{ id: 'a' }] });
    expect(parseJsonBody(bytes('{"success":true,"results":{"id":"x"}}'))).toEqual({
      success: true,
      results: { id: 'x' },
    });
  });
});
