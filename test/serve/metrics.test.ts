import { describe, expect, it } from '@jest/globals';
import { ServeMetrics } from '../../src/serve/metrics/metrics.js';
import { emptySummary } from '../../src/sink/summary.js';

const progress = (records: number, pages: number, bytes = 0) => ({
  stream: 'candidates',
  topic: 't',
  mode: 'full' as const,
  phase: 'reading' as const,
  records,
  pages,
  bytes,
  calls: pages,
  restarts: 0,
  startedAt: 0,
  endedAt: undefined,
});

async function value(m: ServeMetrics, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = (await m.registry.getMetricsAsJSON()).find((x) => x.name === name);
  return (metric?.values as Array<{ value: number; labels: Record<string, string> }> | undefined)?.find((v) =>
    Object.entries(labels).every(([k, l]) => v.labels[k] === l),
  )?.value;
}

describe('ServeMetrics', () => {
  it('counts what each progress update adds, per pipeline and stream', async () => {
    const m = new ServeMetrics('w1');
    const sink = m.passProgress('p1');
    sink.update(progress(100, 1, 4_000));
    sink.update(progress(250, 3, 10_500));
    sink.update(progress(250, 3, 10_500));
    m.passProgress('p1').update(progress(10, 1, 400)); // the next pass starts from zero
    expect(await value(m, 'ashby_kafka_source_records_total', { pipeline: 'p1', stream: 'candidates' })).toBe(260);
    expect(await value(m, 'ashby_kafka_source_pages_total', { pipeline: 'p1', stream: 'candidates' })).toBe(4);
    expect(await value(m, 'ashby_kafka_source_bytes_total', { pipeline: 'p1', stream: 'candidates' })).toBe(10_900);
    expect(await m.registry.metrics()).toContain('worker="w1"');
  });

  it('counts Ashby attempts by endpoint and status, 429s and retries', async () => {
    const m = new ServeMetrics('w1');
    const o = m.callObserver('p1');
    o.attempt('candidate.list', 200, 40);
    o.attempt('candidate.list', 429, 5);
    o.attempt('candidate.list', undefined, 5);
    o.retry('candidate.list', 'ASHBY_RATE_LIMITED');
    expect(
      await value(m, 'ashby_kafka_ashby_calls_total', { pipeline: 'p1', endpoint: 'candidate.list', status: '429' }),
    ).toBe(1);
    expect(await value(m, 'ashby_kafka_ashby_calls_total', { status: 'none' })).toBe(1);
    expect(await value(m, 'ashby_kafka_ashby_rate_limited_total', { pipeline: 'p1' })).toBe(1);
    expect(await value(m, 'ashby_kafka_ashby_retries_total', { code: 'ASHBY_RATE_LIMITED' })).toBe(1);
  });

  it('counts schema registry retries by pipeline, route and code', async () => {
    const m = new ServeMetrics('w1');
    const retried = m.registryRetryObserver('p1');
    retried('POST /subjects/{subject}/versions', 'REGISTRY_UNAVAILABLE');
    retried('POST /subjects/{subject}/versions', 'REGISTRY_UNAVAILABLE');
    m.registryRetryObserver('p2')('GET /schemas/ids/{id}', 'REGISTRY_UNAVAILABLE');
    expect(
      await value(m, 'ashby_kafka_registry_retries_total', {
        pipeline: 'p1',
        route: 'POST /subjects/{subject}/versions',
        code: 'REGISTRY_UNAVAILABLE',
      }),
    ).toBe(2);
    expect(await value(m, 'ashby_kafka_registry_retries_total', { pipeline: 'p2' })).toBe(1);
  });

  it('counts sink outcomes from successive summaries, and tracks freshness', async () => {
    const m = new ServeMetrics('w1');
    const count = m.sinkProgress('s1');
    count({ ...emptySummary(), ok: 3, deadLettered: 1 });
    count({ ...emptySummary(), ok: 5, deadLettered: 1 });
    expect(await value(m, 'ashby_kafka_sink_commands_total', { pipeline: 's1', outcome: 'ok' })).toBe(5);
    expect(await value(m, 'ashby_kafka_sink_dead_lettered_total', { pipeline: 's1' })).toBe(1);
    m.passFinished('p1', 'ok');
    expect(await value(m, 'ashby_kafka_source_freshness_seconds', { pipeline: 'p1' })).toBeLessThan(5);
  });

  it('measures the consumer lag of the sinks it runs when scraped, per topic, and drops a sink that stops here', async () => {
    const m = new ServeMetrics('w1');
    let lag = 7;
    let probes = 0;
    const unwatch = m.watchSinkLag('s1', async () => {
      probes++;
      return [
        { topic: 'commands', lag },
        { topic: 'commands', lag: 2 },
        { topic: 'other', lag: 0 },
      ];
    });
    expect(await value(m, 'ashby_kafka_sink_consumer_lag', { pipeline: 's1', topic: 'commands' })).toBe(9);
    expect(await value(m, 'ashby_kafka_sink_consumer_lag', { pipeline: 's1', topic: 'other' })).toBe(0);
    lag = 0;
    expect(await value(m, 'ashby_kafka_sink_consumer_lag', { pipeline: 's1', topic: 'commands' })).toBe(2);
    expect(probes).toBe(3); // one per scrape
    unwatch();
    expect(await value(m, 'ashby_kafka_sink_consumer_lag', { pipeline: 's1' })).toBeUndefined();
    expect(probes).toBe(3);
  });

  it('keeps the previous lag when a probe fails', async () => {
    const m = new ServeMetrics('w1');
    let fail = false;
    m.watchSinkLag('s1', async () => {
      if (fail) throw new Error('broker down');
      return [{ topic: 'commands', lag: 3 }];
    });
    expect(await value(m, 'ashby_kafka_sink_consumer_lag', { pipeline: 's1', topic: 'commands' })).toBe(3);
    fail = true;
    expect(await value(m, 'ashby_kafka_sink_consumer_lag', { pipeline: 's1', topic: 'commands' })).toBe(3);
  });
});
