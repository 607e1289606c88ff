import { describe, expect, it } from '@jest/globals';
import {
  HISTORY_MINUTES,
  MetricsHistory,
  parseStoredHistory,
  type MinuteCounts,
  type StoredHistory,
} from '../../src/serve/metrics/history.js';

/** The per-minute ring behind GET /pipelines/{name}/history. */
describe('MetricsHistory', () => {
  it('counts per minute and per stream, fills quiet minutes with zeros, keeps one hour', () => {
    let now = Date.parse('2026-12-06T10:00:30Z');
    const h = new MetricsHistory(() => now);
    h.add('p', 'records', 5, 'candidates');
    h.add('p', 'records', 2, 'jobs');
    h.add('p', 'pages', 1);
    h.add('p', 'rate_limited');
    now += 2 * 60_000;
    h.add('p', 'records', 3, 'candidates');
    h.command('p', 'dead_lettered', 1);
    const got = h.get('p').minutes;
    expect(got).toHaveLength(HISTORY_MINUTES);
    expect(got.at(-1)).toEqual({
      minute: '2026-12-06T10:02:00.000Z',
      records: 3,
      pages: 0,
      calls: 0,
      rate_limited: 0,
      retries: 0,
      streams: { candidates: 3 },
      commands: { dead_lettered: 1 },
    });
    expect(got.at(-2)!.records).toBe(0);
    expect(got.at(-3)).toMatchObject({ records: 7, pages: 1, rate_limited: 1, streams: { candidates: 5, jobs: 2 } });
    now += HISTORY_MINUTES * 60_000;
    expect(h.get('p').minutes.every((m) => m.records === 0)).toBe(true);
    expect(h.get('other').minutes).toHaveLength(HISTORY_MINUTES);
  });
});

/** The ring's side of the stored hour (history-store.ts keeps it in the status topic). */
describe('MetricsHistory and the stored hour', () => {
  const at = (iso: string) => Date.parse(iso);
  const minute = (h: { minutes: MinuteCounts[] }, iso: string) => h.minutes.find((m) => m.minute === iso)!;

  it('stores a busy minute once it is over, only once, and the current one only when the pipeline leaves', () => {
    let now = at('2026-12-06T10:00:30Z');
    const h = new MetricsHistory(() => now);
    h.add('p', 'records', 5, 'candidates');
    expect(h.pending('p', 'w1')).toBeUndefined();
    now = at('2026-12-06T10:01:01Z');
    const first = h.pending('p', 'w1')!;
    // Small records: zero counts and empty maps are left out.
    expect(first).toEqual({
      name: 'p',
      worker_id: 'w1',
      minutes: [{ minute: '2026-12-06T10:00:00.000Z', records: 5, streams: { candidates: 5 } }],
    });
    h.stored('p', first);
    expect(h.pending('p', 'w1')).toBeUndefined();
    h.add('p', 'calls');
    expect(h.pending('p', 'w1')).toBeUndefined();
    expect(h.pending('p', 'w1', true)!.minutes.at(-1)).toEqual({ minute: '2026-12-06T10:01:00.000Z', calls: 1 });
    // A quiet minute after it: nothing new to store.
    now = at('2026-12-06T10:03:01Z');
    expect(h.pending('p', 'w1')!.minutes.map((m) => m.minute)).toEqual([
      '2026-12-06T10:00:00.000Z',
      '2026-12-06T10:01:00.000Z',
    ]);
    expect(h.pending('idle', 'w1')).toBeUndefined();
  });

  it('answers from the stored hour on any worker, with the running worker’s current minute over it', () => {
    const now = at('2026-12-06T10:01:20Z');
    const stored: StoredHistory = {
      name: 'p',
      worker_id: 'w1',
      minutes: [
        { minute: '2026-12-06T08:30:00.000Z', records: 99 },
        { minute: '2026-12-06T10:00:00.000Z', records: 5, pages: 1, streams: { candidates: 5 } },
      ],
    };
    const elsewhere = new MetricsHistory(() => now).get('p', stored);
    expect(elsewhere.minutes).toHaveLength(HISTORY_MINUTES);
    expect(minute(elsewhere, '2026-12-06T10:00:00.000Z')).toEqual({
      minute: '2026-12-06T10:00:00.000Z',
      records: 5,
      pages: 1,
      calls: 0,
      rate_limited: 0,
      retries: 0,
      streams: { candidates: 5 },
      commands: {},
    });
    // Older than the hour: not shown.
    expect(elsewhere.minutes.reduce((n, m) => n + m.records, 0)).toBe(5);

    const owner = new MetricsHistory(() => now);
    owner.merge('p', stored);
    owner.add('p', 'records', 2, 'jobs');
    const got = owner.get('p', stored);
    expect(minute(got, '2026-12-06T10:00:00.000Z').records).toBe(5);
    expect(minute(got, '2026-12-06T10:01:00.000Z')).toMatchObject({ records: 2, streams: { jobs: 2 } });
  });

  it('a new owner goes on from the stored hour and adds the old owner’s late last write once', () => {
    let now = at('2026-12-06T10:01:20Z');
    const next = new MetricsHistory(() => now);
    const periodic: StoredHistory = {
      name: 'p',
      worker_id: 'w1',
      minutes: [{ minute: '2026-12-06T10:00:00.000Z', records: 5, streams: { candidates: 5 } }],
    };
    next.merge('p', periodic);
    // Already stored by the old owner: no write of its own yet.
    expect(next.pending('p', 'w2')).toBeUndefined();
    next.add('p', 'records', 2, 'candidates');
    // The old owner finished its page and stored its whole hour after the new one started.
    const last: StoredHistory = {
      name: 'p',
      worker_id: 'w1',
      minutes: [
        { minute: '2026-12-06T10:00:00.000Z', records: 5, streams: { candidates: 5 } },
        { minute: '2026-12-06T10:01:00.000Z', records: 3, calls: 4, streams: { candidates: 3 } },
      ],
    };
    next.merge('p', last);
    next.merge('p', last);
    let got = next.get('p');
    expect(minute(got, '2026-12-06T10:00:00.000Z').records).toBe(5);
    expect(minute(got, '2026-12-06T10:01:00.000Z')).toMatchObject({ records: 5, calls: 4, streams: { candidates: 5 } });

    // Once the new owner stored its hour, other workers' hours are not taken in any more.
    now = at('2026-12-06T10:02:01Z');
    next.stored('p', next.pending('p', 'w2')!);
    next.merge('p', { ...last, minutes: [{ minute: '2026-12-06T10:01:00.000Z', records: 100 }] });
    got = next.get('p');
    expect(minute(got, '2026-12-06T10:01:00.000Z').records).toBe(5);
  });

  it('reads only well-formed stored hours', () => {
    expect(parseStoredHistory({ name: 'p', worker_id: 'w1', minutes: [{ minute: 'x' }] })).toBeDefined();
    expect(parseStoredHistory({ name: 'p', minutes: [] })).toBeUndefined();
    expect(parseStoredHistory({ name: 'p', worker_id: 'w1', minutes: [{}] })).toBeUndefined();
    expect(parseStoredHistory('nope')).toBeUndefined();
  });
});
