import type { AshbyPage, PagesOptions } from '../ashby/types.js';
import { FilePart } from '../ashby/multipart.js';
import { NOT_RECONCILABLE, type AshbyCaller, type Matches } from './reconcile.js';

/**
 * Settling an unknown outcome of a note or a file upload. Neither has a natural key, so the sink
 * makes one it controls and keeps it with the intent in the ledger:
 *
 * - **Notes**: the note's `createdAt`, to the millisecond. When the command gives none, the sink
 *   stamps one when it records the intent (`Progress.markers`), sends it with the note, and on
 *   resume sends the same one again. Ashby keeps `createdAt` as sent
 *   (https://developers.ashbyhq.com/reference/candidatecreatenote), so the note is found by
 *   listing the candidate's notes (candidate.listNotes) for that instant.
 * - **Files**: the file's name, among the candidate's `fileHandles` (candidate.info).
 *
 * Both are also looked up before the first send, and those matches recorded with the intent
 * (`Progress.existing`), so an older note of the same instant or an older file of the same name
 * is never taken for the new one. One new match: adopted; none: the upload (or note) is sent
 * again; several: SINK_RECONCILE_AMBIGUOUS, dead-lettered.
 */

/** A caller that can also page through a list; the Ashby client is one. */
interface Lister {
  pages<T>(endpoint: string, body: Record<string, unknown>, options?: PagesOptions): AsyncIterable<AshbyPage<T>>;
}

interface NoteHit {
  id: string;
  createdAt?: string;
}

interface FileHit {
  id: string;
  name?: string;
}

interface CandidateFiles {
  resumeFileHandle?: FileHit | null;
  fileHandles?: FileHit[];
}

async function listNotes(ashby: AshbyCaller, candidateId: string, signal?: AbortSignal): Promise<NoteHit[]> {
  const lister = ashby as AshbyCaller & Partial<Lister>;
  if (typeof lister.pages === 'function') {
    const out: NoteHit[] = [];
    for await (const page of lister.pages<NoteHit>(
      'candidate.listNotes',
      { candidateId },
      { signal, completeness: false },
    ))
      out.push(...page.results);
    return out;
  }
  const { results } = await ashby.call<NoteHit[]>(
    'candidate.listNotes',
    { candidateId, limit: 100 },
    { kind: 'read', signal },
  );
  return results ?? [];
}

export const noteByMarker = async (
  ashby: AshbyCaller,
  body: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<Matches | typeof NOT_RECONCILABLE> => {
  const { candidateId, createdAt } = body;
  const at = typeof createdAt === 'string' ? Date.parse(createdAt) : NaN;
  if (typeof candidateId !== 'string' || Number.isNaN(at)) return NOT_RECONCILABLE;
  const notes = await listNotes(ashby, candidateId, signal);
  const hits = notes.filter((n) => typeof n.createdAt === 'string' && Date.parse(n.createdAt) === at);
  return {
    ids: hits.map((n) => n.id),
    what: `a note on candidate ${candidateId} created at ${new Date(at).toISOString()}`,
  };
};

export const fileByName = async (
  ashby: AshbyCaller,
  body: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<Matches | typeof NOT_RECONCILABLE> => {
  const { candidateId } = body;
  const part = Object.values(body).find((v): v is FilePart => v instanceof FilePart);
  const name = part?.filename ?? (typeof body.filename === 'string' ? body.filename : undefined);
  if (typeof candidateId !== 'string' || !name) return NOT_RECONCILABLE;
  const { results } = await ashby.call<CandidateFiles>('candidate.info', { id: candidateId }, { kind: 'read', signal });
  const handles = [...(results.fileHandles ?? []), ...(results.resumeFileHandle ? [results.resumeFileHandle] : [])];
  const ids = [...new Set(handles.filter((h) => h.name === name).map((h) => h.id))];
  return { ids, what: `a file named "${name}" on candidate ${candidateId}` };
};

/** The instant a note's intent is recorded with, when its command gives no createdAt. */
export function noteMarker(now: Date = new Date()): string {
  return now.toISOString();
}
