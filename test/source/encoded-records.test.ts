import { HEADERS, selectedHeaders } from '../../src/source/headers.js';
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
    1_700_000_000_000,
  );

  it('gives record i its key, its slice of the values and its headers', () => {
    expect(page.length).toBe(2);
    expect(page.record(0)).toEqual({
      topic: 'ashby.candidates',
      key: 'a1',
      value: Buffer.from('x'),
      headers,
      timestamp: 1_700_000_000_000,
    });
    expect(page.record(1)).toEqual({
      topic: 'ashby.candidates',
      key: Buffer.from([2, 0x62]),
      value: Buffer.from('yzw'),
      headers: own,
      timestamp: 1_700_000_000_000,
    });
    expect(page.all()).toEqual([page.record(0), page.record(1)]);
  });

  it('counts key and value bytes (UTF-8 for string keys)', () => {
    expect(page.payloadBytes()).toBe(4 + 2 + 2);
    const utf8 = new EncodedRecords('t', ['é'], Buffer.from('v'), [1], headers, undefined, 0);
    expect(utf8.payloadBytes()).toBe(1 + 2);
  });

  it('an empty page has no records and no bytes', () => {
    const empty = new EncodedRecords('t', [], Buffer.alloc(0), [], headers, undefined, 0);
    expect(empty.length).toBe(0);
    expect(empty.all()).toEqual([]);
    expect(empty.payloadBytes()).toBe(0);
  });

  it('a page without headers (source.headers: none) gives records none, and still their timestamp', () => {
    const bare = new EncodedRecords('t', ['a'], Buffer.from('v'), [1], undefined, new Map([[0, own]]), 5);
    expect(bare.record(0)).toEqual({ topic: 't', key: 'a', value: Buffer.from('v'), headers: own, timestamp: 5 });
    const none = new EncodedRecords('t', ['a', 'b'], Buffer.from('vw'), [1, 2], undefined, undefined, 5);
    expect(none.all().map((r) => [r.headers, r.timestamp])).toEqual([
      [undefined, 5],
      [undefined, 5],
    ]);
  });
});

describe('selectedHeaders', () => {
  it('reads source.headers: none, all, or a list', () => {
    expect([...selectedHeaders('none')]).toEqual([]);
    expect([...selectedHeaders('all')]).toEqual([
      'ashby.stream',
      'ashby.sync_mode',
      'ashby.sync_run_id',
      'ashby.request_id',
      'ashby.emitted_at',
    ]);
    expect([...selectedHeaders([HEADERS.runId, HEADERS.syncMode])]).toEqual(['ashby.sync_run_id', 'ashby.sync_mode']);
  });
});
