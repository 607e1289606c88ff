import { Kind } from '../data/ids.js';
import { generateApplication, generateEvent, generateFeedback, generateSchedule } from '../data/applications.js';
import { generateCandidate, generateNote } from '../data/candidates.js';
import {
  CUSTOM_FIELD_COUNT,
  FEEDBACK_FORM_COUNT,
  SURVEY_FORM_COUNT,
  generateCustomField,
  generateFeedbackForm,
  generateSurveyForm,
} from '../data/forms.js';
import { generateJob, generateJobPosting, generateOpening } from '../data/jobs.js';
import { generateApproval, generateOffer, generateOfferProcess } from '../data/offers.js';
import {
  ARCHIVE_REASON_COUNT,
  CLOSE_REASON_COUNT,
  LOCATION_COUNT,
  SOURCE_COUNT,
  generateArchiveReason,
  generateCloseReason,
  generateDepartment,
  generateLocation,
  generateSource,
  generateTag,
  generateUser,
} from '../data/org.js';
import {
  INTERVIEWER_POOL_COUNT,
  JOB_TEMPLATE_COUNT,
  generateInterview,
  generateInterviewPlan,
  generateInterviewStage,
  generateInterviewerPool,
  generateJobTemplate,
  generateProject,
} from '../data/process.js';
import {
  CLIENT_INFO_SLOTS,
  CRITERIA_SLOTS,
  generateClientInfo,
  generateCriteriaEvaluation,
  generateFraudCheck,
  generateSurveyRequest,
  generateSurveySubmission,
} from '../data/candidate-extras.js';
import {
  APPLICATION_HIRING_TEAM_ROLE_COUNT,
  ASSESSMENT_COUNT,
  BRAND_COUNT,
  COMMUNICATION_TEMPLATE_COUNT,
  INTERVIEW_STAGE_GROUP_COUNT,
  JOB_BOARD_COUNT,
  SOURCE_TRACKING_LINK_COUNT,
  generateApplicationHiringTeamRole,
  generateAssessment,
  generateBrand,
  generateCommunicationTemplate,
  generateInterviewStageGroup,
  generateInterviewerPause,
  generateJobBoard,
  generateSourceTrackingLink,
} from '../data/org-extras.js';
import { APPLICATION_SLOTS, EVENT_SLOTS, NOTE_SLOTS, STAGES_PER_PLAN, type World } from '../data/world.js';

/**
 * The entity catalog: for each entity the sandbox stores, its id kind, how many generated index
 * slots it has at the current scale, and the pure generator for slot i. Names are the ones Ashby
 * uses in endpoint paths; the admin interface addresses entities by these names.
 */
export type EntityName =
  | 'candidate'
  | 'application'
  | 'job'
  | 'jobPosting'
  | 'opening'
  | 'offer'
  | 'offerProcess'
  | 'approval'
  | 'interview'
  | 'interviewPlan'
  | 'interviewStage'
  | 'interviewSchedule'
  | 'interviewEvent'
  | 'applicationFeedback'
  | 'department'
  | 'location'
  | 'user'
  | 'source'
  | 'archiveReason'
  | 'closeReason'
  | 'candidateTag'
  | 'customField'
  | 'feedbackFormDefinition'
  | 'surveyFormDefinition'
  | 'project'
  | 'jobTemplate'
  | 'interviewerPool'
  | 'note'
  | 'brand'
  | 'communicationTemplate'
  | 'interviewStageGroup'
  | 'jobBoard'
  | 'sourceTrackingLink'
  | 'applicationHiringTeamRole'
  | 'assessment'
  | 'interviewerPause'
  | 'surveyRequest'
  | 'surveySubmission'
  | 'criteriaEvaluation'
  | 'clientInfo'
  | 'fraudCheck';

export interface EntityDef {
  name: EntityName;
  kind: Kind;
  slots(w: World): number;
  generate(w: World, index: number): object | undefined;
  /** Keep generated records in memory once produced: only for entities that stay small at any scale. */
  cache: boolean;
}

function def(
  name: EntityName,
  kind: Kind,
  slots: (w: World) => number,
  generate: (w: World, i: number) => object | undefined,
  cache: boolean,
): EntityDef {
  return { name, kind, slots, generate, cache };
}

const appSlots = (w: World): number => w.counts.candidates * APPLICATION_SLOTS;

