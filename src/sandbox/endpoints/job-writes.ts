import { iso } from '../clock.js';
import { Kind } from '../data/ids.js';
import type { JobModel } from '../data/models.js';
import type { JobTemplateModel } from '../data/process.js';
import { optEnum, optId, optString, reqId, reqString, type Body } from '../http/params.js';
import type { Handler, RequestContext } from '../http/request-context.js';
import { invalidInput, notFound } from '../http/wire-error.js';
import type { EntityName } from '../store/entities.js';
import { FULL_VIEWER, ViewContext } from '../views/context.js';
import { jobView } from '../views/jobs.js';
import { actorId } from './candidate-writes.js';

/** job.create / update / setStatus (docs/ashby-api.md §5.4). */

type JobStatus = JobModel['status'];
const STATUSES: readonly JobStatus[] = ['Draft', 'Open', 'Closed', 'Archived'];

/** Ashby's job status machine: new jobs are Draft; any other move is refused (docs/ashby-api.md §5.4). */
export const JOB_TRANSITIONS: Readonly<Record<JobStatus, readonly JobStatus[]>> = {
  Draft: ['Open', 'Archived'],
  Open: ['Closed'],
  Closed: ['Draft', 'Archived'],
  Archived: ['Draft'],
};

function ref(ctx: RequestContext, body: Body, key: string, entity: EntityName): string | undefined {
  const id = optId(body, key);
  if (id !== undefined && !ctx.core.store.get(entity, id)) throw notFound(entity, id);
  return id;
}

function visibleJob(ctx: RequestContext, id: string): JobModel {
  const job = ctx.core.store.get<JobModel>('job', id);
  if (!job || !ctx.view.jobVisible(id)) throw notFound('job', id);
  return job;
}

function emit(ctx: RequestContext, action: 'jobCreate' | 'jobUpdate', job: JobModel): void {
  ctx.events.push({ action, data: { job: jobView(job, new ViewContext(ctx.core.store, FULL_VIEWER)) } });
}

export const JOB_WRITE_HANDLERS: Record<string, Handler> = {
  'job.create': (ctx) => {
    const { body } = ctx;
    const title = reqString(body, 'title').trim();
    const templateId = ref(ctx, body, 'jobTemplateId', 'jobTemplate');
    const template = templateId ? ctx.core.store.get<JobTemplateModel>('jobTemplate', templateId) : undefined;
    if (template && template.status !== 'Active')
      throw invalidInput(`Job template "${template.title}" is inactive; only active templates can create jobs`);
    const teamId = ref(ctx, body, 'teamId', 'department') ?? template?.departmentId;
    const locationId = ref(ctx, body, 'locationId', 'location') ?? template?.locationId;
    if (!teamId) throw invalidInput('teamId is required');
    if (!locationId) throw invalidInput('locationId is required');
    const planId = ref(ctx, body, 'defaultInterviewPlanId', 'interviewPlan') ?? template?.defaultInterviewPlanId;
    const brandId = optId(body, 'brandId');
    if (brandId !== undefined && brandId !== ctx.core.world.id(Kind.Brand, 0)) throw notFound('brand', brandId);
    const now = iso(ctx.core.clock.stamp());
    const job: JobModel = {
      id: ctx.core.store.allocateId('job'),
      title,
      confidential: false,
      status: 'Draft',
      employmentType: 'FullTime',
      locationId,
      departmentId: teamId,
      ...(planId ? { defaultInterviewPlanId: planId } : {}),
      interviewPlanIds: planId ? [planId] : [],
      jobPostingIds: [],
      openingIds: [],
      customFields: [],
      hiringTeam: [],
      customRequisitionId: null,
      brandId: brandId ?? ctx.core.world.id(Kind.Brand, 0),
      authorId: actorId(ctx),
      createdAt: now,
      updatedAt: now,
      openedAt: null,
      closedAt: null,
    };
    ctx.core.store.insert('job', job as unknown as { id: string });
    emit(ctx, 'jobCreate', job);
    return { results: jobView(job, ctx.view) };
  },

  'job.update': (ctx) => {
    const { body } = ctx;
    const job = visibleJob(ctx, reqId(body, 'jobId'));
    const title = optString(body, 'title')?.trim();
    if (title === '') throw invalidInput('title must not be empty');
    const teamId = ref(ctx, body, 'teamId', 'department');
    const locationId = ref(ctx, body, 'locationId', 'location');
    const planId = ref(ctx, body, 'defaultInterviewPlanId', 'interviewPlan');
    const requisition = optString(body, 'customRequisitionId');
    const now = iso(ctx.core.clock.stamp());
    const updated = ctx.core.store.update<JobModel>('job', job.id, (j) => {
      if (title !== undefined) j.title = title;
      if (teamId !== undefined) j.departmentId = teamId;
      if (locationId !== undefined) j.locationId = locationId;
      if (planId !== undefined) {
        j.defaultInterviewPlanId = planId;
        if (!j.interviewPlanIds.includes(planId)) j.interviewPlanIds.push(planId);
      }
      if (requisition !== undefined) j.customRequisitionId = requisition;
      j.updatedAt = now;
    })!;
    emit(ctx, 'jobUpdate', updated);
    return { results: jobView(updated, ctx.view) };
  },

  'job.setStatus': (ctx) => {
    const job = visibleJob(ctx, reqId(ctx.body, 'jobId'));
    const status = optEnum(ctx.body, 'status', STATUSES);
    if (!status) throw invalidInput(`status is required: one of ${STATUSES.join(', ')}`);
    // Asking for the status the job already has changes nothing.
    if (status === job.status) return { results: jobView(job, ctx.view) };
    if (!JOB_TRANSITIONS[job.status].includes(status)) {
      throw invalidInput(
        `A ${job.status} job cannot become ${status}; from ${job.status} it can become ${JOB_TRANSITIONS[job.status].join(' or ')}`,
      );
    }
    if (status === 'Open' && !job.defaultInterviewPlanId)
      throw invalidInput(
        'The job needs a default interview plan before it can open: set defaultInterviewPlanId with job.update',
      );
    const now = iso(ctx.core.clock.stamp());
    const updated = ctx.core.store.update<JobModel>('job', job.id, (j) => {
      j.status = status;
      if (status === 'Open') {
        j.openedAt = now;
        j.closedAt = null;
      }
      if (status === 'Closed') j.closedAt = now;
      j.updatedAt = now;
    })!;
    emit(ctx, 'jobUpdate', updated);
    return { results: jobView(updated, ctx.view) };
  },
};
