/** How a pass reads: everything, or what changed since the last sync token. */
export type PassMode = 'full' | 'incremental';

/**
 * Where a stream stands, as kept by the state store between runs (one per topic).
 * - `syncToken`: the token the last completed pass ended with; the next incremental pass starts
 *   from it. Absent: the next pass is a full one.
 * - `digests`: for streams without sync tokens, what the last completed pass produced.
 * - `pass`: an unfinished pass, checkpointed after each page under exactly-once (the page's
 *   records and this position commit in one transaction), so a rerun continues where the
 *   crashed one stopped instead of producing those pages again.
 */
export interface StreamPosition {
  syncToken?: string;
  /**
   * Snapshot streams (no sync token: single-response and cursor-only lists): a digest of each
   * record as last produced, by id, so an incremental pass produces only new and changed records.
   */
  digests?: Record<string, string>;
  pass?: {
    mode: PassMode;
    /** The sync token the pass started from (incremental passes). */
    from?: string;
    /** Cursor of the next page to read. */
    cursor: string;
    /** Pages already read in this pass. */
    pages: number;
  };
}

/** The stored state of one stream: its position plus facts for people reading the state topic. */
export interface StreamState extends StreamPosition {
  stream: string;
  /** ISO time of the write. */
  updatedAt: string;
  /** The sync run that wrote it. */
  runId: string;
}

/** Reads a stored state defensively: anything malformed counts as "no state" (a full pass). */
export function parseStreamState(value: unknown): StreamState | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.stream !== 'string') return undefined;
  const out: StreamState = {
    stream: v.stream,
    updatedAt: typeof v.updatedAt === 'string' ? v.updatedAt : '',
    runId: typeof v.runId === 'string' ? v.runId : '',
  };
  if (typeof v.syncToken === 'string' && v.syncToken !== '') out.syncToken = v.syncToken;
  const d = v.digests;
  if (d && typeof d === 'object' && !Array.isArray(d) && Object.values(d).every((x) => typeof x === 'string'))
    out.digests = d as Record<string, string>;
  const p = v.pass as Record<string, unknown> | undefined;
  if (
    p &&
    typeof p === 'object' &&
    typeof p.cursor === 'string' &&
    (p.mode === 'full' || p.mode === 'incremental') &&
    typeof p.pages === 'number'
  ) {
    out.pass = {
      mode: p.mode,
      cursor: p.cursor,
      pages: p.pages,
      ...(typeof p.from === 'string' ? { from: p.from } : {}),
    };
  }
  return out;
}
