import { iso } from '../clock.js';
import { Kind } from './ids.js';
import { Rng } from './random.js';
import { CF, sampleCustomFieldValue } from './forms.js';
import type { ApplicationModel, EventModel, FeedbackModel, HistoryEntryModel, ScheduleModel } from './models.js';
import { ACTIVE_ARCHIVE_REASONS, SOURCE_APPLIED, SOURCE_LINKEDIN, sourceIsInbound } from './org.js';
import { interviewForStage, stageId } from './process.js';
import { FEEDBACK_TEXTS } from './vocabulary.js';
import { APPLICATION_SLOTS, EVENT_SLOTS, STAGE, STAGE_TEMPLATE, type World } from './world.js';

/** Applications with their stage history, and the interview schedules, events and feedback hanging off them. */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** History entry ids: application slot × this + position in the history. */
export const HISTORY_SLOTS = 16;

export function statusForStageType(type: string): ApplicationModel['status'] {
  return type === 'Lead' ? 'Lead' : type === 'Hired' ? 'Hired' : type === 'Archived' ? 'Archived' : 'Active';
}

/** Stages an application passed through, in order, with the time each was entered. */
function stagePath(w: World, slot: number): { stages: number[]; times: number[] } {
  const fate = w.applicationFate(slot);
  const start = fate.sourced ? STAGE.Lead : STAGE.Review;
  const stages: number[] = [];
  for (let s = Math.min(start, fate.reached); s <= fate.reached; s++) stages.push(s);
  if (fate.stage === STAGE.Archived) stages.push(STAGE.Archived);
  const created = w.applicationCreatedAt(slot);
  // Each stage lasts a few days, compressed when the application is recent.
  const gap = Math.min(4 * DAY, (w.startMs - created) / (stages.length + 1));
  const times = stages.map((_, k) =>
    Math.floor(created + k * gap + (k > 0 ? w.u(Kind.Application, slot, 20 + k) * gap * 0.5 : 0)),
  );
  return { stages, times };
}

export function generateApplication(w: World, slot: number): ApplicationModel | undefined {
  if (!w.applicationExists(slot)) return undefined;
  const rng = new Rng(w.h(Kind.Application, slot, 0));
  const job = w.applicationJobIndex(slot);
  const fate = w.applicationFate(slot);
  const { stages, times } = stagePath(w, slot);
  const history: HistoryEntryModel[] = stages.map((s, k) => ({
    id: w.id(Kind.ApplicationHistory, slot * HISTORY_SLOTS + k),
    stageId: stageId(w, job, s),
    stageNumber: k,
    enteredStageAt: iso(times[k]!),
    ...(k + 1 < stages.length ? { leftStageAt: iso(times[k + 1]!) } : {}),
    allowedActions: k === 0 ? ['set_entered_at'] : ['delete', 'set_entered_at'],
    actorId: null,
  }));
  const archived = fate.stage === STAGE.Archived;
  const r = rng.next();
  const source = r < 0.5 ? SOURCE_APPLIED : r < 0.75 ? SOURCE_LINKEDIN : r < 0.85 ? 0 : 2;
  const customFields = rng.chance(0.2)
    ? [
        {
          fieldId: w.id(Kind.CustomField, CF.RecruiterSummary),
          value: sampleCustomFieldValue(w, CF.RecruiterSummary, rng),
        },
        {
          fieldId: w.id(Kind.CustomField, CF.InterviewRounds),
          value: sampleCustomFieldValue(w, CF.InterviewRounds, rng),
        },
      ]
    : [];
  const last = times[times.length - 1]!;
  return {
    id: w.id(Kind.Application, slot),
    candidateIndex: Math.floor(slot / APPLICATION_SLOTS),
    createdAt: iso(w.applicationCreatedAt(slot)),
    updatedAt: iso(Math.min(w.startMs - 1, last + HOUR)),
    candidateId: w.id(Kind.Candidate, Math.floor(slot / APPLICATION_SLOTS)),
    jobId: w.id(Kind.Job, job),
    interviewPlanId: w.id(Kind.InterviewPlan, job),
    stageId: stageId(w, job, fate.stage),
    status: statusForStageType(STAGE_TEMPLATE[fate.stage]!.type),
    ...(archived ? { archivedAt: iso(last) } : {}),
    archiveReasonId: archived ? w.id(Kind.ArchiveReason, rng.int(ACTIVE_ARCHIVE_REASONS)) : null,
    sourceId: w.id(Kind.Source, source),
    creditedToUserId: null,
    hiringTeam: [],
    appliedViaJobPostingId: sourceIsInbound(source) ? w.id(Kind.JobPosting, job) : null,
    customFields,
    history,
    offerIds: w.offerExists(slot) ? [w.id(Kind.Offer, slot)] : [],
    scheduleIds: w.scheduleExists(slot) ? [w.id(Kind.InterviewSchedule, slot)] : [],
  };
}

/** When an application entered `stage`, or undefined if it never did. */
export function stageEnteredAt(w: World, slot: number, stage: number): number | undefined {
  const { stages, times } = stagePath(w, slot);
  const k = stages.indexOf(stage);
  return k < 0 ? undefined : times[k];
}

