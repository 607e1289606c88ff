import { call, enc, type History, type PipelineStatus, type SinkState } from './api';
import { MinuteChart } from './charts';
import { ErrorBox, useLoad } from './util';

/**
 * The pipeline page's live data beyond its status: charts of the last hour
 * (GET /pipelines/{name}/history) and, for a sink, commands by outcome (its status) and
 * consumer lag (GET /pipelines/{name}/state).
 */
export function PipelineCharts({
  name,
  kind,
  runsOn,
}: {
  name: string;
  kind: 'source' | 'sink';
  /** The worker running the pipeline (its status). */
  runsOn: string | null;
}) {
  const { data, error } = useLoad(() => call<History>('GET', `/pipelines/${enc(name)}/history`), 10_000);
  if (!data) return <ErrorBox error={error} />;
  const m = data.minutes;
  const col = (f: (x: History['minutes'][number]) => number) => m.map(f);
  const streams = [...new Set(m.flatMap((x) => Object.keys(x.streams)))].sort();
  const outcomes = [
    ['ok', 3],
    ['skipped', 0],
    ['dead_lettered', 1],
    ['failed', 2],
  ] as const;
  return (
    <section aria-labelledby="charts-heading" class="charts">
      <h2 id="charts-heading">Last hour, per minute</h2>
      <p class="hint">
        {runsOn === data.worker_id
          ? `Counted by worker ${data.worker_id}, which runs the pipeline, and stored in the group's status topic each minute.`
          : `Stored in the group's status topic each minute by the worker running the pipeline; the current minute shows here once it is over.`}
      </p>
      {kind === 'source' ? (
        <MinuteChart
          id="records"
          title="Records per stream"
          series={
            streams.length
              ? streams.map((s) => ({ label: s, values: col((x) => x.streams[s] ?? 0) }))
              : [{ label: 'records', values: col((x) => x.records) }]
          }
        />
      ) : (
        <MinuteChart
          id="commands"
          title="Commands by outcome"
          series={outcomes.map(([o, t]) => ({ label: o, tone: t, values: col((x) => x.commands[o] ?? 0) }))}
        />
      )}
      {kind === 'source' && (
        <MinuteChart id="pages" title="Pages" series={[{ label: 'pages', values: col((x) => x.pages) }]} />
      )}
      <MinuteChart
        id="calls"
        title="Ashby calls, 429s and retries"
        series={[
          { label: 'calls', values: col((x) => x.calls) },
          { label: '429s', tone: 2, values: col((x) => x.rate_limited) },
          { label: 'retries', tone: 1, values: col((x) => x.retries) },
        ]}
      />
    </section>
  );
}

interface SinkPass {
  processed?: number;
  ok?: number;
  created?: number;
  updated?: number;
  skipped?: number;
  deadLettered?: number;
  failed?: number;
  byOperation?: Record<string, { ok: number; deadLettered: number; failed: number }>;
}

export function SinkFacts({ name, status }: { name: string; status: PipelineStatus }) {
  const { data: state, error } = useLoad(() => call<SinkState>('GET', `/pipelines/${enc(name)}/state`), 5000);
  const pass = (status.last_pass ?? {}) as SinkPass;
  const ops = Object.entries(pass.byOperation ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <>
      <h2>Commands by outcome</h2>
      <p class="hint">Since the sink last started.</p>
      <dl class="facts outcomes">
        <dt>Applied</dt>
        <dd data-outcome="ok">
          {pass.ok ?? 0} (created {pass.created ?? 0}, updated {pass.updated ?? 0})
        </dd>
        <dt>Already applied</dt>
        <dd data-outcome="skipped">{pass.skipped ?? 0}</dd>
        <dt>Dead-lettered</dt>
        <dd data-outcome="dead_lettered">{pass.deadLettered ?? 0}</dd>
        <dt>Failed (will run again)</dt>
        <dd data-outcome="failed">{pass.failed ?? 0}</dd>
      </dl>
      {ops.length > 0 && (
        <table class="operations">
          <thead>
            <tr>
              <th scope="col">Command</th>
              <th scope="col" class="num">
                Applied
              </th>
              <th scope="col" class="num">
                Dead-lettered
              </th>
              <th scope="col" class="num">
                Failed
              </th>
            </tr>
          </thead>
          <tbody>
            {ops.map(([op, c]) => (
              <tr key={op} data-operation={op}>
                <th scope="row">{op}</th>
                <td class="num">{c.ok}</td>
                <td class="num">{c.deadLettered}</td>
                <td class="num">{c.failed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Consumer lag</h2>
      <ErrorBox error={error} />
      {state && (
        <>
          <p class="lag-total">
            <strong data-testid="lag">{state.lag}</strong> command(s) not yet consumed by group{' '}
            <code>{state.group_id}</code>
          </p>
          <table class="lag">
            <thead>
              <tr>
                <th scope="col">Topic</th>
                <th scope="col" class="num">
                  Partition
                </th>
                <th scope="col" class="num">
                  Committed
                </th>
                <th scope="col" class="num">
                  End
                </th>
                <th scope="col" class="num">
                  Lag
                </th>
              </tr>
            </thead>
            <tbody>
              {state.partitions.map((p) => (
                <tr key={`${p.topic}-${p.partition}`}>
                  <th scope="row">{p.topic}</th>
                  <td class="num">{p.partition}</td>
                  <td class="num">{p.committed ?? '—'}</td>
                  <td class="num">{p.end}</td>
                  <td class="num">{p.lag}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
