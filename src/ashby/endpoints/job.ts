import type {
  Job,
  JobCreateBody,
  JobPosting,
  JobPostingSummary,
  JobSearchBody,
  JobSetStatusBody,
  JobStatus,
  JobUpdateBody,
  Opening,
} from '../records/job.js';
import type { AshbyPage, AshbyResult, CallOptions, PagesOptions, TypedCaller } from '../types.js';

type JobExpand = 'location' | 'openings';

export interface JobListBody {
  createdAfter?: number;
  /** Default (completeness table): every status, Draft included. */
  status?: JobStatus[];
  openedAfter?: number;
  openedBefore?: number;
  closedAfter?: number;
  closedBefore?: number;
  includeUnpublishedJobPostingsIds?: boolean;
  expand?: JobExpand[];
}

/** job.*, jobPosting.*, opening.* (docs/ashby-api.md §5.4, §5.7). */
export function jobEndpoints(c: TypedCaller) {
  return {
    list: (body: JobListBody = {}, options?: PagesOptions): AsyncIterable<AshbyPage<Job>> =>
      c.list<Job>('job.list', body, options),
    /** The key is `id`, not `jobId`. */
    info: (
      id: string,
      options?: CallOptions & { expand?: JobExpand[]; includeUnpublishedJobPostingsIds?: boolean },
    ): Promise<AshbyResult<Job>> =>
      c.read<Job>(
        'job.info',
        {
          id,
          includeUnpublishedJobPostingsIds: options?.includeUnpublishedJobPostingsIds ?? true,
          ...(options?.expand ? { expand: options.expand } : {}),
        },
        options,
      ),
    search: (body: JobSearchBody, options?: CallOptions): Promise<AshbyResult<Job[]>> =>
      c.read<Job[]>('job.search', body, options),
    create: (body: JobCreateBody, options?: CallOptions): Promise<AshbyResult<Job>> =>
      c.write<Job>('job.create', body, options),
    update: (body: JobUpdateBody, options?: CallOptions): Promise<AshbyResult<Job>> =>
      c.write<Job>('job.update', body, options),
    setStatus: (body: JobSetStatusBody, options?: CallOptions): Promise<AshbyResult<Job>> =>
      c.write<Job>('job.setStatus', body, options),
  };
}

export function jobPostingEndpoints(c: TypedCaller) {
  return {
    /** Single page; listed and unlisted postings of the primary external board. */
    list: (
      body: { location?: string; department?: string; listedOnly?: boolean; jobBoardId?: string } = {},
      options?: PagesOptions,
    ) => c.list<JobPostingSummary>('jobPosting.list', body, options),
    info: (jobPostingId: string, options?: CallOptions): Promise<AshbyResult<JobPosting>> =>
      c.read<JobPosting>('jobPosting.info', { jobPostingId }, options),
  };
}

export function openingEndpoints(c: TypedCaller) {
  return {
    list: (body: { createdAfter?: number } = {}, options?: PagesOptions): AsyncIterable<AshbyPage<Opening>> =>
      c.list<Opening>('opening.list', body, options),
    info: (openingId: string, options?: CallOptions): Promise<AshbyResult<Opening>> =>
      c.read<Opening>('opening.info', { openingId }, options),
  };
}
