import { Kind } from '../data/ids.js';
import type { JobModel, JobPostingModel, OpeningModel } from '../data/models.js';
import type { DepartmentModel, LocationModel, UserModel } from '../data/org.js';
import type { InterviewModel, InterviewerPoolModel, JobTemplateModel } from '../data/process.js';
import { STAGES_PER_PLAN } from '../data/world.js';
import { optBool, optId, optInt, optString, optStringArray, reqId, type Body } from '../http/params.js';
import { notFound } from '../http/wire-error.js';
import type { ListSpec } from '../lists/paginator.js';
import type { StoredRecord } from '../store/store.js';
import {
  interviewerPoolView,
  jobPostingSummaryView,
  jobTemplateView,
  jobView,
  locationView,
  openingView,
  postingPublished,
} from '../views/jobs.js';

/** List endpoints over jobs, the hiring process and the organisation (docs/ashby-api.md §2.3, §2.4, §5.4, §5.7–5.9). */

const JOB_STATUSES = ['Draft', 'Open', 'Closed', 'Archived'] as const;
/** job.list leaves Draft jobs out unless `status` lists them (docs/ashby-api.md §2.4). */
const DEFAULT_JOB_STATUSES = ['Open', 'Closed', 'Archived'];

/** includeArchived-style filter: archived records only when the flag is true (docs/ashby-api.md §2.4). */
function archivedFilter(flag: string) {
  return (record: StoredRecord, body: Body): boolean => optBool(body, flag) === true || record.isArchived !== true;
}

function asIs(record: StoredRecord): unknown {
  return record;
}

function timeBetween(value: string | null, after: number | undefined, before: number | undefined): boolean {
  if (after === undefined && before === undefined) return true;
  if (value === null) return false;
  const t = Date.parse(value);
  return (after === undefined || t > after) && (before === undefined || t < before);
}

