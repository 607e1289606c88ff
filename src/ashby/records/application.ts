import { Type, type Static } from '@sinclair/typebox';
import {
  ArchiveReason,
  ContactInfo,
  CustomFieldValue,
  Enum,
  FileHandle,
  FormDefinition,
  HiringTeamMember,
  Opt,
  Source,
  Timestamp,
  User,
  Uuid,
  observed,
} from './common.js';
import { Opening } from './job.js';

export const ApplicationStatus = Enum(['Hired', 'Archived', 'Active', 'Lead']);
export type ApplicationStatus = Static<typeof ApplicationStatus>;

export const ApplicationHistory = Type.Object({
  id: Uuid,
  stageId: Uuid,
  title: Type.String(),
  /** 0 is the first stage. */
  stageNumber: Type.Integer(),
  enteredStageAt: Timestamp,
  /** Absent for the current stage (👁). */
  leftStageAt: Opt(Timestamp),
  allowedActions: Type.Array(Enum(['none', 'delete', 'set_entered_at'])),
  actorId: Opt(Uuid),
});
export type ApplicationHistory = Static<typeof ApplicationHistory>;

/** Fields only application.info documents; other endpoints returning an Application lack them. */
const INFO_ONLY = observed('documented for application.info only', 'notInSpec');
const LOOSE_WRITE_RESULT = 'recorded application.update/.create/.changeSource results omit it (👁)';

/** application.list / .info and every application write (docs/ashby-api.md §5.5). */
export const Application = Type.Object({
  id: Uuid,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  status: ApplicationStatus,
  customFields: Opt(Type.Array(CustomFieldValue)),
  candidate: Type.Object({
    id: Uuid,
    name: Type.String(),
    primaryEmailAddress: Opt(ContactInfo),
    primaryPhoneNumber: Opt(ContactInfo),
  }),
  currentInterviewStage: Type.Object({
    id: Uuid,
    title: Type.Optional(Type.String(observed('recorded application.create result has only the stage id (👁)'))),
    type: Type.Optional(
      Type.String({
        description: 'Lead, PreInterviewScreen, Active, Offer, Hired or Archived',
        ...observed(LOOSE_WRITE_RESULT),
      }),
    ),
    orderInInterviewPlan: Type.Optional(Type.Integer(observed(LOOSE_WRITE_RESULT))),
    interviewStageGroupId: Opt(Uuid),
    interviewPlanId: Type.Optional(Type.String(observed(LOOSE_WRITE_RESULT))),
  }),
  source: Opt(Source),
  archiveReason: Opt(Type.Object({ ...ArchiveReason.properties, customFields: Type.Array(CustomFieldValue) })),
  /** Omitted when never archived (👁). */
  archivedAt: Opt(Timestamp),
  job: Type.Object({
    id: Uuid,
    title: Type.String(),
    locationId: Opt(Uuid),
    departmentId: Opt(Uuid),
    brandId: Type.Optional(Type.String(observed('recorded application.list (👁)', 'notInSpec'))),
  }),
  creditedToUser: Opt(User),
  hiringTeam: Type.Array(HiringTeamMember),
  /** The first posting the candidate applied through. */
  appliedViaJobPostingId: Opt(Uuid),
  submitterClientIp: Opt(Type.String()),
  submitterUserAgent: Opt(Type.String()),
  /** Only with expand=openings (application.list / .info). */
  openings: Opt(Type.Array(Opening, observed('expand=openings of application.list/.info only', 'notInSpec'))),
  /** application.info and application.create only (👁 create). */
  applicationHistory: Opt(Type.Array(ApplicationHistory, INFO_ONLY)),
  /** application.info with expand=applicationFormSubmissions. */
  applicationFormSubmissions: Opt(
    Type.Array(
      Type.Object({
        id: Uuid,
        formDefinition: FormDefinition,
        submittedValues: Type.Record(Type.String(), Type.Unknown()),
      }),
      INFO_ONLY,
    ),
  ),
  /** application.info with expand=referrals. */
  referrals: Opt(Type.Array(Type.Object({ user: Opt(User), referredAt: Opt(Timestamp) }), INFO_ONLY)),
  resumeFileHandle: Opt(Type.Object(FileHandle.properties, INFO_ONLY)),
});
export type Application = Static<typeof Application>;

export const ApplicationCreateBody = Type.Object({
  candidateId: Uuid,
  jobId: Uuid,
  interviewPlanId: Type.Optional(Uuid),
  /** Default: the plan's first Lead stage; "FirstPreInterviewScreen" is accepted too. */
  interviewStageId: Type.Optional(Type.String()),
  sourceId: Type.Optional(Uuid),
  creditedToUserId: Type.Optional(Uuid),
  createdAt: Type.Optional(Timestamp),
  applicationHistory: Type.Optional(
    Type.Array(
      Type.Object({
        stageId: Uuid,
        stageNumber: Type.Integer(),
        enteredStageAt: Timestamp,
        archiveReasonId: Type.Optional(Uuid),
      }),
    ),
  ),
});
export type ApplicationCreateBody = Static<typeof ApplicationCreateBody>;

export const ApplicationUpdateBody = Type.Object({
  applicationId: Uuid,
  sourceId: Type.Optional(Uuid),
  creditedToUserId: Type.Optional(Uuid),
  createdAt: Type.Optional(Timestamp),
  /** Ashby defaults to true. */
  sendNotifications: Type.Optional(Type.Boolean()),
});
export type ApplicationUpdateBody = Static<typeof ApplicationUpdateBody>;

export const ApplicationChangeStageBody = Type.Object({
  applicationId: Uuid,
  interviewStageId: Uuid,
  /** Required when the target stage is Archived-type, refused otherwise. */
  archiveReasonId: Type.Optional(Uuid),
  archiveEmail: Type.Optional(Type.Object({ communicationTemplateId: Uuid, sendAt: Type.Optional(Timestamp) })),
});
export type ApplicationChangeStageBody = Static<typeof ApplicationChangeStageBody>;

export const ApplicationChangeSourceBody = Type.Object({
  applicationId: Uuid,
  /** null unsets the source. */
  sourceId: Type.Union([Uuid, Type.Null()]),
});
export type ApplicationChangeSourceBody = Static<typeof ApplicationChangeSourceBody>;

export const ApplicationListBody = Type.Object({
  createdAfter: Type.Optional(Type.Integer({ description: 'epoch ms' })),
  createdBefore: Type.Optional(
    Type.Integer({
      description: 'epoch ms',
      ...observed('changelog 2026-07-09 (docs/ashby-api.md §2.1)', 'notInSpec'),
    }),
  ),
  status: Type.Optional(ApplicationStatus),
  jobId: Type.Optional(Uuid),
  expand: Type.Optional(Type.Array(Type.Literal('openings'))),
});
export type ApplicationListBody = Static<typeof ApplicationListBody>;
