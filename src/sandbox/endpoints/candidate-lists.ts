import { Kind } from '../data/ids.js';
import type {
  ApplicationModel,
  ApprovalModel,
  CandidateModel,
  EventModel,
  FeedbackModel,
  HistoryEntryModel,
  JobModel,
  NoteModel,
  OfferModel,
  OpeningModel,
  ScheduleModel,
} from '../data/models.js';
import type { ProjectModel } from '../data/process.js';
import { APPLICATION_SLOTS, EVENT_SLOTS, NOTE_SLOTS } from '../data/world.js';
import { optEnum, optId, optStringArray, reqId, type Body } from '../http/params.js';
import type { RequestContext } from '../http/request-context.js';
import { invalidInput, notFound } from '../http/wire-error.js';
import type { ListSpec } from '../lists/paginator.js';
import type { StoredRecord } from '../store/store.js';
import { applicationView, eventView, feedbackView, historyView, scheduleView } from '../views/applications.js';
import { candidateView, noteView } from '../views/candidates.js';
import { openingView, projectView } from '../views/jobs.js';
import { approvalView, offerView } from '../views/offers.js';

/** List endpoints over candidates, applications and what hangs off them (docs/ashby-api.md §2.3, §5.3–5.6). */

const APPLICATION_STATUSES = ['Hired', 'Archived', 'Active', 'Lead'] as const;
const OFFER_STATUSES = [
  'WaitingOnApprovalStart',
  'WaitingOnOfferApproval',
  'WaitingOnApprovalDefinition',
  'WaitingOnCandidateResponse',
  'CandidateRejected',
  'CandidateAccepted',
  'OfferCancelled',
] as const;
const ACCEPTANCE_STATUSES = ['Accepted', 'Declined', 'Pending', 'Created', 'Cancelled', 'WaitingOnResponse'] as const;
const APPROVAL_STATUSES = ['Approved', 'WaitingOnApprovals', 'Declined'] as const;

/** The application a per-application list is about; hidden applications are "not found". */
export function visibleApplication(ctx: RequestContext, id: string): ApplicationModel {
  const app = ctx.core.store.get<ApplicationModel>('application', id);
  if (!app || !ctx.view.jobVisible(app.jobId)) throw notFound('application', id);
  return app;
}

function nonEmptyArray(body: Body, key: string, allowed: readonly string[]): string[] | undefined {
  const v = optStringArray(body, key, allowed);
  if (v !== undefined && v.length === 0)
    throw invalidInput(`${key} must not be empty; leave it out to list every value`);
  return v;
}

