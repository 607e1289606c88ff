import { useState } from 'preact/hooks';
import { call, enc, type History, type Pipeline, type PipelineStatus } from './api';
import { Sparkline } from './charts';
import { DeadLetters } from './dead-letters';
import { ErrorHelp } from './error-help';
import { PipelineCharts, SinkFacts } from './pipeline-data';
import { ago, describe, ErrorBox, useLoad } from './util';

interface Row {
  pipeline: Pipeline;
  status?: PipelineStatus;
  history?: History;
}

async function loadRows(): Promise<Row[]> {
  const pipelines = await call<Pipeline[]>('GET', '/pipelines');
  return Promise.all(
    pipelines.map(async (pipeline) => {
      const [status, history] = await Promise.all([
        call<PipelineStatus>('GET', `/pipelines/${enc(pipeline.name)}/status`).catch(() => undefined),
        call<History>('GET', `/pipelines/${enc(pipeline.name)}/history`).catch(() => undefined),
      ]);
      return { pipeline, ...(status ? { status } : {}), ...(history ? { history } : {}) };
    }),
  );
}

/** A source's last pass (result and records); a sink's commands since it started. */
function lastPass(row: Row): string {
  const p = row.status?.last_pass;
  if (!p) return '—';
  if (row.pipeline.kind === 'sink') {
    const n = (k: string): number => (typeof p[k] === 'number' ? (p[k] as number) : 0);
    return `${n('processed')} commands: ${n('ok')} applied, ${n('deadLettered')} dead-lettered`;
  }
  return `${String(p.result)}, ${p.records ?? 0} records`;
}

/** Records (a source) or commands (a sink) per minute over the last hour. */
export function perMinute(h: History | undefined): number[] {
  return (h?.minutes ?? []).map((m) => m.records + Object.values(m.commands).reduce((n, x) => n + x, 0));
}

/** Time since the last successful pass. */
function freshness(s: PipelineStatus | undefined): string {
  return s?.last_pass?.result === 'ok' ? ago(s.last_pass.ended_at) : '—';
}

function StateBadge({ state }: { state: string | undefined }) {
  return <span class={`state state-${(state ?? 'unknown').toLowerCase()}`}>{state ?? 'UNKNOWN'}</span>;
}

function Actions({ row, done }: { row: Row; done: (message: string) => void }) {
  const name = row.pipeline.name;
  const act = (label: string, method: string, path: string) => (
    <button
      type="button"
      class="small"
      aria-label={`${label} ${name}`}
      onClick={() =>
        call(method, `/pipelines/${enc(name)}/${path}`).then(
          () => done(`${label}: ${name} — requested`),
          (e: unknown) => done(describe(e)),
        )
      }
    >
      {label}
    </button>
  );
  return (
    <div class="actions">
      {row.pipeline.target === 'PAUSED' ? act('Resume', 'PUT', 'resume') : act('Pause', 'PUT', 'pause')}
      {act('Restart', 'POST', 'restart')}
    </div>
  );
}

