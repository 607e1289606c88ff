/**
 * The sandbox's stored form of each record. Where a record only embeds its own data, the model is
 * already the wire shape. Where Ashby embeds other records (an application embeds its candidate's
 * name, stage and job), the model keeps ids and the views in `views/` resolve them at read time,
 * so a write to one record shows up everywhere it is embedded.
 *
 * Timestamps are ISO strings, as on the wire. Optional properties are absent, not undefined, when
 * unset: views copy them as they are, and Ashby's "absent vs null" (docs/ashby-api.md §5.1) depends on it.
 */

export interface ContactInfo {
  value: string;
  type: 'Personal' | 'Work' | 'Other';
  isPrimary: boolean;
}
export interface SocialLink {
  type: string;
  url: string;
}
export interface FileHandle {
  id: string;
  name: string;
  handle: string;
}
/** A custom field value as stored: the view adds title, isPrivate and valueLabel from the definition. */
export interface CustomFieldEntry {
  fieldId: string;
  value: unknown;
}
export interface HiringTeamEntry {
  userId: string;
  role: string;
}
export interface CandidateLocation {
  id: string;
  locationSummary: string;
  locationComponents: { type: 'Country' | 'Region' | 'City'; name: string }[];
}

export interface CandidateModel {
  id: string;
  createdAt: string;
  updatedAt: string;
  name: string;
  emailAddresses: ContactInfo[];
  phoneNumbers: ContactInfo[];
  socialLinks: SocialLink[];
  tagIds: string[];
  position?: string;
  company?: string;
  school?: string;
  applicationIds: string[];
  resumeFileHandle?: FileHandle;
  fileHandles: FileHandle[];
  customFields: CustomFieldEntry[];
  sourceId: string | null;
  creditedToUserId: string | null;
  timezone: string | null;
  location?: CandidateLocation;
  fraudStatus: string | null;
  projectIds: string[];
}

export interface HistoryEntryModel {
  id: string;
  stageId: string;
  stageNumber: number;
  enteredStageAt: string;
  leftStageAt?: string;
  allowedActions: string[];
  actorId: string | null;
  archiveReasonId?: string;
}

export interface ApplicationModel {
  id: string;
  /** Index of the generated candidate, when there is one: spares decoding candidateId on every read (views check it still matches). */
  candidateIndex?: number;
  createdAt: string;
  updatedAt: string;
  candidateId: string;
  jobId: string;
  interviewPlanId: string;
  stageId: string;
  status: 'Hired' | 'Archived' | 'Active' | 'Lead';
  archivedAt?: string;
  archiveReasonId: string | null;
  sourceId: string | null;
  creditedToUserId: string | null;
  hiringTeam: HiringTeamEntry[];
  appliedViaJobPostingId: string | null;
  customFields: CustomFieldEntry[];
  history: HistoryEntryModel[];
  offerIds: string[];
  scheduleIds: string[];
}

export interface JobModel {
  id: string;
  title: string;
  confidential: boolean;
  status: 'Draft' | 'Open' | 'Closed' | 'Archived';
  employmentType: string;
  locationId: string;
  departmentId: string;
  defaultInterviewPlanId?: string;
  interviewPlanIds: string[];
  jobPostingIds: string[];
  openingIds: string[];
  customFields: CustomFieldEntry[];
  hiringTeam: HiringTeamEntry[];
  customRequisitionId: string | null;
  brandId: string;
  authorId: string;
  createdAt: string;
  updatedAt: string;
  openedAt: string | null;
  closedAt: string | null;
}

export interface JobPostingModel {
  id: string;
  jobId: string;
  title: string;
  isListed: boolean;
  publishedDate: string;
  workplaceType: 'OnSite' | 'Hybrid' | 'Remote';
  updatedAt: string;
}

export interface OpeningModel {
  id: string;
  openedAt?: string;
  closedAt?: string;
  isArchived: boolean;
  archivedAt?: string;
  closeReasonId?: string;
  openingState: 'Approved' | 'Closed' | 'Draft' | 'Filled' | 'Open';
  createdAt: string;
  updatedAt: string;
  latestVersion: {
    id: string;
    identifier: string;
    description: string;
    authorId: string;
    createdAt: string;
    teamId: string;
    jobIds: string[];
    targetHireDate?: string;
    targetStartDate?: string;
    isBackfill: boolean;
    employmentType: string;
    locationIds: string[];
    hiringTeam: HiringTeamEntry[];
    customFields: CustomFieldEntry[];
  };
}

export interface OfferVersionModel {
  id: string;
  createdAt: string;
  startDate?: string;
  salary?: { currencyCode: string; value: number };
  openingId?: string;
  customFields: CustomFieldEntry[];
  fileHandles: FileHandle[];
  authorId: string;
  approvalStatus: 'Approved' | 'WaitingOnApprovals' | 'Declined' | null;
}

export interface OfferModel {
  id: string;
  applicationId: string;
  offerProcessId: string;
  acceptanceStatus: 'Accepted' | 'Declined' | 'Pending' | 'Created' | 'Cancelled' | 'WaitingOnResponse';
  offerStatus: string;
  decidedAt: string | null;
  createdAt: string;
  updatedAt: string;
  versions: OfferVersionModel[];
  approvalId?: string;
}

export interface OfferProcessModel {
  id: string;
  applicationId: string;
  status: string;
  offerId?: string;
  /** Id handed out by offer.start; offer.create must quote it. */
  pendingFormId?: string;
  createdAt: string;
  updatedAt: string;
}

export interface ApprovalModel {
  id: string;
  approvalDefinitionId: string;
  entityId: string;
  entityType: 'offer' | 'job' | 'opening';
  /** The offer an offer approval belongs to (not sent on the wire). */
  offerId?: string;
  createdAt: string;
  updatedAt: string;
  submittedAt?: string;
  completedAt?: string;
  steps: {
    id: string;
    approvalsRequired: number;
    completedAt?: string;
    approvers: {
      id: string;
      userId: string;
      decision: 'approve' | 'reject' | 'pending';
      decidedAt?: string;
      requestedAt?: string;
    }[];
  }[];
}

export interface ScheduleModel {
  id: string;
  applicationId: string;
  interviewStageId: string;
  status: string;
  scheduledById: string;
  createdAt: string;
  updatedAt: string;
  eventIds: string[];
  /** The key that created the schedule through the API: only that key may update it. */
  createdByKey?: string;
}

export interface EventModel {
  id: string;
  interviewId: string;
  interviewScheduleId: string;
  interviewerUserIds: string[];
  createdAt: string;
  updatedAt: string;
  startTime: string;
  endTime: string;
  feedbackLink: string;
  location: string | null;
  meetingLink: string | null;
  interviewerCalendarEventId: string | null;
  hasSubmittedFeedback: boolean;
  notetakerTranscriptId: string | null;
  extraData: Record<string, unknown> | null;
}

export interface FeedbackModel {
  id: string;
  applicationId: string;
  feedbackFormDefinitionId: string;
  submittedValues: Record<string, unknown>;
  submittedByUserId: string;
  interviewId: string;
  interviewEventId: string;
  applicationHistoryId?: string;
  submittedAt: string;
  createdAt: string;
  updatedAt: string;
}

export interface NoteModel {
  id: string;
  candidateId: string;
  createdAt: string;
  updatedAt: string;
  isPrivate: boolean;
  content: string;
  authorId: string;
}
