import { Type, type Static } from '@sinclair/typebox';
import { Enum, ExtraData, InterviewStage, Nullable, Opt, Timestamp, User, Uuid } from './common.js';

/** interview.list / interview.info: interview *types*, not scheduled events (docs/ashby-api.md §5.8). */
export const Interview = Type.Object({
  id: Uuid,
  title: Type.String(),
  externalTitle: Opt(Type.String()),
  isArchived: Type.Boolean(),
  isDebrief: Opt(Type.Boolean()),
  isFeedbackRequired: Type.Boolean(),
  isFeedbackRequested: Type.Boolean(),
  instructionsHtml: Opt(Type.String()),
  instructionsPlain: Opt(Type.String()),
  /** null or absent: a shared interview (👁). */
  jobId: Opt(Uuid),
  feedbackFormDefinitionId: Uuid,
});
export type Interview = Static<typeof Interview>;

/** interviewPlan.list: published plans only. */
export const InterviewPlan = Type.Object({
  id: Uuid,
  title: Type.String(),
  isArchived: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type InterviewPlan = Static<typeof InterviewPlan>;

export { InterviewStage };

const InterviewerPool = Type.Object({
  id: Uuid,
  title: Type.String(),
  isArchived: Type.Boolean(),
  trainingPath: Opt(
    Type.Object({
      id: Uuid,
      enabled: Type.Boolean(),
      trainingStages: Type.Array(
        Type.Object({
          id: Uuid,
          interviewerRole: Enum(['Shadow', 'ReverseShadow']),
          interviewsRequired: Type.Integer(),
          isArchived: Type.Boolean(),
          approvalRequired: Type.Boolean(),
          approvers: Opt(Type.Array(User)),
        }),
      ),
    }),
  ),
});

export const Interviewer = Type.Object({
  ...User.properties,
  trainingRole: Nullable(Enum(['Shadow', 'Reverse-Shadow'])),
  interviewerPool: Nullable(InterviewerPool),
  isFeedbackRequired: Type.Boolean(),
});

/** interviewEvent.list, and the events inside an interview schedule. */
export const InterviewEvent = Type.Object({
  id: Uuid,
  interviewId: Uuid,
  interviewScheduleId: Uuid,
  /** Legacy; prefer `interviewers`. */
  interviewerUserIds: Opt(Type.Array(Uuid)),
  interviewers: Type.Array(Interviewer),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  startTime: Timestamp,
  endTime: Timestamp,
  feedbackLink: Type.String(),
  location: Opt(Type.String()),
  meetingLink: Opt(Type.String()),
  interviewerCalendarEventId: Opt(Type.String()),
  hasSubmittedFeedback: Type.Boolean(),
  /** Only with expand=interview. */
  interview: Opt(Interview),
  notetakerTranscriptId: Opt(Uuid),
  extraData: Opt(ExtraData),
});
export type InterviewEvent = Static<typeof InterviewEvent>;

export const InterviewScheduleStatus = Enum([
  'NeedsScheduling',
  'WaitingOnCandidateBooking',
  'WaitingOnCandidateAvailability',
  'CandidateAvailabilitySubmitted',
  'Scheduled',
  'WaitingOnFeedback',
  'Complete',
  'Cancelled',
  'OnHold',
  'Unknown',
]);

/** interviewSchedule.list. */
export const InterviewSchedule = Type.Object({
  id: Uuid,
  status: InterviewScheduleStatus,
  applicationId: Uuid,
  interviewStageId: Uuid,
  scheduledBy: Opt(User),
  createdAt: Opt(Timestamp),
  updatedAt: Opt(Timestamp),
  interviewEvents: Opt(Type.Array(InterviewEvent)),
});
export type InterviewSchedule = Static<typeof InterviewSchedule>;
