import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { signIn, signOut } from './api';
import { CredentialsPage } from './credentials';
import { NewPipelinePage } from './new-pipeline';
import { PipelinePage, PipelinesPage } from './pipelines';
import { describe, ErrorBox } from './util';

/**
 * The web console of `ashby-kafka serve` (docs/console.md): pipelines, credentials and a new
 * pipeline form, on the public REST API only. Pages are kept in memory too (no router): the
 * page's address never changes, so nothing can leak through it.
 */
export type Page =
  { name: 'pipelines' } | { name: 'pipeline'; pipeline: string } | { name: 'credentials' } | { name: 'new' };

function SignIn({ onDone }: { onDone: () => void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <main class="signin">
      <h1>ashby-kafka console</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          const given = value;
          setValue('');
          signIn(given).then(onDone, (err: unknown) => (setError(describe(err)), setBusy(false)));
        }}
      >
        <label for="token">Worker token</label>
        <p class="hint" id="token-hint">
          One of the worker&apos;s <code>worker.rest.tokens</code>. It is kept in this page&apos;s memory only.
        </p>
        <input
          id="token"
          type="password"
          autocomplete="off"
          aria-describedby="token-hint"
          required
          value={value}
          onInput={(e) => setValue(e.currentTarget.value)}
        />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        <ErrorBox error={error} />
      </form>
    </main>
  );
}

const TABS: Array<{ name: 'pipelines' | 'credentials' | 'new'; label: string }> = [
  { name: 'pipelines', label: 'Pipelines' },
  { name: 'credentials', label: 'Credentials' },
  { name: 'new', label: 'New pipeline' },
];

function App() {
  const [authed, setAuthed] = useState(false);
  const [page, setPage] = useState<Page>({ name: 'pipelines' });
  const heading = useRef<HTMLDivElement>(null);
  useEffect(() => heading.current?.querySelector('h1')?.focus(), [page]);
  if (!authed) return <SignIn onDone={() => setAuthed(true)} />;
  return (
    <>
      <header>
        <span class="brand">ashby-kafka</span>
        <nav aria-label="Console">
          {TABS.map((t) => (
            <button
              key={t.name}
              type="button"
              class="tab"
              aria-current={page.name === t.name ? 'page' : undefined}
              onClick={() => setPage({ name: t.name } as Page)}
            >
              {t.label}
            </button>
          ))}
        </nav>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            signOut();
            setAuthed(false);
          }}
        >
          Sign out
        </button>
      </header>
      <main ref={heading}>
        {page.name === 'pipelines' && <PipelinesPage open={(p) => setPage({ name: 'pipeline', pipeline: p })} />}
        {page.name === 'pipeline' && <PipelinePage name={page.pipeline} back={() => setPage({ name: 'pipelines' })} />}
        {page.name === 'credentials' && <CredentialsPage />}
        {page.name === 'new' && <NewPipelinePage created={() => setPage({ name: 'pipelines' })} />}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
