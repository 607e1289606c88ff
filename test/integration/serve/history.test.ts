import { afterAll, describe, expect, it } from '@jest/globals';
import { silentLogger } from '../../../src/log/logger.js';
import { HistoryStore } from '../../../src/serve/metrics/history-store.js';
import { MetricsHistory, type PipelineHistory } from '../../../src/serve/metrics/history.js';
import { historyKey, parseStatusTopicValue, type StatusTopicValue } from '../../../src/serve/model.js';
import { JsonMap } from '../../../src/serve/store/json-map.js';
import { kafkaTestConfig, uniqueName } from '../../support/stack.js';
import { waitFor } from './helpers.js';

/**
 * A pipeline's last hour in the group's status topic, against the real broker: workers are
 * views of one status topic (what `ashby-kafka serve` builds), each with its own clock-driven
 * ring. What the worker running a pipeline stores, another answers; the new owner of a moved
 * pipeline goes on from it; a worker started later reads it; a tombstone removes it.
 */
const topic = uniqueName('serve-history-status');
const MINUTE = 60_000;
/** One clock for every worker, moved by the test (20 s into a minute). */
let now = Math.floor(Date.now() / MINUTE) * MINUTE + 20_000;
const minuteIso = (offset: number) => new Date(Math.floor(now / MINUTE) * MINUTE + offset * MINUTE).toISOString();
const opened: Array<JsonMap<StatusTopicValue>> = [];

afterAll(async () => {
  for (const m of opened) await m.stop();
});

async function worker(
  id: string,
): Promise<{ statuses: JsonMap<StatusTopicValue>; history: MetricsHistory; store: HistoryStore }> {
  const statuses = new JsonMap<StatusTopicValue>(
    { rd: kafkaTestConfig(), topic, replicationFactor: 1, tailIntervalMs: 100 },
    parseStatusTopicValue,
  );
  await statuses.start();
  opened.push(statuses);
  const history = new MetricsHistory(() => now);
  return { statuses, history, store: new HistoryStore({ history, statuses, workerId: id, logger: silentLogger }) };
}

const at = (h: PipelineHistory, minute: string) => h.minutes.find((m) => m.minute === minute)!;

describe('pipeline history in the status topic', () => {
  it('is answered by any worker, followed by the next owner, read by a worker started later, and removed by a tombstone', async () => {
    const [w1, w2] = await Promise.all([worker('w1'), worker('w2')]);
    const m0 = minuteIso(0);
    const m1 = minuteIso(1);

    // w1 runs the pipeline: its current minute is its own until the minute is over.
    w1.store.started('p');
    w1.history.add('p', 'records', 5, 'candidates');
    w1.history.add('p', 'calls', 2);
    expect(at(w1.store.answer('p'), m0)).toMatchObject({ records: 5, calls: 2, streams: { candidates: 5 } });
    expect(at(w2.store.answer('p'), m0).records).toBe(0);

    now += MINUTE;
    await w1.store.publish();
    const onW2 = await waitFor(
      'w2 to answer the minute w1 stored',
      async () => {
        const h = w2.store.answer('p');
        return at(h, m0).records === 5 ? h : undefined;
      },
      10_000,
      100,
    );
    expect(onW2.minutes).toHaveLength(60);
    expect(at(onW2, m0)).toEqual({
      minute: m0,
      records: 5,
      pages: 0,
      calls: 2,
      rate_limited: 0,
      retries: 0,
      streams: { candidates: 5 },
      commands: {},
    });

    // The next minute is under way on w1 when the pipeline moves to w2, which starts from the
    // stored hour before w1 has stored its last counts.
    w1.history.add('p', 'records', 3, 'candidates');
    expect(at(w1.store.answer('p'), m1).records).toBe(3);
    expect(at(w2.store.answer('p'), m1).records).toBe(0);
    await w2.statuses.sync();
    w2.store.started('p');
    w2.history.add('p', 'records', 2, 'candidates');
    await w1.store.release('p');
    const moved = await waitFor(
      "w2 to add w1's last counts to its own",
      async () => {
        const h = w2.store.answer('p');
        return at(h, m1).records === 5 ? h : undefined;
      },
      10_000,
      100,
    );
    expect(at(moved, m0).records).toBe(5);
    expect(at(moved, m1).streams).toEqual({ candidates: 5 });
    // w1 no longer runs it and answers from what is stored (w1's last write, until w2 stores).
    expect(at(w1.store.answer('p'), m0).records).toBe(5);

    // A worker started later (or restarted) reads the stored hour at start.
    now += MINUTE;
    await w2.store.publish();
    const w3 = await worker('w3');
    const h3 = w3.store.answer('p');
    expect([at(h3, m0).records, at(h3, m1).records]).toEqual([5, 5]);

    // Deleted: the tombstone removes it from every view.
    await w2.store.removed('p');
    await waitFor(
      'the tombstone to reach w1 and w3',
      async () => (!w1.statuses.get(historyKey('p')) && !w3.statuses.get(historyKey('p')) ? true : undefined),
      10_000,
      100,
    );
    for (const w of [w1, w2, w3]) expect(w.store.answer('p').minutes.every((m) => m.records === 0)).toBe(true);
  }, 60_000);
});
