import { candidateSummary } from '../data/candidates.js';
import { Kind } from '../data/ids.js';
import type { ArchiveReasonModel } from '../data/org.js';
import type { InterviewStageModel } from '../data/process.js';
import type {
  ApplicationModel,
  CandidateModel,
  ContactInfo,
  EventModel,
  FeedbackModel,
  HistoryEntryModel,
  JobModel,
  ScheduleModel,
} from '../data/models.js';
import type { InterviewModel } from '../data/process.js';
import type { ViewContext } from './context.js';

/**
 * Wire shapes of applications and what hangs off them. Ashby returns applications in several
 * shapes, and the recorded traffic shows each one (docs/ashby-api.md §5.5, recordings of application.*):
 * - `full`: application.list and application.changeStage;
 * - `info`: application.info adds the candidate's resume and the stage history, and its job
 *   summary has no brandId;
 * - `create`: application.create returns only the stage id and the job's id and title, plus history;
 * - `slim`: application.update embeds only ids and titles of the candidate, stage and job;
 * - `slimSource`: application.changeSource also cuts the source down to id and title.
 */
export type ApplicationShape = 'full' | 'info' | 'create' | 'slim' | 'slimSource';

interface CandidateBrief {
  id: string;
  name: string;
  primaryEmailAddress?: ContactInfo;
  primaryPhoneNumber?: ContactInfo;
}

function candidateBrief(app: ApplicationModel, ctx: ViewContext): CandidateBrief {
  const stored = ctx.store.override<CandidateModel>('candidate', app.candidateId);
  if (!stored) {
    const index =
      app.candidateIndex !== undefined && ctx.world.id(Kind.Candidate, app.candidateIndex) === app.candidateId
        ? app.candidateIndex
        : ctx.world.ids.indexOf(Kind.Candidate, app.candidateId);
    if (index !== undefined && index < ctx.world.counts.candidates) {
      const s = candidateSummary(ctx.world, index);
      return {
        id: app.candidateId,
        name: s.name,
        primaryEmailAddress: s.email,
        ...(s.phone ? { primaryPhoneNumber: s.phone } : {}),
      };
    }
  }
  const c = stored ?? ctx.store.get<CandidateModel>('candidate', app.candidateId);
  if (!c) return { id: app.candidateId, name: '' };
  const email = c.emailAddresses.find((e) => e.isPrimary);
  const phone = c.phoneNumbers.find((p) => p.isPrimary);
  return {
    id: c.id,
    name: c.name,
    ...(email ? { primaryEmailAddress: email } : {}),
    ...(phone ? { primaryPhoneNumber: phone } : {}),
  };
}

export function historyView(entries: readonly HistoryEntryModel[], ctx: ViewContext): unknown[] {
  return entries.map((h) => {
    const stage = ctx.lookup<InterviewStageModel>('interviewStage', h.stageId);
    return {
      id: h.id,
      stageId: h.stageId,
      title: stage?.title ?? '',
      stageNumber: h.stageNumber,
      enteredStageAt: h.enteredStageAt,
      ...(h.leftStageAt !== undefined ? { leftStageAt: h.leftStageAt } : {}),
      allowedActions: h.allowedActions,
      actorId: h.actorId,
    };
  });
}

