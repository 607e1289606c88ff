import { useState } from 'preact/hooks';
import { ApiError, call, enc, type DeadLetter, type DeadLetterPage } from './api';
import { ErrorHelp } from './error-help';
import { ago, describe, ErrorBox, useLoad } from './util';

/**
 * A sink's dead letters (GET /pipelines/{name}/dead-letters): each decoded, with its error
 * headers. One can be opened, its command edited as JSON and re-sent to its command topic
 * (POST …/{id}/resend): the worker validates it and keeps its idempotencyKey, so a re-send
 * applies once however often it is clicked.
 */
export function DeadLetters({ pipeline }: { pipeline: string }) {
  const { data, error, reload } = useLoad(
    () => call<DeadLetterPage>('GET', `/pipelines/${enc(pipeline)}/dead-letters?limit=50`),
    10_000,
  );
  const [open, setOpen] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const letters = data?.dead_letters ?? [];
  const current = letters.find((d) => d.id === open);
  return (
    <section aria-labelledby="dl-heading">
      <h2 id="dl-heading">Dead letters</h2>
      <ErrorBox error={error} />
      <p class="notice" role="status">
        {notice ?? ''}
      </p>
      {data && (
        <p class="hint">
          {letters.length === 0 ? 'None in ' : `${letters.length} newest in `}
          <code>{data.topic}</code> ({data.value_format}).
        </p>
      )}
      {letters.length > 0 && (
        <table class="dead-letters">
          <thead>
            <tr>
              <th scope="col">Dead letter</th>
              <th scope="col">Command</th>
              <th scope="col">Error</th>
              <th scope="col">Attempts</th>
              <th scope="col">From</th>
              <th scope="col">When</th>
            </tr>
          </thead>
          <tbody>
            {letters.map((d) => (
              <tr key={d.id} data-dead-letter={d.id} aria-selected={d.id === open ? 'true' : undefined}>
                <th scope="row">
                  <button
                    type="button"
                    class="link"
                    aria-expanded={d.id === open}
                    aria-label={`Open dead letter ${d.id}`}
                    onClick={() => (setOpen(d.id === open ? undefined : d.id), setNotice(undefined))}
                  >
                    {d.id}
                  </button>
                </th>
                <td>
                  {d.entity}.{d.operation ?? String(d.command?.operation ?? '?')}
                  {d.key ? <span class="hint"> key {d.key}</span> : null}
                </td>
                <td class="dl-error">
                  <code>{d.error.code}</code> {d.error.message}
                </td>
                <td class="num">{d.error.attempts ?? '—'}</td>
                <td>
                  {d.original.topic} [{d.original.partition}] @{d.original.offset}
                </td>
                <td>{ago(d.error.at ?? d.timestamp ?? undefined)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {current && (
        <Editor key={current.id} pipeline={pipeline} letter={current} done={(m) => (setNotice(m), reload())} />
      )}
    </section>
  );
}

function Editor({ pipeline, letter, done }: { pipeline: string; letter: DeadLetter; done: (m: string) => void }) {
  const [text, setText] = useState(() => JSON.stringify(letter.command ?? {}, null, 2));
  const [error, setError] = useState<{ message: string; problems?: string[] }>();
  const [busy, setBusy] = useState(false);
  const id = `dl-edit-${letter.id}`;
  const e = letter.error;
  return (
    <form
      class="dl-editor"
      aria-label={`Dead letter ${letter.id}`}
      onSubmit={(ev) => {
        ev.preventDefault();
        let command: unknown;
        try {
          command = JSON.parse(text);
        } catch (err) {
          return setError({ message: `not JSON: ${(err as Error).message}` });
        }
        setBusy(true);
        call<{ topic: string; partition: number; offset: number; idempotency_key: string }>(
          'POST',
          `/pipelines/${enc(pipeline)}/dead-letters/${enc(letter.id)}/resend`,
          { command },
        ).then(
          (r) => {
            setError(undefined);
            setBusy(false);
            done(
              `Dead letter ${letter.id} re-sent to ${r.topic} [${r.partition}] @${r.offset} with idempotencyKey ${r.idempotency_key}`,
            );
          },
          (err: unknown) => {
            setBusy(false);
            setError({ message: describe(err), ...(err instanceof ApiError ? { problems: err.problems } : {}) });
          },
        );
      }}
    >
      <h3>Dead letter {letter.id}</h3>
      <dl class="facts">
        <dt>Error</dt>
        <dd>
          <code>{e.code}</code> {e.message}
        </dd>
        <dt>Stage</dt>
        <dd>{e.stage ?? '—'}</dd>
        <dt>Attempts</dt>
        <dd>{e.attempts ?? '—'}</dd>
        <dt>Original position</dt>
        <dd>
          {letter.original.topic} partition {letter.original.partition}, offset {letter.original.offset}
        </dd>
        {e.request_id && (
          <>
            <dt>Ashby request</dt>
            <dd>
              {e.endpoint} <code>{e.request_id}</code>
            </dd>
          </>
        )}
        {e.applied && (
          <>
            <dt>Already applied</dt>
            <dd class="warning">{e.applied} (a re-send repeats these calls)</dd>
          </>
        )}
        {letter.decode_error && (
          <>
            <dt>Not decoded</dt>
            <dd>{letter.decode_error}</dd>
          </>
        )}
      </dl>
      {e.code && <ErrorHelp code={e.code} />}
      <label for={id}>Command (JSON; its idempotencyKey is kept)</label>
      <textarea id={id} rows={10} spellcheck={false} value={text} onInput={(ev) => setText(ev.currentTarget.value)} />
      <button type="submit" disabled={busy}>
        Re-send to {letter.original.topic}
      </button>
      <ErrorBox error={error?.message} problems={error?.problems} />
    </form>
  );
}
