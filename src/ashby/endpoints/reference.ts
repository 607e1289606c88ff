import type { ArchiveReason, CustomFieldValue, Source, Tag, User } from '../records/common.js';
import type {
  Interview,
  InterviewEvent,
  InterviewPlan,
  InterviewSchedule,
  InterviewStage,
} from '../records/interview.js';
import type {
  ApiKeyInfo,
  Approval,
  CloseReason,
  CustomFieldDefinition,
  CustomFieldSetValuesBody,
  FeedbackFormDefinition,
  Project,
} from '../records/metadata.js';
import type { Department, Location } from '../records/organization.js';
import type { AshbyPage, AshbyResult, CallOptions, PagesOptions, TypedCaller } from '../types.js';

/**
 * Organization, hiring-process metadata and interviews (docs/ashby-api.md §5.8, §5.9). List bodies carry only filters;
 * the paginator adds the completeness flags (docs/ashby-api.md §2.4).
 */
type List<T> = (body?: Record<string, unknown>, options?: PagesOptions) => AsyncIterable<AshbyPage<T>>;

function lister<T>(c: TypedCaller, endpoint: string): List<T> {
  return (body = {}, options) => c.list<T>(endpoint, body, options);
}

export function referenceEndpoints(c: TypedCaller) {
  return {
    apiKey: {
      /** Needs API Keys: read. A cheap credential check that also lists the key's scopes. */
      info: (options?: CallOptions): Promise<AshbyResult<ApiKeyInfo>> => c.read<ApiKeyInfo>('apiKey.info', {}, options),
    },
    department: {
      list: lister<Department>(c, 'department.list'),
      info: (departmentId: string, options?: CallOptions) =>
        c.read<Department>('department.info', { departmentId }, options),
    },
    location: {
      list: lister<Location>(c, 'location.list'),
      info: (locationId: string, options?: CallOptions) => c.read<Location>('location.info', { locationId }, options),
    },
    user: {
      list: lister<User>(c, 'user.list'),
      info: (userId: string, options?: CallOptions) => c.read<User>('user.info', { userId }, options),
    },
    source: { list: lister<Source>(c, 'source.list') },
    archiveReason: { list: lister<ArchiveReason>(c, 'archiveReason.list') },
    closeReason: { list: lister<CloseReason>(c, 'closeReason.list') },
    candidateTag: {
      list: lister<Tag>(c, 'candidateTag.list'),
      /** Returns the existing tag when one with this title exists (docs/ashby-api.md §5.9), so a retry cannot duplicate. */
      create: (title: string, options?: CallOptions): Promise<AshbyResult<Tag>> =>
        c.write<Tag>('candidateTag.create', { title }, options),
    },
    customField: {
      list: lister<CustomFieldDefinition>(c, 'customField.list'),
      /** Several fields in one call (avoids races between single setValue calls). */
      setValues: (body: CustomFieldSetValuesBody, options?: CallOptions): Promise<AshbyResult<CustomFieldValue[]>> =>
        c.write<CustomFieldValue[]>('customField.setValues', body, options),
    },
    feedbackFormDefinition: { list: lister<FeedbackFormDefinition>(c, 'feedbackFormDefinition.list') },
    interview: {
      list: lister<Interview>(c, 'interview.list'),
      info: (id: string, options?: CallOptions) => c.read<Interview>('interview.info', { id }, options),
    },
    interviewPlan: { list: lister<InterviewPlan>(c, 'interviewPlan.list') },
    interviewStage: {
      /** Ordered stages of one plan, single page. */
      list: (interviewPlanId: string, options?: PagesOptions) =>
        c.list<InterviewStage>('interviewStage.list', { interviewPlanId }, options),
    },
    interviewSchedule: { list: lister<InterviewSchedule>(c, 'interviewSchedule.list') },
    interviewEvent: {
      list: (interviewScheduleId: string, body: { expand?: 'interview'[] } = {}, options?: PagesOptions) =>
        c.list<InterviewEvent>('interviewEvent.list', { interviewScheduleId, ...body }, options),
    },
    approval: { list: lister<Approval>(c, 'approval.list') },
    project: { list: lister<Project>(c, 'project.list') },
  };
}
