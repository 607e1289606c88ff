import type { PipelineConfig } from '../../src/config/schema.js';
import { createAshbyClient } from '../../src/config/ashby-options.js';
import { SourceRunner } from '../../src/source/runtime/source-runner.js';
import { runSink } from '../../src/sink/runner.js';
import { sinkFixture, type SinkFixture } from './sink/helpers.js';
import { sourceConfig } from './source/helpers.js';
import { waitFor } from '../support/wait-for.js';

/**
 * One process, one Ashby key: the streams of a source pass and a sink draw on one rate budget
 * (docs/client.md, "Rate budget"). Each side is configured at 10 requests/s (burst 4) and the
 * sandbox allows 14/s (burst 14): together they stay under the limit only if they share the
 * budget, with room for a second of delayed arrivals on a loaded machine; two separate budgets
 * would send up to 20/s and meet 429s within a couple of seconds of running together.
 * Both sides build their client the way the CLI and the sink runner do (createAshbyClient).
 */
const RATE = { requests_per_second: 10, burst: 4, max_concurrent: 4 };
/** Enough creates to keep the sink busy for seconds after the source pass has set up Kafka and begun to read. */
const COMMANDS = 72;

let f: SinkFixture;
beforeAll(async () => {
  f = await sinkFixture('shared-budget', {
    sandbox: {
      rateLimit: { perSecond: 14, burst: 14 },
      clock: { start: '2026-11-01T00:00:00.000Z', follow: true },
      pageSize: { maxPerPage: 20 },
    },
  });
});
afterAll(async () => {
  await f?.close();
});

function withRate(config: PipelineConfig): PipelineConfig {
  return { ...config, ashby: { ...config.ashby, rate: { ...RATE } } };
}

it('a source pass of four streams and a sink applying 72 creates, on the same key at once, meet no 429 and together keep to one budget', async () => {
  const stamp = Date.now();
  await f.send(
    'candidate',
    Array.from({ length: COMMANDS }, (_, i) => ({
      key: `k${i}`,
      value: { operation: 'create', name: `Budget Person ${i}`, email: `budget.${i}.${stamp}@example.com` },
    })),
  );
  const log = () => f.sandbox.admin.callLog();
  const isSinkCall = (path: string): boolean => path === 'candidate.create';

  // The sink first, so that the source pass starts while the sink is applying commands.
  const sinkRun = runSink(withRate(f.config()), { once: true, takeoverGraceMs: 0 });
  await waitFor(
    'the sink to start applying commands',
    () => (log().some((e) => isSinkCall(e.path)) ? true : undefined),
    30_000,
    10,
  );
  const config = withRate(
    sourceConfig({
      url: f.sandbox.url,
      key: f.sandbox.keys.full,
      streams: ['candidates', 'applications', 'jobs', 'users'],
    }),
  );
  const client = await createAshbyClient(config.ashby, { env: {} });
  const runner = await SourceRunner.open(config, { client });
  let pass;
  try {
    pass = await runner.runPass();
  } finally {
    await runner.close();
    await client.close();
  }
  const sink = await sinkRun;

  expect(pass.error).toBeUndefined();
  expect(pass.streams.map((s) => s.phase)).toEqual(['done', 'done', 'done', 'done']);
  expect(sink.error).toBeUndefined();
  expect(sink.summary).toMatchObject({ ok: COMMANDS, created: COMMANDS });

  const calls = log();
  expect(calls.filter((e) => e.status === 429).length).toBe(0);
  const sinkTimes = calls.filter((e) => isSinkCall(e.path)).map((e) => Date.parse(e.at));
  const sourceTimes = calls.filter((e) => e.path.endsWith('.list')).map((e) => Date.parse(e.at));
  // The two really ran together: a good share of the pass's calls fell inside the sink's span.
  const [sinkFrom, sinkTo] = [Math.min(...sinkTimes), Math.max(...sinkTimes)];
  expect(sourceTimes.filter((t) => t >= sinkFrom && t <= sinkTo).length).toBeGreaterThanOrEqual(10);
  // Together at one budget's pace: 10/s after a burst of 4 (lower bound, 20% margin).
  const all = calls.map((e) => Date.parse(e.at)).sort((a, b) => a - b);
  expect(all.at(-1)! - all[0]!).toBeGreaterThanOrEqual(
    ((all.length - RATE.burst - 1) / RATE.requests_per_second) * 1000 * 0.8,
  );
});
