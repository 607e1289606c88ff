import type { Application } from '../records/application.js';
import type {
  Candidate,
  CandidateAddTagBody,
  CandidateCreateBody,
  CandidateCreateNoteBody,
  CandidateNote,
  CandidateSearchBody,
  CandidateUpdateBody,
} from '../records/candidate.js';
import type { AshbyPage, AshbyResult, CallOptions, PagesOptions, TypedCaller } from '../types.js';

/** candidate.* (docs/ashby-api.md §5.3). */
export function candidateEndpoints(c: TypedCaller) {
  return {
    list: (
      body: { createdAfter?: number; createdBefore?: number } = {},
      options?: PagesOptions,
    ): AsyncIterable<AshbyPage<Candidate>> => c.list<Candidate>('candidate.list', body, options),
    /** By Ashby id, or by the id in an external HRIS. The key is `id`, not `candidateId`. */
    info: (
      by: { id: string } | { externalMappingId: string },
      options?: CallOptions,
    ): Promise<AshbyResult<Candidate>> => c.read<Candidate>('candidate.info', by, options),
    /** ANDed when both fields are given; at most 100 results. */
    search: (body: CandidateSearchBody, options?: CallOptions): Promise<AshbyResult<Candidate[]>> =>
      c.read<Candidate[]>('candidate.search', body, options),
    create: (body: CandidateCreateBody, options?: CallOptions): Promise<AshbyResult<Candidate>> =>
      c.write<Candidate>('candidate.create', body, options),
    update: (body: CandidateUpdateBody, options?: CallOptions): Promise<AshbyResult<Candidate>> =>
      c.write<Candidate>('candidate.update', body, options),
    addTag: (body: CandidateAddTagBody, options?: CallOptions): Promise<AshbyResult<Candidate>> =>
      c.write<Candidate>('candidate.addTag', body, options),
    createNote: (body: CandidateCreateNoteBody, options?: CallOptions): Promise<AshbyResult<CandidateNote>> =>
      c.write<CandidateNote>('candidate.createNote', body, options),
    listNotes: (candidateId: string, options?: PagesOptions): AsyncIterable<AshbyPage<CandidateNote>> =>
      c.list<CandidateNote>('candidate.listNotes', { candidateId }, options),
  };
}

/** Every application of a candidate for one job (for reconciling an ambiguous application.create). */
export async function applicationsForCandidateAndJob(
  c: TypedCaller,
  candidateId: string,
  jobId: string,
  options?: CallOptions,
): Promise<Application[]> {
  const candidate = await c.read<Candidate>('candidate.info', { id: candidateId }, options);
  const out: Application[] = [];
  for (const applicationId of candidate.results.applicationIds) {
    const app = await c.read<Application>('application.info', { applicationId }, options);
    if (app.results.job.id === jobId) out.push(app.results);
  }
  return out;
}
