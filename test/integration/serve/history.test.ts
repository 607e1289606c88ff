import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { silentLogger } from '../../../src/log/logger.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { HistoryStore } from '../../../src/serve/metrics/history-store.js';
import { MetricsHistory, type PipelineHistory } from '../../../src/serve/metrics/history.js';
import { historyKey, parseStatusTopicValue, storedHistoryOf, type StatusTopicValue } from '../../../src/serve/model.js';
import { JsonMap } from '../../../src/serve/store/json-map.js';
import { kafkaTestConfig, uniqueName } from '../../support/stack.js';
import {
  api,
  groupSettings,
  startWorker,
  stopWorker,
  waitFor,
  type GroupSettings,
  type WorkerProcess,
} from './helpers.js';

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
  statusTopic = topic,
): Promise<{ statuses: JsonMap<StatusTopicValue>; history: MetricsHistory; store: HistoryStore }> {
  const statuses = new JsonMap<StatusTopicValue>(
    { rd: kafkaTestConfig(), topic: statusTopic, replicationFactor: 1, tailIntervalMs: 100 },
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

/** The same through `ashby-kafka serve` processes: the worker wiring (start, move, stop, delete). */
describe('pipeline history across serve workers', () => {
  let group: GroupSettings;
  let sandbox: RunningSandbox;
  const workers: WorkerProcess[] = [];
  const NAME = 'hist-jobs';
  type Minutes = Array<{ minute: string; records: number; calls: number }>;
  const history = async (w: WorkerProcess) =>
    (await api<{ worker_id: string; minutes: Minutes }>(w.url, 'GET', `/pipelines/${NAME}/history`)).body;
  const busy = (m: Minutes) => m.filter((x) => x.records > 0).map((x) => [x.minute, x.records, x.calls]);

  beforeAll(async () => {
    group = groupSettings(4);
    sandbox = await startSandbox({ seed: 41, scale: 50 });
    for (const id of ['w1', 'w2']) workers.push(await startWorker(id, group));
    await waitFor(
      'both workers ready',
      async () =>
        (await Promise.all(workers.map((w) => fetch(`${w.url}/readyz`)))).every((r) => r.ok) ? true : undefined,
      60_000,
    );
    const cred = await api(workers[0]!.url, 'POST', '/credentials', {
      name: 'tenant',
      key: sandbox.keys.full,
      base_url: sandbox.url,
    });
    expect(cred.status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    for (const w of workers) await stopWorker(w, 'SIGKILL');
    await sandbox?.close();
  }, 60_000);

  it('is answered by the worker not running the pipeline, kept through a move and a new worker, and deleted with the pipeline', async () => {
    const created = await api(workers[0]!.url, 'POST', '/pipelines', {
      name: NAME,
      config: {
        ashby: { credential: 'tenant', base_url: sandbox.url },
        source: {
          streams: ['jobs'],
          topic_prefix: `${group.prefix}.hist.`,
          state_topic: `${group.prefix}.state`,
          interval: '1h',
          topics: { partitions: 1 },
        },
      },
    });
    expect(created.status).toBe(201);
    const status = await waitFor(
      'the first pass',
      async () => {
        const s = (await api(workers[0]!.url, 'GET', `/pipelines/${NAME}/status`)).body;
        return s.last_pass?.result === 'ok' ? s : undefined;
      },
      60_000,
    );
    const owner = workers.find((w) => w.id === status.worker_id)!;
    const other = workers.find((w) => w.id !== status.worker_id)!;
    const records = status.last_pass.records as number;
    expect(records).toBeGreaterThan(0);
    // The owner counts its current minute at once.
    expect((await history(owner)).minutes.reduce((n, m) => n + m.records, 0)).toBe(records);

    // The other worker, once the minute is over and stored.
    const seen = await waitFor(
      `${other.id} to answer the pass ${owner.id} ran`,
      async () => {
        const h = await history(other);
        return h.minutes.reduce((n, m) => n + m.records, 0) === records ? h : undefined;
      },
      90_000,
      1000,
    );
    expect(seen.worker_id).toBe(other.id);
    expect(seen.minutes).toHaveLength(60);
    const before = busy(seen.minutes);

    // The owner stops cleanly: the other worker runs the pipeline and goes on from the stored hour.
    await stopWorker(owner);
    await waitFor(
      `${other.id} to run the pipeline`,
      async () => {
        const s = (await api(other.url, 'GET', `/pipelines/${NAME}/status`)).body;
        return s.worker_id === other.id && s.state === 'RUNNING' ? true : undefined;
      },
      60_000,
    );
    const after = (await history(other)).minutes;
    expect(busy(after.filter((m) => before.some(([minute]) => minute === m.minute)))).toEqual(before);

    // What the new owner stores next still holds the old owner's minutes (it went on from them).
    const view = await worker('reader', `${group.prefix}.status`);
    await waitFor(
      `${other.id} to store the hour`,
      async () => {
        await view.statuses.sync();
        return storedHistoryOf(view.statuses, NAME)?.worker_id === other.id ? true : undefined;
      },
      90_000,
      1000,
    );
    // A worker started now reads it from the topic.
    const late = await startWorker('w3', group);
    workers.push(late);
    await waitFor('w3 ready', async () => ((await fetch(`${late.url}/readyz`)).ok ? true : undefined), 60_000);
    const onLate = (await history(late)).minutes;
    expect(busy(onLate.filter((m) => before.some(([minute]) => minute === m.minute)))).toEqual(before);

    // Deleted: its hour is tombstoned in the status topic.
    expect(view.statuses.get(historyKey(NAME))).toBeDefined();
    expect((await api(late.url, 'DELETE', `/pipelines/${NAME}`)).status).toBe(204);
    await waitFor(
      'the tombstone',
      async () => {
        await view.statuses.sync();
        return view.statuses.get(historyKey(NAME)) ? undefined : true;
      },
      30_000,
    );
    // It stays deleted once the worker that ran it has stopped it.
    await new Promise((r) => setTimeout(r, 3000));
    await view.statuses.sync();
    expect(view.statuses.get(historyKey(NAME))).toBeUndefined();
  }, 300_000);
});
