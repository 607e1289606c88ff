import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api';

/** Loads data now and every `everyMs` (0: once); `reload` loads again at once. */
export function useLoad<T>(load: () => Promise<T>, everyMs = 0): { data?: T; error?: string; reload: () => void } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const latest = useRef(load);
  latest.current = load;
  const inFlight = useRef(false);
  const again = useRef(false);
  const reload = useCallback(() => {
    // A slow answer is waited for, not stacked on (polls never pile up on a busy worker); a
    // reload asked for meanwhile runs once it is in.
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    latest
      .current()
      .then(
        (d) => (setData(d), setError(undefined)),
        (e: unknown) => setError(describe(e)),
      )
      .finally(() => {
        inFlight.current = false;
        if (again.current) {
          again.current = false;
          reload();
        }
      });
  }, []);
  useEffect(() => {
    reload();
    if (!everyMs) return;
    const t = setInterval(reload, everyMs);
    return () => clearInterval(t);
  }, [reload, everyMs]);
  return { data, error, reload };
}

export function describe(e: unknown): string {
  if (e instanceof ApiError) return `${e.code}: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}

export function ago(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

export function ErrorBox({ error, problems }: { error?: string | undefined; problems?: string[] | undefined }) {
  if (!error) return null;
  return (
    <div class="error" role="alert">
      <p>{error}</p>
      {problems && problems.length > 0 && (
        <ul>
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