function scheduleStart(w: World, slot: number): { enteredAt: number; historyIndex: number } {
  const { stages, times } = stagePath(w, slot);
  const k = stages.indexOf(w.scheduleStage(slot));
  return { enteredAt: times[k]!, historyIndex: k };
}

export function generateSchedule(w: World, slot: number): ScheduleModel | undefined {
  if (!w.scheduleExists(slot)) return undefined;
  const fate = w.applicationFate(slot);
  const stage = w.scheduleStage(slot);
  const job = w.applicationJobIndex(slot);
  const { enteredAt } = scheduleStart(w, slot);
  const current = fate.stage === stage;
  const pick = w.u(Kind.InterviewSchedule, slot, 2);
  const status = current
    ? pick < 0.5
      ? 'Scheduled'
      : pick < 0.8
        ? 'WaitingOnFeedback'
        : 'NeedsScheduling'
    : fate.stage === STAGE.Archived && fate.reached === stage
      ? pick < 0.5
        ? 'Cancelled'
        : 'Complete'
      : 'Complete';
  const eventIds: string[] = [];
  for (let k = 0; k < w.eventCount(slot); k++) eventIds.push(w.id(Kind.InterviewEvent, slot * EVENT_SLOTS + k));
  return {
    id: w.id(Kind.InterviewSchedule, slot),
    applicationId: w.id(Kind.Application, slot),
    interviewStageId: stageId(w, job, stage),
    status,
    scheduledById: w.id(Kind.User, 1),
    createdAt: iso(enteredAt + HOUR),
    updatedAt: iso(enteredAt + 2 * HOUR),
    eventIds: status === 'NeedsScheduling' ? [] : eventIds,
  };
}

export function generateEvent(w: World, eventSlot: number): EventModel | undefined {
  if (!w.eventExists(eventSlot)) return undefined;
  const slot = Math.floor(eventSlot / EVENT_SLOTS);
  const k = eventSlot % EVENT_SLOTS;
  const schedule = generateSchedule(w, slot)!;
  if (schedule.status === 'NeedsScheduling') return undefined;
  const rng = new Rng(w.h(Kind.InterviewEvent, eventSlot, 0));
  const job = w.applicationJobIndex(slot);
  const created = Date.parse(schedule.createdAt);
  const start = created + (k + 1) * DAY + rng.between(9, 16) * HOUR;
  const end = start + (rng.chance(0.5) ? 45 : 60) * 60_000;
  const users = w.counts.users;
  const interviewers = [rng.int(users)];
  if (rng.chance(0.4)) interviewers.push((interviewers[0]! + 1 + rng.int(users - 1)) % users);
  const id = w.id(Kind.InterviewEvent, eventSlot);
  const remote = rng.chance(0.7);
  return {
    id,
    interviewId: w.id(Kind.Interview, interviewForStage(w, job, w.scheduleStage(slot))),
    interviewScheduleId: schedule.id,
    interviewerUserIds: interviewers.map((u) => w.id(Kind.User, u)),
    createdAt: schedule.createdAt,
    updatedAt: schedule.createdAt,
    startTime: iso(start),
    endTime: iso(end),
    feedbackLink: `https://app.ashbyhq.com/interview-briefings/${id}/feedback`,
    location: remote ? null : 'Office, Room 4B',
    meetingLink: remote ? `https://meet.example.com/${id.slice(0, 8)}` : null,
    interviewerCalendarEventId: rng.chance(0.5) ? `cal_${id.slice(24)}` : null,
    hasSubmittedFeedback: end < w.startMs && schedule.status !== 'Cancelled' && rng.chance(0.85),
    notetakerTranscriptId: null,
    extraData: null,
  };
}

/** Feedback ids share the event slot: one submission per event that has feedback. */
export function generateFeedback(w: World, eventSlot: number): FeedbackModel | undefined {
  const event = generateEvent(w, eventSlot);
  if (!event || !event.hasSubmittedFeedback) return undefined;
  const slot = Math.floor(eventSlot / EVENT_SLOTS);
  const rng = new Rng(w.h(Kind.ApplicationFeedback, eventSlot, 0));
  const interview = w.ids.indexOf(Kind.Interview, event.interviewId)!;
  const formIndex = interview === 0 ? 0 : interview < 6 ? 3 : 1 + ((interview - 6) % 2);
  const submitted = iso(Math.min(w.startMs - 1, Date.parse(event.endTime) + rng.between(1, 20) * HOUR));
  const { historyIndex } = scheduleStart(w, slot);
  return {
    id: w.id(Kind.ApplicationFeedback, eventSlot),
    applicationId: w.id(Kind.Application, slot),
    feedbackFormDefinitionId: w.id(Kind.FeedbackFormDefinition, formIndex),
    submittedValues: {
      overall_recommendation: rng.pick(['strong_hire', 'hire', 'no_hire', 'strong_no_hire']),
      technical_skills: String(rng.between(1, 4)),
      detailed_feedback: rng.pick(FEEDBACK_TEXTS),
    },
    submittedByUserId: event.interviewerUserIds[0]!,
    interviewId: event.interviewId,
    interviewEventId: event.id,
    applicationHistoryId: w.id(Kind.ApplicationHistory, slot * HISTORY_SLOTS + historyIndex),
    submittedAt: submitted,
    createdAt: submitted,
    updatedAt: submitted,
  };
}