export function PipelinesPage({ open }: { open: (name: string) => void }) {
  const { data, error, reload } = useLoad(loadRows, 2000);
  const [notice, setNotice] = useState<string>();
  return (
    <section>
      <h1 tabIndex={-1}>Pipelines</h1>
      <ErrorBox error={error} />
      <p class="notice" role="status">
        {notice ?? ''}
      </p>
      {data && data.length === 0 && <p>No pipeline yet. Create one under “New pipeline”.</p>}
      {data && data.length > 0 && (
        <table class="pipelines">
          <thead>
            <tr>
              <th scope="col">Pipeline</th>
              <th scope="col">Kind</th>
              <th scope="col">State</th>
              <th scope="col">Worker</th>
              <th scope="col">Freshness</th>
              <th scope="col">Last pass</th>
              <th scope="col">Per minute, last hour</th>
              <th scope="col">Last error</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {data.map((row) => (
              <tr key={row.pipeline.name} data-pipeline={row.pipeline.name}>
                <th scope="row">
                  <button type="button" class="link" onClick={() => open(row.pipeline.name)}>
                    {row.pipeline.name}
                  </button>
                </th>
                <td>{row.pipeline.kind}</td>
                <td>
                  <StateBadge state={row.status?.state} />
                </td>
                <td>{row.status?.worker_id ?? '—'}</td>
                <td class="freshness">{freshness(row.status)}</td>
                <td class="last-pass">{lastPass(row)}</td>
                <td class="rate">
                  {row.history ? (
                    <Sparkline
                      values={perMinute(row.history)}
                      label={`${row.pipeline.kind === 'sink' ? 'Commands' : 'Records'} per minute of ${row.pipeline.name}`}
                    />
                  ) : (
                    '—'
                  )}
                </td>
                <td class="last-error">
                  {row.status?.last_error ? (
                    <>
                      <code>{row.status.last_error.error_code}</code> {row.status.last_error.message}
                      <ErrorHelp code={row.status.last_error.error_code} />
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  <Actions row={row} done={(m) => (setNotice(m), reload())} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function PipelinePage({ name, back }: { name: string; back: () => void }) {
  const { data, error } = useLoad(
    () =>
      Promise.all([
        call<Pipeline>('GET', `/pipelines/${enc(name)}`),
        call<PipelineStatus>('GET', `/pipelines/${enc(name)}/status`),
      ]),
    2000,
  );
  const [pipeline, status] = data ?? [];
  return (
    <section>
      <button type="button" class="link" onClick={back}>
        ← All pipelines
      </button>
      <h1 tabIndex={-1}>Pipeline {name}</h1>
      <ErrorBox error={error} />
      {status && pipeline && (
        <>
          <dl class="facts">
            <dt>Kind</dt>
            <dd>{pipeline.kind}</dd>
            <dt>State</dt>
            <dd>
              <StateBadge state={status.state} />
            </dd>
            <dt>Worker</dt>
            <dd>{status.worker_id ?? '—'}</dd>
            <dt>Freshness</dt>
            <dd>{freshness(status)}</dd>
            <dt>Restarts after failures</dt>
            <dd>{status.failures}</dd>
            {status.last_error && (
              <>
                <dt>Last error</dt>
                <dd>
                  <code>{status.last_error.error_code}</code> {status.last_error.message} ({ago(status.last_error.at)})
                  <ErrorHelp code={status.last_error.error_code} />
                </dd>
              </>
            )}
          </dl>
          <PipelineCharts name={name} kind={pipeline.kind} runsOn={status.worker_id} />
          {pipeline.kind === 'sink' && <SinkFacts name={name} status={status} />}
          {pipeline.kind === 'sink' && <DeadLetters pipeline={name} />}
          {pipeline.kind === 'source' && <h2>Streams</h2>}
          {pipeline.kind === 'sink' ? null : status.streams.length === 0 ? (
            <p>No stream has reported yet.</p>
          ) : (
            <table class="streams">
              <thead>
                <tr>
                  <th scope="col">Stream</th>
                  <th scope="col">Topic</th>
                  <th scope="col">Phase</th>
                  <th scope="col" class="num">
                    Records
                  </th>
                  <th scope="col" class="num">
                    Pages
                  </th>
                </tr>
              </thead>
              <tbody>
                {status.streams.map((s) => (
                  <tr key={s.stream} data-stream={s.stream}>
                    <th scope="row">{s.stream}</th>
                    <td>{s.topic}</td>
                    <td>{s.phase}</td>
                    <td class="num">{s.records}</td>
                    <td class="num">{s.pages}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>Config</h2>
          <pre class="yaml" tabIndex={0} aria-label="Stored config">
            {JSON.stringify(pipeline.config, null, 2)}
          </pre>
        </>
      )}
    </section>
  );
}
