import type {
  Application,
  ApplicationChangeSourceBody,
  ApplicationChangeStageBody,
  ApplicationCreateBody,
  ApplicationHistory,
  ApplicationListBody,
  ApplicationUpdateBody,
} from '../records/application.js';
import type { AshbyPage, AshbyResult, CallOptions, PagesOptions, TypedCaller } from '../types.js';
import { applicationsForCandidateAndJob } from './candidate.js';

type ApplicationExpand = 'openings' | 'applicationFormSubmissions' | 'referrals';

/** application.* (docs/ashby-api.md §5.5). */
export function applicationEndpoints(c: TypedCaller) {
  return {
    list: (body: ApplicationListBody = {}, options?: PagesOptions): AsyncIterable<AshbyPage<Application>> =>
      c.list<Application>('application.list', body, options),
    info: (
      applicationId: string,
      options?: CallOptions & { expand?: ApplicationExpand[] },
    ): Promise<AshbyResult<Application>> =>
      c.read<Application>(
        'application.info',
        { applicationId, ...(options?.expand ? { expand: options.expand } : {}) },
        options,
      ),
    create: (body: ApplicationCreateBody, options?: CallOptions): Promise<AshbyResult<Application>> =>
      c.write<Application>('application.create', body, options),
    update: (body: ApplicationUpdateBody, options?: CallOptions): Promise<AshbyResult<Application>> =>
      c.write<Application>('application.update', body, options),
    changeStage: (body: ApplicationChangeStageBody, options?: CallOptions): Promise<AshbyResult<Application>> =>
      c.write<Application>('application.changeStage', body, options),
    changeSource: (body: ApplicationChangeSourceBody, options?: CallOptions): Promise<AshbyResult<Application>> =>
      c.write<Application>('application.changeSource', body, options),
    listHistory: (applicationId: string, options?: PagesOptions): AsyncIterable<AshbyPage<ApplicationHistory>> =>
      c.list<ApplicationHistory>('application.listHistory', { applicationId }, options),
    /**
     * The candidate's applications to this job. Ashby has no list filter by candidate, so this
     * reads candidate.info's applicationIds and then each application (reads only).
     */
    listByCandidateAndJob: (candidateId: string, jobId: string, options?: CallOptions): Promise<Application[]> =>
      applicationsForCandidateAndJob(c, candidateId, jobId, options),
  };
}