export const ENTITIES: readonly EntityDef[] = [
  def('candidate', Kind.Candidate, (w) => w.counts.candidates, generateCandidate, false),
  def('application', Kind.Application, appSlots, generateApplication, false),
  def('job', Kind.Job, (w) => w.counts.jobs, generateJob, true),
  def('jobPosting', Kind.JobPosting, (w) => w.counts.jobs, generateJobPosting, true),
  def('opening', Kind.Opening, (w) => w.counts.jobs, generateOpening, true),
  def('offer', Kind.Offer, appSlots, generateOffer, false),
  def('offerProcess', Kind.OfferProcess, appSlots, generateOfferProcess, false),
  def('approval', Kind.Approval, (w) => w.counts.jobs + appSlots(w), generateApproval, false),
  def('interview', Kind.Interview, (w) => w.counts.interviews, generateInterview, true),
  def('interviewPlan', Kind.InterviewPlan, (w) => w.counts.jobs, generateInterviewPlan, true),
  def('interviewStage', Kind.InterviewStage, (w) => w.counts.jobs * STAGES_PER_PLAN, generateInterviewStage, true),
  def('interviewSchedule', Kind.InterviewSchedule, appSlots, generateSchedule, false),
  def('interviewEvent', Kind.InterviewEvent, (w) => appSlots(w) * EVENT_SLOTS, generateEvent, false),
  def('applicationFeedback', Kind.ApplicationFeedback, (w) => appSlots(w) * EVENT_SLOTS, generateFeedback, false),
  def('department', Kind.Department, (w) => w.counts.departments, generateDepartment, true),
  def('location', Kind.Location, () => LOCATION_COUNT, generateLocation, true),
  def('user', Kind.User, (w) => w.counts.users, generateUser, true),
  def('source', Kind.Source, () => SOURCE_COUNT, generateSource, true),
  def('archiveReason', Kind.ArchiveReason, () => ARCHIVE_REASON_COUNT, generateArchiveReason, true),
  def('closeReason', Kind.CloseReason, () => CLOSE_REASON_COUNT, generateCloseReason, true),
  def('candidateTag', Kind.CandidateTag, (w) => w.counts.tags, generateTag, true),
  def('customField', Kind.CustomField, () => CUSTOM_FIELD_COUNT, generateCustomField, true),
  def('feedbackFormDefinition', Kind.FeedbackFormDefinition, () => FEEDBACK_FORM_COUNT, generateFeedbackForm, true),
  def('surveyFormDefinition', Kind.SurveyFormDefinition, () => SURVEY_FORM_COUNT, generateSurveyForm, true),
  def('project', Kind.Project, (w) => w.counts.projects, generateProject, true),
  def('jobTemplate', Kind.JobTemplate, () => JOB_TEMPLATE_COUNT, generateJobTemplate, true),
  def('interviewerPool', Kind.InterviewerPool, () => INTERVIEWER_POOL_COUNT, generateInterviewerPool, true),
  def('note', Kind.Note, (w) => w.counts.candidates * NOTE_SLOTS, generateNote, false),
  def('brand', Kind.Brand, () => BRAND_COUNT, generateBrand, true),
  def(
    'communicationTemplate',
    Kind.CommunicationTemplate,
    () => COMMUNICATION_TEMPLATE_COUNT,
    generateCommunicationTemplate,
    true,
  ),
  def(
    'interviewStageGroup',
    Kind.InterviewStageGroup,
    () => INTERVIEW_STAGE_GROUP_COUNT,
    generateInterviewStageGroup,
    true,
  ),
  def('jobBoard', Kind.JobBoard, () => JOB_BOARD_COUNT, generateJobBoard, true),
  def(
    'sourceTrackingLink',
    Kind.SourceTrackingLink,
    () => SOURCE_TRACKING_LINK_COUNT,
    generateSourceTrackingLink,
    true,
  ),
  def(
    'applicationHiringTeamRole',
    Kind.ApplicationHiringTeamRole,
    () => APPLICATION_HIRING_TEAM_ROLE_COUNT,
    generateApplicationHiringTeamRole,
    true,
  ),
  def('assessment', Kind.Assessment, () => ASSESSMENT_COUNT, generateAssessment, true),
  def('interviewerPause', Kind.InterviewerPause, (w) => w.counts.users, generateInterviewerPause, true),
  def('surveyRequest', Kind.SurveyRequest, appSlots, generateSurveyRequest, false),
  def('surveySubmission', Kind.SurveySubmission, appSlots, generateSurveySubmission, false),
  def(
    'criteriaEvaluation',
    Kind.CriteriaEvaluation,
    (w) => appSlots(w) * CRITERIA_SLOTS,
    generateCriteriaEvaluation,
    false,
  ),
  def('clientInfo', Kind.ClientInfo, (w) => w.counts.candidates * CLIENT_INFO_SLOTS, generateClientInfo, false),
  def('fraudCheck', Kind.FraudCheck, (w) => w.counts.candidates, generateFraudCheck, false),
];

export const ENTITY_BY_NAME: ReadonlyMap<EntityName, EntityDef> = new Map(ENTITIES.map((e) => [e.name, e]));

export function isEntityName(name: unknown): name is EntityName {
  return typeof name === 'string' && ENTITY_BY_NAME.has(name as EntityName);
}
