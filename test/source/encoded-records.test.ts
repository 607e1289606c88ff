import { EncodedRecords } from '../../src/source/runtime/stream-task.js';

/** A page's encoded records (src/source/runtime/stream-task.ts): one values Buffer, made into records one at a time. */
describe('EncodedRecords', () => {
  const headers = Object.freeze({ 'ashby.stream': 'candidates' });
  const own = { 'ashby.stream': 'candidates', 'ashby-kafka.origin': 'sink' };
  const page = new EncodedRecords(
    'ashby.candidates',
    ['a1', Buffer.from([2, 0x62])],
    Buffer.from('xyzw'),
    [1, 4],
    headers,
    new Map([[1, own]]),
  );

  it('gives record i its key, its slice of the values and its headers', () => {
    expect(page.length).toBe(2);
    expect(page.record(0)).toEqual({ topic: 'ashby.candidates', key: 'a1', value: Buffer.from('x'), headers });
    expect(page.record(1)).toEqual({
      topic: 'ashby.candidates',
      key: Buffer.from([2, 0x62]),
      value: Buffer.from('yzw'),
      headers: own,
    });
    expect(page.all()).toEqual([page.record(0), page.record(1)]);
  });

  it('counts key and value bytes (UTF-8 for string keys)', () => {
    expect(page.payloadBytes()).toBe(4 + 2 + 2);
    const utf8 = new EncodedRecords('t', ['é'], Buffer.from('v'), [1], headers, undefined);
    expect(utf8.payloadBytes()).toBe(1 + 2);
  });

  it('an empty page has no records and no bytes', () => {
    const empty = new EncodedRecords('t', [], Buffer.alloc(0), [], headers, undefined);
    expect(empty.length).toBe(0);
    expect(empty.all()).toEqual([]);
    expect(empty.payloadBytes()).toBe(0);
  });
});