export const CANDIDATE_LISTS: ListSpec[] = [
  {
    endpoint: 'candidate.list',
    entity: 'candidate',
    paging: 'sync',
    createdAfter: true,
    createdBefore: true,
    positionsPerCandidate: 1,
    include: (c, _b, ctx) => ctx.view.candidateVisible(c as unknown as CandidateModel),
    view: (c, ctx) => candidateView(c as unknown as CandidateModel, ctx.view),
  },
  {
    endpoint: 'application.list',
    entity: 'application',
    paging: 'sync',
    createdAfter: true,
    createdBefore: true,
    positionsPerCandidate: APPLICATION_SLOTS,
    validate: (body) => {
      optEnum(body, 'status', APPLICATION_STATUSES);
      optId(body, 'jobId');
      optStringArray(body, 'expand', ['openings']);
    },
    // A jobId filter lists that job's applications directly rather than scanning every application.
    scope: (body, ctx) => scopedApplicationList(body, ctx),
    include: (a, body, ctx) => {
      const app = a as unknown as ApplicationModel;
      if (body.status !== undefined && body.status !== null && app.status !== body.status) return false;
      if (typeof body.jobId === 'string' && app.jobId !== body.jobId.toLowerCase()) return false;
      return ctx.view.jobVisible(app.jobId);
    },
    view: (a, ctx, body) => {
      const app = a as unknown as ApplicationModel;
      const out = applicationView(app, ctx.view, 'full');
      if (Array.isArray(body.expand) && body.expand.includes('openings')) {
        const job = ctx.core.store.get<JobModel>('job', app.jobId);
        out.openings = (job?.openingIds ?? [])
          .map((id) => ctx.core.store.get<OpeningModel>('opening', id))
          .filter((o) => o !== undefined)
          .map((o) => openingView(o, ctx.view));
      }
      return out;
    },
  },
  {
    endpoint: 'application.listHistory',
    entity: 'application',
    paging: 'cursor',
    scope: (body, ctx) => visibleApplication(ctx, reqId(body, 'applicationId')).history.map((h) => h.id),
    fetch: (id, ctx, body) => {
      const app = ctx.core.store.get<ApplicationModel>('application', String(body.applicationId).toLowerCase());
      return app?.history.find((h) => h.id === id) as unknown as StoredRecord | undefined;
    },
    view: (h, ctx) => historyView([h as unknown as HistoryEntryModel], ctx.view)[0],
  },
  {
    endpoint: 'candidate.listNotes',
    entity: 'note',
    paging: 'sync',
    scope: (body, ctx) => {
      const id = reqId(body, 'candidateId');
      const candidate = ctx.core.store.get<CandidateModel>('candidate', id);
      if (!candidate || !ctx.view.candidateVisible(candidate)) throw notFound('candidate', id);
      const ids: string[] = [];
      const index = ctx.core.world.ids.indexOf(Kind.Candidate, id);
      if (index !== undefined && index < ctx.core.world.counts.candidates) {
        for (let n = 0; n < NOTE_SLOTS; n++) ids.push(ctx.core.world.id(Kind.Note, index * NOTE_SLOTS + n));
      }
      return [...ids, ...ctx.core.store.linked('note', id)];
    },
    // Private notes need the key's private-fields option (docs/ashby-api.md §4.3).
    include: (n, _b, ctx) => ctx.view.viewer.privateFields || !(n as unknown as NoteModel).isPrivate,
    view: (n, ctx) => noteView(n as unknown as NoteModel, ctx.view),
  },
  {
    endpoint: 'applicationFeedback.list',
    entity: 'applicationFeedback',
    paging: 'sync',
    createdAfter: true,
    scope: (body, ctx) => scopedFeedbackList(body, ctx),
    validate: (body) => optId(body, 'applicationId'),
    include: (f, body, ctx) => {
      const fb = f as unknown as FeedbackModel;
      if (typeof body.applicationId === 'string' && fb.applicationId !== body.applicationId.toLowerCase()) return false;
      return ctx.view.applicationVisible(fb.applicationId);
    },
    view: (f, ctx) => feedbackView(f as unknown as FeedbackModel, ctx.view),
  },
  {
    endpoint: 'offer.list',
    entity: 'offer',
    paging: 'sync',
    createdAfter: true,
    scope: (body, ctx) => {
      const applicationId = optId(body, 'applicationId');
      if (applicationId === undefined) return undefined;
      const app = ctx.core.store.get<ApplicationModel>('application', applicationId);
      return app ? [...app.offerIds, ...ctx.core.store.linked('offer', applicationId)] : [];
    },
    validate: (body) => {
      optId(body, 'applicationId');
      nonEmptyArray(body, 'offerStatus', OFFER_STATUSES);
      nonEmptyArray(body, 'acceptanceStatus', ACCEPTANCE_STATUSES);
      nonEmptyArray(body, 'approvalStatus', APPROVAL_STATUSES);
    },
    include: (o, body, ctx) => {
      const offer = o as unknown as OfferModel;
      if (typeof body.applicationId === 'string' && offer.applicationId !== body.applicationId.toLowerCase())
        return false;
      if (Array.isArray(body.offerStatus) && !body.offerStatus.includes(offer.offerStatus)) return false;
      if (Array.isArray(body.acceptanceStatus) && !body.acceptanceStatus.includes(offer.acceptanceStatus)) return false;
      const approval = offer.versions[offer.versions.length - 1]?.approvalStatus;
      if (Array.isArray(body.approvalStatus) && !body.approvalStatus.includes(approval)) return false;
      return ctx.view.applicationVisible(offer.applicationId);
    },
    view: (o, ctx) => offerView(o as unknown as OfferModel, ctx.view),
  },
  {
    endpoint: 'interviewSchedule.list',
    entity: 'interviewSchedule',
    paging: 'sync',
    createdAfter: true,
    validate: (body) => {
      optId(body, 'applicationId');
      optId(body, 'interviewStageId');
    },
    include: (s, body, ctx) => {
      const schedule = s as unknown as ScheduleModel;
      if (typeof body.applicationId === 'string' && schedule.applicationId !== body.applicationId.toLowerCase())
        return false;
      if (
        typeof body.interviewStageId === 'string' &&
        schedule.interviewStageId !== body.interviewStageId.toLowerCase()
      )
        return false;
      return ctx.view.applicationVisible(schedule.applicationId);
    },
    view: (s, ctx) => scheduleView(s as unknown as ScheduleModel, ctx.view),
  },
  {
    endpoint: 'interviewEvent.list',
    entity: 'interviewEvent',
    paging: 'sync',
    createdAfter: true,
    validate: (body) => optStringArray(body, 'expand', ['interview']),
    scope: (body, ctx) => {
      const id = reqId(body, 'interviewScheduleId');
      const schedule = ctx.core.store.get<ScheduleModel>('interviewSchedule', id);
      if (!schedule || !ctx.view.applicationVisible(schedule.applicationId)) throw notFound('interviewSchedule', id);
      return schedule.eventIds;
    },
    view: (e, ctx, body) =>
      eventView(e as unknown as EventModel, ctx.view, Array.isArray(body.expand) && body.expand.includes('interview')),
  },
  {
    endpoint: 'approval.list',
    entity: 'approval',
    paging: 'sync',
    validate: (body) => {
      optEnum(body, 'entityType', ['offer', 'job', 'opening'] as const);
      optId(body, 'entityId');
    },
    include: (a, body, ctx) => {
      const approval = a as unknown as ApprovalModel;
      if (typeof body.entityType === 'string' && approval.entityType !== body.entityType) return false;
      if (typeof body.entityId === 'string' && approval.entityId !== body.entityId.toLowerCase()) return false;
      if (approval.entityType === 'job') return ctx.view.jobVisible(approval.entityId);
      const offer = approval.offerId ? ctx.core.store.get<OfferModel>('offer', approval.offerId) : undefined;
      return offer !== undefined && ctx.view.applicationVisible(offer.applicationId);
    },
    view: (a) => approvalView(a as unknown as ApprovalModel),
  },
  {
    endpoint: 'project.list',
    entity: 'project',
    paging: 'sync',
    createdAfter: true,
    include: (p, _b, ctx) => ctx.view.projectVisible(p as unknown as ProjectModel),
    view: (p, ctx) => projectView(p as unknown as ProjectModel, ctx.view),
  },
];

/** application.list with a jobId, and applicationFeedback.list with an applicationId, walk only that parent's children. */
export function scopedApplicationList(body: Body, ctx: RequestContext): string[] | undefined {
  const jobId = optId(body, 'jobId');
  return jobId === undefined ? undefined : ctx.core.jobApplications.applicationIds(jobId);
}

export function scopedFeedbackList(body: Body, ctx: RequestContext): string[] | undefined {
  const applicationId = optId(body, 'applicationId');
  if (applicationId === undefined) return undefined;
  const app = ctx.core.store.get<ApplicationModel>('application', applicationId);
  if (!app) return [];
  const ids: string[] = [];
  for (const scheduleId of app.scheduleIds) {
    const slot = ctx.core.world.ids.indexOf(Kind.InterviewSchedule, scheduleId);
    if (slot === undefined || slot >= ctx.core.store.generatedSlots('interviewSchedule')) continue;
    for (let k = 0; k < EVENT_SLOTS; k++) ids.push(ctx.core.world.id(Kind.ApplicationFeedback, slot * EVENT_SLOTS + k));
  }
  return ids;
}
