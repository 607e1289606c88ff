import type { AshbyResult, CallOptions } from '../ashby/types.js';
import { SinkError } from './errors.js';

/**
 * Lookups that tell whether a create whose outcome is unknown (a timeout after sending, or a
 * crash between the call and the ledger) did happen in Ashby. Each returns the ids of the records
 * that match the create's identifying fields; `adopt` then leaves out those that matched already
 * before the create was first sent (recorded with the intent), and returns the record's id when
 * exactly one is left, undefined when none is, and throws SINK_RECONCILE_AMBIGUOUS when several
 * are (the sink must not guess).
 */
export interface AshbyCaller {
  call<T = unknown>(endpoint: string, body?: Record<string, unknown>, options?: CallOptions): Promise<AshbyResult<T>>;
}

/** The records matching a create's identifying fields, and how to name those fields in an error. */
export interface Matches {
  ids: string[];
  what: string;
}

export type Lookup = (
  ashby: AshbyCaller,
  body: Record<string, unknown>,
  signal?: AbortSignal,
) => Promise<Matches | typeof NOT_RECONCILABLE>;

/** The create's body carries nothing to look it up by (a candidate with no email). */
export const NOT_RECONCILABLE = Symbol('not reconcilable');

interface Contact {
  value?: string;
}
interface CandidateHit {
  id: string;
  name?: string;
  primaryEmailAddress?: Contact;
  emailAddresses?: Contact[];
}
interface JobHit {
  id: string;
  title?: string;
  departmentId?: string;
  locationId?: string;
}
interface ApplicationHit {
  id: string;
  job?: { id?: string };
}

/** The record the create made: the one match that was not there before it was first sent. */
export function adopt(endpoint: string, matches: Matches, existedBefore: readonly string[] = []): string | undefined {
  const before = new Set(existedBefore);
  const ids = matches.ids.filter((id) => !before.has(id));
  if (ids.length <= 1) return ids[0];
  throw new SinkError(
    'SINK_RECONCILE_AMBIGUOUS',
    `${endpoint} may have been applied, and ${ids.length} records match ${matches.what} (${ids.slice(0, 5).join(', ')}); the sink does not guess which one. Check them in Ashby and resend the command if needed.`,
    { details: { endpoint, matches: ids } },
  );
}

const lower = (v: unknown): string => (typeof v === 'string' ? v.trim().toLowerCase() : '');

export const candidateByEmail: Lookup = async (ashby, body, signal) => {
  const email = lower(body.email);
  if (!email) return NOT_RECONCILABLE;
  const { results } = await ashby.call<CandidateHit[]>('candidate.search', { email }, { kind: 'read', signal });
  const name = lower(body.name);
  const hits = (results ?? []).filter(
    (c) =>
      (lower(c.primaryEmailAddress?.value) === email ||
        (c.emailAddresses ?? []).some((e) => lower(e.value) === email)) &&
      (!name || lower(c.name) === name),
  );
  return { ids: hits.map((c) => c.id), what: `email ${email}` };
};

export const jobByTitle: Lookup = async (ashby, body, signal) => {
  const title = typeof body.title === 'string' ? body.title : '';
  if (!title) return NOT_RECONCILABLE;
  const { results } = await ashby.call<JobHit[]>('job.search', { title }, { kind: 'read', signal });
  const hits = (results ?? []).filter(
    (j) =>
      j.title === title &&
      (body.teamId === undefined || j.departmentId === body.teamId) &&
      (body.locationId === undefined || j.locationId === body.locationId),
  );
  return { ids: hits.map((j) => j.id), what: `title "${title}" in that team and location` };
};

/** Ashby refuses a second application of a candidate to a job, so candidate + job identify it exactly. */
export const applicationOfCandidateForJob: Lookup = async (ashby, body, signal) => {
  const { candidateId, jobId } = body;
  if (typeof candidateId !== 'string' || typeof jobId !== 'string') return NOT_RECONCILABLE;
  const candidate = await ashby.call<{ applicationIds?: string[] }>(
    'candidate.info',
    { id: candidateId },
    { kind: 'read', signal },
  );
  const hits: string[] = [];
  for (const applicationId of candidate.results.applicationIds ?? []) {
    const app = await ashby.call<ApplicationHit>('application.info', { applicationId }, { kind: 'read', signal });
    if (app.results.job?.id === jobId) hits.push(app.results.id);
  }
  return { ids: hits, what: `candidate ${candidateId} and job ${jobId}` };
};
