import {
  IDEMPOTENCY_KEY_HEADER,
  ORIGIN_HEADER,
  SINK_ORIGIN,
  SinkWriteIndex,
  isSinkEcho,
} from '../../src/source/loop-guard.js';

/** The two-way sync's loop guard: a record is marked only while its latest change is the sink's write. */

const write = (over: Record<string, unknown> = {}) => ({
  status: 'ok',
  ashbyId: 'c1',
  ashbyUpdatedAt: new Date('2026-12-03T10:00:00.123Z'),
  idempotencyKey: 'ik-1',
  sourceTopic: 't',
  sourcePartition: 0,
  sourceOffset: 7,
  ...over,
});

describe('SinkWriteIndex', () => {
  it("marks the record whose updatedAt is the one the write returned, with the write's key", () => {
    const index = new SinkWriteIndex();
    index.add(write());
    expect(index.echoHeaders('c1', '2026-12-03T10:00:00.123Z')).toEqual({
      [ORIGIN_HEADER]: SINK_ORIGIN,
      [IDEMPOTENCY_KEY_HEADER]: 'ik-1',
    });
    // A later change by someone else moved updatedAt: not an echo.
    expect(index.echoHeaders('c1', '2026-12-03T10:05:00.000Z')).toBeUndefined();
    expect(index.echoHeaders('c2', '2026-12-03T10:00:00.123Z')).toBeUndefined();
  });

  it('keys a write without idempotencyKey by its command position; ignores failed writes and writes without updatedAt', () => {
    const index = new SinkWriteIndex();
    index.add(write({ idempotencyKey: null }));
    expect(index.echoHeaders('c1', '2026-12-03T10:00:00.123Z')?.[IDEMPOTENCY_KEY_HEADER]).toBe('t/0/7');
    index.add(write({ ashbyId: 'c2', status: 'dead_lettered' }));
    index.add(write({ ashbyId: 'c3', ashbyUpdatedAt: null }));
    expect(index.size).toBe(1);
  });

  it('keeps the latest write per id, whatever order results are read in, and stays bounded', () => {
    const index = new SinkWriteIndex(2);
    index.add(write({ ashbyUpdatedAt: '2026-12-03T11:00:00.000Z', idempotencyKey: 'late' }));
    index.add(write({ idempotencyKey: 'early' }));
    expect(index.echoHeaders('c1', '2026-12-03T11:00:00.000Z')?.[IDEMPOTENCY_KEY_HEADER]).toBe('late');
    index.add(write({ ashbyId: 'c2' }));
    index.add(write({ ashbyId: 'c3' }));
    expect(index.size).toBe(2);
    expect(index.echoHeaders('c1', '2026-12-03T11:00:00.000Z')).toBeUndefined();
  });
});

describe('isSinkEcho', () => {
  it("reads the origin header as a string, a Buffer, or from node-rdkafka's header list", () => {
    expect(isSinkEcho({ [ORIGIN_HEADER]: SINK_ORIGIN })).toBe(true);
    expect(
      isSinkEcho([{ 'ashby.stream': Buffer.from('candidate') }, { [ORIGIN_HEADER]: Buffer.from(SINK_ORIGIN) }]),
    ).toBe(true);
    expect(isSinkEcho({ [ORIGIN_HEADER]: 'someone-else' })).toBe(false);
    expect(isSinkEcho(undefined)).toBe(false);
  });
});
