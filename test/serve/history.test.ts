import { describe, expect, it } from '@jest/globals';
import { HISTORY_MINUTES, MetricsHistory } from '../../src/serve/metrics/history.js';

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