export const ORG_LISTS: ListSpec[] = [
  {
    endpoint: 'job.list',
    entity: 'job',
    paging: 'sync',
    createdAfter: true,
    validate: (body) => {
      optStringArray(body, 'status', JOB_STATUSES);
      for (const k of ['openedAfter', 'openedBefore', 'closedAfter', 'closedBefore']) optInt(body, k);
      optBool(body, 'includeUnpublishedJobPostingsIds');
      optStringArray(body, 'expand', ['location', 'openings']);
    },
    include: (j, body, ctx) => {
      const job = j as unknown as JobModel;
      const statuses = (body.status as string[] | undefined) ?? DEFAULT_JOB_STATUSES;
      return (
        statuses.includes(job.status) &&
        timeBetween(job.openedAt, optInt(body, 'openedAfter'), optInt(body, 'openedBefore')) &&
        timeBetween(job.closedAt, optInt(body, 'closedAfter'), optInt(body, 'closedBefore')) &&
        ctx.view.jobVisible(job.id)
      );
    },
    view: (j, ctx, body) =>
      jobView(j as unknown as JobModel, ctx.view, {
        includeUnpublishedJobPostingsIds: optBool(body, 'includeUnpublishedJobPostingsIds') === true,
        expand: (body.expand as string[] | undefined) ?? [],
      }),
  },
  {
    endpoint: 'jobPosting.list',
    entity: 'jobPosting',
    paging: 'single',
    validate: (body) => {
      optString(body, 'location');
      optString(body, 'department');
      optBool(body, 'listedOnly');
      optId(body, 'jobBoardId');
    },
    include: (p, body, ctx) => {
      const posting = p as unknown as JobPostingModel;
      if (!postingPublished(posting, ctx.view) || !ctx.view.jobVisible(posting.jobId)) return false;
      if (optBool(body, 'listedOnly') === true && !posting.isListed) return false;
      const summary = jobPostingSummaryView(posting, ctx.view);
      // Location and department filters match names exactly, case included (docs/ashby-api.md §5.7).
      if (typeof body.location === 'string' && summary.locationName !== body.location) return false;
      if (
        typeof body.department === 'string' &&
        summary.departmentName !== body.department &&
        summary.teamName !== body.department
      )
        return false;
      return true;
    },
    view: (p, ctx) => jobPostingSummaryView(p as unknown as JobPostingModel, ctx.view),
  },
  {
    endpoint: 'opening.list',
    entity: 'opening',
    paging: 'sync',
    createdAfter: true,
    include: (o, _b, ctx) => {
      const jobs = (o as unknown as OpeningModel).latestVersion.jobIds;
      return jobs.length === 0 || jobs.some((id) => ctx.view.jobVisible(id));
    },
    view: (o, ctx) => openingView(o as unknown as OpeningModel, ctx.view),
  },
  {
    endpoint: 'interview.list',
    entity: 'interview',
    paging: 'sync',
    include: (i, body, ctx) => {
      const interview = i as unknown as InterviewModel;
      if (!archivedFilter('includeArchived')(i, body)) return false;
      // Job-specific interviews only with includeNonSharedInterviews (docs/ashby-api.md §2.4).
      if (interview.jobId !== undefined && optBool(body, 'includeNonSharedInterviews') !== true) return false;
      return ctx.view.jobVisible(interview.jobId);
    },
    view: asIs,
  },
  {
    endpoint: 'interviewPlan.list',
    entity: 'interviewPlan',
    paging: 'sync',
    include: archivedFilter('includeArchived'),
    view: asIs,
  },
  {
    endpoint: 'interviewStage.list',
    entity: 'interviewStage',
    paging: 'single',
    singleMoreDataAvailable: true,
    scope: (body, ctx) => {
      const planId = reqId(body, 'interviewPlanId');
      const plan = ctx.core.world.ids.indexOf(Kind.InterviewPlan, planId);
      if (plan === undefined || !ctx.core.store.get('interviewPlan', planId)) throw notFound('interviewPlan', planId);
      return Array.from({ length: STAGES_PER_PLAN }, (_, s) =>
        ctx.core.world.id(Kind.InterviewStage, plan * STAGES_PER_PLAN + s),
      );
    },
    view: asIs,
  },
  {
    endpoint: 'department.list',
    entity: 'department',
    paging: 'sync',
    include: archivedFilter('includeArchived'),
    view: (d) => d as unknown as DepartmentModel,
  },
  {
    endpoint: 'location.list',
    entity: 'location',
    paging: 'sync',
    include: (l, body) => {
      const location = l as unknown as LocationModel;
      if (!archivedFilter('includeArchived')(l, body)) return false;
      // Regions (LocationHierarchy) only with includeLocationHierarchy (docs/ashby-api.md §2.4).
      return location.type !== 'LocationHierarchy' || optBool(body, 'includeLocationHierarchy') === true;
    },
    view: (l) => locationView(l as unknown as LocationModel),
  },
  {
    endpoint: 'user.list',
    entity: 'user',
    paging: 'sync',
    include: (u, body) => (u as unknown as UserModel).isEnabled || optBool(body, 'includeDeactivated') === true,
    view: asIs,
  },
  {
    endpoint: 'source.list',
    entity: 'source',
    paging: 'single',
    singleMoreDataAvailable: true,
    include: archivedFilter('includeArchived'),
    view: asIs,
  },
  {
    endpoint: 'archiveReason.list',
    entity: 'archiveReason',
    paging: 'single',
    include: archivedFilter('includeArchived'),
    view: asIs,
  },
  {
    endpoint: 'closeReason.list',
    entity: 'closeReason',
    paging: 'single',
    singleMoreDataAvailable: true,
    include: archivedFilter('includeArchived'),
    view: asIs,
  },
  {
    endpoint: 'candidateTag.list',
    entity: 'candidateTag',
    paging: 'sync',
    include: archivedFilter('includeArchived'),
    view: asIs,
  },
  {
    endpoint: 'customField.list',
    entity: 'customField',
    paging: 'sync',
    include: archivedFilter('includeArchived'),
    view: asIs,
  },
  {
    endpoint: 'feedbackFormDefinition.list',
    entity: 'feedbackFormDefinition',
    paging: 'sync',
    include: archivedFilter('includeArchived'),
    view: asIs,
  },
  { endpoint: 'surveyFormDefinition.list', entity: 'surveyFormDefinition', paging: 'sync', view: asIs },
  {
    endpoint: 'jobTemplate.list',
    entity: 'jobTemplate',
    paging: 'sync',
    validate: (body) => optStringArray(body, 'expand', ['location']),
    view: (t, ctx, body) =>
      jobTemplateView(
        t as unknown as JobTemplateModel,
        ctx.view,
        Array.isArray(body.expand) && body.expand.includes('location'),
      ),
  },
  {
    endpoint: 'interviewerPool.list',
    entity: 'interviewerPool',
    paging: 'sync',
    include: archivedFilter('includeArchivedPools'),
    view: (p, ctx, body) => {
      const out = interviewerPoolView(p as unknown as InterviewerPoolModel, ctx.view, false);
      const path = out.trainingPath as { trainingStages: { isArchived: boolean }[] } | undefined;
      if (path && optBool(body, 'includeArchivedTrainingStages') !== true)
        path.trainingStages = path.trainingStages.filter((s) => !s.isArchived);
      return out;
    },
  },
];