export function applicationView(
  app: ApplicationModel,
  ctx: ViewContext,
  shape: ApplicationShape = 'full',
): Record<string, unknown> {
  const slim = shape === 'create' || shape === 'slim' || shape === 'slimSource';
  const stage = ctx.lookup<InterviewStageModel>('interviewStage', app.stageId);
  const job = ctx.lookup<JobModel>('job', app.jobId);
  const out: Record<string, unknown> = { id: app.id, createdAt: app.createdAt, updatedAt: app.updatedAt };
  if (app.archivedAt !== undefined) out.archivedAt = app.archivedAt;
  const brief = candidateBrief(app, ctx);
  out.candidate = slim ? { id: brief.id, name: brief.name } : brief;
  out.status = app.status;
  if (shape === 'info') {
    const candidate = ctx.store.get<CandidateModel>('candidate', app.candidateId);
    if (candidate?.resumeFileHandle) out.resumeFileHandle = candidate.resumeFileHandle;
  }
  out.customFields = ctx.customFields(app.customFields);
  out.currentInterviewStage =
    shape === 'create'
      ? { id: app.stageId }
      : slim
        ? { id: app.stageId, title: stage?.title ?? '' }
        : {
            id: app.stageId,
            title: stage?.title ?? '',
            type: stage?.type ?? 'Active',
            interviewPlanId: stage?.interviewPlanId ?? app.interviewPlanId,
            orderInInterviewPlan: stage?.orderInInterviewPlan ?? 0,
            interviewStageGroupId: stage?.interviewStageGroupId ?? null,
          };
  const source = ctx.source(app.sourceId);
  out.source = source && shape === 'slimSource' ? { id: source.id, title: source.title } : source;
  out.creditedToUser = ctx.user(app.creditedToUserId);
  const reason = app.archiveReasonId ? ctx.lookup<ArchiveReasonModel>('archiveReason', app.archiveReasonId) : undefined;
  out.archiveReason = reason
    ? {
        id: reason.id,
        text: reason.text,
        reasonType: reason.reasonType,
        isArchived: reason.isArchived,
        customFields: [],
      }
    : null;
  const jobTitle = job?.title ?? '';
  out.job = slim
    ? { id: app.jobId, title: jobTitle }
    : shape === 'info'
      ? { id: app.jobId, title: jobTitle, locationId: job?.locationId, departmentId: job?.departmentId }
      : {
          id: app.jobId,
          title: jobTitle,
          locationId: job?.locationId,
          departmentId: job?.departmentId,
          brandId: job?.brandId,
        };
  out.hiringTeam = ctx.hiringTeam(app.hiringTeam);
  out.appliedViaJobPostingId = app.appliedViaJobPostingId;
  if (shape === 'info' || shape === 'create') out.applicationHistory = historyView(app.history, ctx);
  out.submitterClientIp = null;
  out.submitterUserAgent = null;
  return out;
}

export function eventView(e: EventModel, ctx: ViewContext, expandInterview: boolean): Record<string, unknown> {
  const interviewers: unknown[] = [];
  for (const userId of e.interviewerUserIds) {
    const u = ctx.user(userId);
    // trainingRole is null for qualified interviewers (the spec's description).
    if (u) interviewers.push({ ...u, trainingRole: null, isFeedbackRequired: true, interviewerPool: null });
  }
  const out: Record<string, unknown> = {
    id: e.id,
    interviewId: e.interviewId,
    interviewScheduleId: e.interviewScheduleId,
    interviewerUserIds: e.interviewerUserIds,
    interviewers,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    startTime: e.startTime,
    endTime: e.endTime,
    feedbackLink: e.feedbackLink,
    location: e.location,
    meetingLink: e.meetingLink,
    interviewerCalendarEventId: e.interviewerCalendarEventId,
    hasSubmittedFeedback: e.hasSubmittedFeedback,
  };
  if (expandInterview) {
    const interview = ctx.store.get<InterviewModel>('interview', e.interviewId);
    if (interview) out.interview = interview;
  }
  // The spec's allOf makes this a plain uuid string, so no transcript means no field.
  if (e.notetakerTranscriptId !== null) out.notetakerTranscriptId = e.notetakerTranscriptId;
  out.extraData = e.extraData ?? {};
  return out;
}

export function scheduleView(s: ScheduleModel, ctx: ViewContext): Record<string, unknown> {
  const events: unknown[] = [];
  for (const id of s.eventIds) {
    const e = ctx.store.get<EventModel>('interviewEvent', id);
    if (e) events.push(eventView(e, ctx, false));
  }
  const scheduledBy = ctx.user(s.scheduledById);
  return {
    id: s.id,
    status: s.status,
    applicationId: s.applicationId,
    interviewStageId: s.interviewStageId,
    ...(scheduledBy ? { scheduledBy } : {}),
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    interviewEvents: events,
  };
}

export function feedbackView(f: FeedbackModel, ctx: ViewContext): Record<string, unknown> {
  const form = ctx.store.get<{ formDefinition: unknown }>('feedbackFormDefinition', f.feedbackFormDefinitionId);
  const submittedBy = ctx.user(f.submittedByUserId);
  return {
    id: f.id,
    applicationId: f.applicationId,
    feedbackFormDefinitionId: f.feedbackFormDefinitionId,
    interviewId: f.interviewId,
    interviewEventId: f.interviewEventId,
    ...(f.applicationHistoryId ? { applicationHistoryId: f.applicationHistoryId } : {}),
    submittedAt: f.submittedAt,
    ...(submittedBy ? { submittedByUser: submittedBy } : {}),
    formDefinition: form?.formDefinition ?? { sections: [] },
    submittedValues: f.submittedValues,
  };
}
