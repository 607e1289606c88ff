import { useState } from 'preact/hooks';
import { allows, ApiError, call, enc, type Catalog, type Credential } from './api';
import { catalog } from './catalog';
import { ago, describe, ErrorBox, useLoad } from './util';

function Access({ value, label }: { value: boolean | undefined; label: string }) {
  const text = value === undefined ? 'unknown' : value ? 'yes' : 'no';
  return (
    <td class={`access access-${text}`} aria-label={`${label}: ${text}`}>
      {value === undefined ? '?' : value ? '✓' : '✗'}
    </td>
  );
}

function ScopeGrid({ cred, cat }: { cred: Credential; cat: Catalog }) {
  return (
    <table class="grid">
      <caption>Scopes of {cred.name}</caption>
      <thead>
        <tr>
          <th scope="col">Module</th>
          <th scope="col">Read</th>
          <th scope="col">Write</th>
        </tr>
      </thead>
      <tbody>
        {cat.modules.map((m) => (
          <tr key={m.key}>
            <th scope="row">{m.label}</th>
            <Access value={allows(cred, `${m.key}:read`)} label={`${m.label} read`} />
            <Access value={allows(cred, `${m.key}:write`)} label={`${m.label} write`} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The sink's commands; those the key may not send are greyed out with the scope they miss. */
function Commands({ cred, cat }: { cred: Credential; cat: Catalog }) {
  return (
    <details class="commands">
      <summary>Commands this key can send</summary>
      <ul>
        {cat.commands.map((c) => {
          const missing = c.scopes.filter((s) => allows(cred, s) === false);
          const unknown = c.scopes.filter((s) => allows(cred, s) === undefined);
          const id = `${c.entity}.${c.operation}`;
          return (
            <li key={id} class={missing.length ? 'denied' : ''} data-command={id} aria-disabled={missing.length > 0}>
              <code>{id}</code>
              {missing.length > 0 && <span class="why"> — needs {missing.join(', ')}</span>}
              {missing.length === 0 && unknown.length > 0 && (
                <span class="why"> — unknown: the key may not read its own scopes</span>
              )}
            </li>
          );
        })}
      </ul>
    </details>
  );
}

function Rotate({ cred, done }: { cred: Credential; done: (m: string) => void }) {
  const [open, setOpen] = useState(false);
  const [key, setKey] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (!open)
    return (
      <button type="button" class="small" onClick={() => setOpen(true)} aria-label={`Rotate ${cred.name}`}>
        Rotate
      </button>
    );
  const id = `rotate-${cred.name}`;
  return (
    <form
      class="inline"
      onSubmit={(e) => {
        e.preventDefault();
        const given = key;
        setKey('');
        setBusy(true);
        call('POST', `/credentials/${enc(cred.name)}/rotate`, { key: given }).then(
          () => (setOpen(false), setBusy(false), done(`${cred.name}: new key tested and stored`)),
          (err: unknown) => (setError(describe(err)), setBusy(false)),
        );
      }}
    >
      <label for={id}>New key for {cred.name}</label>
      <input
        id={id}
        type="password"
        autocomplete="off"
        required
        value={key}
        onInput={(e) => setKey(e.currentTarget.value)}
      />
      <button type="submit" class="small" disabled={busy}>
        Test and store
      </button>
      <button type="button" class="small secondary" onClick={() => (setKey(''), setOpen(false))}>
        Cancel
      </button>
      <ErrorBox error={error} />
    </form>
  );
}

/** What the key's test found about confidential jobs (Ashby hides them from keys without that access). */
const CONFIDENTIAL = {
  visible: 'visible: confidential jobs and their applications are read',
  'not-visible': 'not visible: confidential jobs and their applications are left out',
  unknown: 'unknown',
} as const;

function CredentialCard({ cred, cat, done }: { cred: Credential; cat: Catalog; done: (m: string) => void }) {
  const inUse = cred.used_by.length > 0;
  return (
    <article class="credential" data-credential={cred.name} aria-labelledby={`cred-${cred.name}`}>
      <h2 id={`cred-${cred.name}`}>{cred.name}</h2>
      <dl class="facts">
        <dt>Title</dt>
        <dd>{cred.title ?? '—'}</dd>
        <dt>Ashby</dt>
        <dd>{cred.base_url}</dd>
        <dt>Tested</dt>
        <dd>{ago(cred.tested_at)}</dd>
        <dt>{cred.rotated_at ? 'Rotated' : 'Added'}</dt>
        <dd>{ago(cred.rotated_at ?? cred.created_at)}</dd>
        <dt>Used by</dt>
        <dd class="used-by">{inUse ? cred.used_by.join(', ') : 'no pipeline'}</dd>
        <dt>Confidential jobs</dt>
        <dd class="confidential" title={cred.confidential_jobs?.evidence}>
          {CONFIDENTIAL[cred.confidential_jobs?.state ?? 'unknown']}
          {cred.confidential_jobs?.evidence ? <span class="hint"> ({cred.confidential_jobs.evidence})</span> : null}
        </dd>
      </dl>
      <ScopeGrid cred={cred} cat={cat} />
      <Commands cred={cred} cat={cat} />
      <div class="actions">
        <Rotate cred={cred} done={done} />
        <button
          type="button"
          class="small danger"
          aria-label={`Delete ${cred.name}`}
          aria-describedby={inUse ? `inuse-${cred.name}` : undefined}
          onClick={() => {
            if (!window.confirm(`Delete the credential ${cred.name}?`)) return;
            call('DELETE', `/credentials/${enc(cred.name)}`).then(
              () => done(`${cred.name} deleted`),
              (e: unknown) => done(describe(e)),
            );
          }}
        >
          Delete
        </button>
        {inUse && (
          <span class="hint" id={`inuse-${cred.name}`}>
            Deleting is refused while {cred.used_by.join(', ')} use it.
          </span>
        )}
      </div>
    </article>
  );
}

function AddCredential({ added }: { added: (m: string) => void }) {
  const [name, setName] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [key, setKey] = useState('');
  const [error, setError] = useState<ApiError | string>();
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="card"
      aria-labelledby="add-credential"
      onSubmit={(e) => {
        e.preventDefault();
        const given = key;
        setKey('');
        setBusy(true);
        setError(undefined);
        call<Credential>('POST', '/credentials', { name, key: given, ...(baseUrl ? { base_url: baseUrl } : {}) }).then(
          (c) => {
            setBusy(false);
            setName('');
            setBaseUrl('');
            added(`${c.name}: key tested and stored${c.title ? ` (${c.title})` : ''}`);
          },
          (err: unknown) => (setBusy(false), setError(err instanceof ApiError ? err : describe(err))),
        );
      }}
    >
      <h2 id="add-credential">Add a key</h2>
      <p class="hint">The key is tested against Ashby at once, stored encrypted, and never shown again.</p>
      <div class="fields">
        <label for="cred-name">Name</label>
        <input id="cred-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <label for="cred-url">Ashby base URL</label>
        <input
          id="cred-url"
          type="url"
          placeholder="https://api.ashbyhq.com"
          value={baseUrl}
          onInput={(e) => setBaseUrl(e.currentTarget.value)}
        />
        <label for="cred-key">API key</label>
        <input
          id="cred-key"
          type="password"
          autocomplete="off"
          required
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
        />
      </div>
      <button type="submit" disabled={busy}>
        {busy ? 'Testing…' : 'Test and add'}
      </button>
      <ErrorBox error={typeof error === 'string' ? error : error ? `${error.code}: ${error.message}` : undefined} />
    </form>
  );
}

export function CredentialsPage() {
  const { data, error, reload } = useLoad(() => Promise.all([call<Credential[]>('GET', '/credentials'), catalog()]));
  const [notice, setNotice] = useState<string>();
  const done = (m: string) => (setNotice(m), reload());
  const [creds, cat] = data ?? [];
  return (
    <section>
      <h1 tabIndex={-1}>Credentials</h1>
      <ErrorBox error={error} />
      <p class="notice" role="status">
        {notice ?? ''}
      </p>
      <AddCredential added={done} />
      {creds && cat && creds.length === 0 && <p>No key yet.</p>}
      {creds && cat && creds.map((c) => <CredentialCard key={c.name} cred={c} cat={cat} done={done} />)}
    </section>
  );
}
