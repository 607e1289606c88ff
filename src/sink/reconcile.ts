import type { AshbyResult, CallOptions } from '../ashby/types.js';
import { SinkError } from './errors.js';

/**
 * Lookups that tell whether a create whose outcome is unknown (a timeout after sending, or a
 * crash between the call and the ledger) did happen in Ashby. Each returns the record's id when
 * exactly one record matches the create's identifying fields, undefined when none does, and
 * throws SINK_RECONCILE_AMBIGUOUS when several do (the sink must not guess).
 */
export interface AshbyCaller {
  call<T = unknown>(endpoint: string, body?: Record<string, unknown>, options?: CallOptions): Promise<AshbyResult<T>>;
}

type Lookup = (ashby: AshbyCaller, body: Record<string, unknown>, signal?: AbortSignal) => Promise<string | undefined | typeof NOT_RECONCILABLE>;

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

function one(endpoint: string, ids: string[], what: string): string | undefined {
  if (ids.length <= 1) return ids[0];
  throw new SinkError(
    'SINK_RECONCILE_AMBIGUOUS',
    `${endpoint} may have been applied, and ${ids.length} records match ${what} (${ids.slice(0, 5).join(', ')}); the sink does not guess which one. Check them in Ashby and resend the command if needed.`,
    { details: { endpoint, matches: ids } },
  );
}

const lower = (v: unknown): string => (typeof v === 'string' ? v.trim().toLowerCase() : '');

const candidateByEmail: Lookup = async (ashby, body, signal) => {
  const email = lower(body.email);
  if (!email) return NOT_RECONCILABLE;
  const { results } = await ashby.call<CandidateHit[]>('candidate.search', { email }, { kind: 'read', signal });
  const name = lower(body.name);
  const hits = (results ?? []).filter(
    (c) =>
      (lower(c.primaryEmailAddress?.value) === email || (c.emailAddresses ?? []).some((e) => lower(e.value) === email)) && (!name || lower(c.name) === name),
  );
  return one('candidate.create', hits.map((c) => c.id), `email ${email}`);
};

const jobByTitle: Lookup = async (ashby, body, signal) => {
  const title = typeof body.title === 'string' ? body.title : '';
  if (!title) return NOT_RECONCILABLE;
  const { results } = await ashby.call<JobHit[]>('job.search', { title }, { kind: 'read', signal });
  const hits = (results ?? []).filter(
    (j) => j.title === title && (body.teamId === undefined || j.departmentId === body.teamId) && (body.locationId === undefined || j.locationId === body.locationId),
  );
  return one('job.create', hits.map((j) => j.id), `title "${title}" in that team and location`);
};

/** Ashby refuses a second application of a candidate to a job, so candidate + job identify it exactly. */
const applicationOfCandidateForJob: Lookup = async (ashby, body, signal) => {
  const { candidateId, jobId } = body;
  if (typeof candidateId !== 'string' || typeof jobId !== 'string') return NOT_RECONCILABLE;
  const candidate = await ashby.call<{ applicationIds?: string[] }>('candidate.info', { id: candidateId }, { kind: 'read', signal });
  const hits: string[] = [];
  for (const applicationId of candidate.results.applicationIds ?? []) {
    const app = await ashby.call<ApplicationHit>('application.info', { applicationId }, { kind: 'read', signal });
    if (app.results.job?.id === jobId) hits.push(app.results.id);
  }
  return one('application.create', hits, `candidate ${candidateId} and job ${jobId}`);
};

/** Creates the sink can reconcile, by endpoint. */
export const RECONCILERS: Readonly<Record<string, Lookup>> = {
  'candidate.create': candidateByEmail,
  'job.create': jobByTitle,
  'application.create': applicationOfCandidateForJob,
};
