import type {
  ApplicationModel,
  ApprovalModel,
  CandidateModel,
  EventModel,
  FeedbackModel,
  JobModel,
  JobPostingModel,
  NoteModel,
  OfferModel,
  OfferProcessModel,
  OpeningModel,
  ScheduleModel,
} from '../data/models.js';
import { criteriaEvaluationView, type CriteriaEvaluationModel } from '../data/candidate-extras.js';
import { assessmentView, type AssessmentModel } from '../data/org-extras.js';
import type { InterviewerPoolModel, JobTemplateModel, ProjectModel } from '../data/process.js';
import type { EntityName } from '../store/entities.js';
import type { StoredRecord } from '../store/store.js';
import { applicationView, eventView, feedbackView, scheduleView } from './applications.js';
import { candidateView, noteView } from './candidates.js';
import type { ViewContext } from './context.js';
import {
  interviewerPoolView,
  jobPostingInfoView,
  jobTemplateView,
  jobView,
  locationView,
  openingView,
  projectView,
} from './jobs.js';
import { approvalView, offerProcessView, offerView } from './offers.js';

/** The wire shape of any stored record, as its `.info` endpoint would return it (used by the admin interface and webhooks). */
export function wireView(entity: EntityName, record: StoredRecord, ctx: ViewContext): Record<string, unknown> {
  const r = record as never;
  switch (entity) {
    case 'candidate':
      return candidateView(r as CandidateModel, ctx);
    case 'application':
      return applicationView(r as ApplicationModel, ctx, 'info');
    case 'job':
      return jobView(r as JobModel, ctx, { includeUnpublishedJobPostingsIds: true });
    case 'jobPosting':
      return jobPostingInfoView(r as JobPostingModel, ctx);
    case 'opening':
      return openingView(r as OpeningModel, ctx);
    case 'offer':
      return offerView(r as OfferModel, ctx, { versions: true, formDefinition: false });
    case 'offerProcess':
      return offerProcessView(r as OfferProcessModel);
    case 'approval':
      return approvalView(r as ApprovalModel);
    case 'interviewSchedule':
      return scheduleView(r as ScheduleModel, ctx);
    case 'interviewEvent':
      return eventView(r as EventModel, ctx, false);
    case 'applicationFeedback':
      return feedbackView(r as FeedbackModel, ctx);
    case 'note':
      return noteView(r as NoteModel, ctx);
    case 'project':
      return projectView(r as ProjectModel, ctx);
    case 'jobTemplate':
      return jobTemplateView(r as JobTemplateModel, ctx, false);
    case 'interviewerPool':
      return interviewerPoolView(r as InterviewerPoolModel, ctx, true);
    case 'location':
      return locationView(r);
    case 'assessment':
      return assessmentView(r as AssessmentModel);
    case 'criteriaEvaluation':
      return criteriaEvaluationView(r as CriteriaEvaluationModel);
    default:
      return { ...record };
  }
}
