import type { TSchema } from '@sinclair/typebox';
import {
  Application,
  ApplicationChangeSourceBody,
  ApplicationChangeStageBody,
  ApplicationCreateBody,
  ApplicationHistory,
  ApplicationListBody,
  ApplicationUpdateBody,
} from './application.js';
import {
  Candidate,
  CandidateAddTagBody,
  CandidateCreateBody,
  CandidateCreateNoteBody,
  CandidateNote,
  CandidateSearchBody,
  CandidateUpdateBody,
} from './candidate.js';
import { ArchiveReason, CustomFieldValue, Source, Tag, User } from './common.js';
import { Interview, InterviewEvent, InterviewPlan, InterviewSchedule, InterviewStage } from './interview.js';
import {
  Job,
  JobCreateBody,
  JobPosting,
  JobPostingSummary,
  JobSearchBody,
  JobSetStatusBody,
  JobUpdateBody,
  Opening,
} from './job.js';
import {
  ApiKeyInfo,
  Approval,
  CloseReason,
  CustomFieldDefinition,
  CustomFieldSetValuesBody,
  FeedbackFormDefinition,
  Project,
} from './metadata.js';
import {
  Offer,
  OfferApproveBody,
  OfferCreateBody,
  OfferForm,
  OfferProcess,
  OfferSetStatusBody,
  OfferStartApprovalBody,
  OfferUpdateBody,
} from './offer.js';
import { Department, Location } from './organization.js';

export * from './application.js';
export * from './candidate.js';
export * from './common.js';
export * from './interview.js';
export * from './job.js';
export * from './metadata.js';
export * from './offer.js';
export * from './organization.js';

/**
 * The record type of `results` for each endpoint we type (for lists: of one item). Drives
 * runtime checking in the typed endpoint functions and the spec/recording tests.
 */
export const RESULT_SCHEMAS: Readonly<Record<string, TSchema>> = {
  'apiKey.info': ApiKeyInfo,
  'application.list': Application,
  'application.info': Application,
  'application.create': Application,
  'application.update': Application,
  'application.changeStage': Application,
  'application.changeSource': Application,
  'application.listHistory': ApplicationHistory,
  'approval.list': Approval,
  'archiveReason.list': ArchiveReason,
  'candidate.list': Candidate,
  'candidate.info': Candidate,
  'candidate.search': Candidate,
  'candidate.create': Candidate,
  'candidate.update': Candidate,
  'candidate.addTag': Candidate,
  'candidate.createNote': CandidateNote,
  'candidate.listNotes': CandidateNote,
  'candidateTag.list': Tag,
  'candidateTag.create': Tag,
  'closeReason.list': CloseReason,
  'customField.list': CustomFieldDefinition,
  'customField.setValues': CustomFieldValue,
  'department.list': Department,
  'department.info': Department,
  'feedbackFormDefinition.list': FeedbackFormDefinition,
  'interview.list': Interview,
  'interview.info': Interview,
  'interviewEvent.list': InterviewEvent,
  'interviewPlan.list': InterviewPlan,
  'interviewSchedule.list': InterviewSchedule,
  'interviewStage.list': InterviewStage,
  'job.list': Job,
  'job.info': Job,
  'job.search': Job,
  'job.create': Job,
  'job.update': Job,
  'job.setStatus': Job,
  'jobPosting.list': JobPostingSummary,
  'jobPosting.info': JobPosting,
  'location.list': Location,
  'location.info': Location,
  'offer.list': Offer,
  'offer.info': Offer,
  'offer.create': Offer,
  'offer.update': Offer,
  'offer.startApprovalProcess': Offer,
  'offer.approve': Offer,
  'offer.setStatus': Offer,
  'offer.start': OfferForm,
  'offerProcess.start': OfferProcess,
  'opening.list': Opening,
  'opening.info': Opening,
  'project.list': Project,
  'source.list': Source,
  'user.list': User,
  'user.info': User,
};

/** Request bodies of the writes and searches we type. */
export const REQUEST_SCHEMAS: Readonly<Record<string, TSchema>> = {
  'application.create': ApplicationCreateBody,
  'application.update': ApplicationUpdateBody,
  'application.changeStage': ApplicationChangeStageBody,
  'application.changeSource': ApplicationChangeSourceBody,
  'application.list': ApplicationListBody,
  'candidate.create': CandidateCreateBody,
  'candidate.update': CandidateUpdateBody,
  'candidate.search': CandidateSearchBody,
  'candidate.addTag': CandidateAddTagBody,
  'candidate.createNote': CandidateCreateNoteBody,
  'customField.setValues': CustomFieldSetValuesBody,
  'job.create': JobCreateBody,
  'job.update': JobUpdateBody,
  'job.setStatus': JobSetStatusBody,
  'job.search': JobSearchBody,
  'offer.create': OfferCreateBody,
  'offer.update': OfferUpdateBody,
  'offer.startApprovalProcess': OfferStartApprovalBody,
  'offer.approve': OfferApproveBody,
  'offer.setStatus': OfferSetStatusBody,
};
