import {
  CLIENT_INFO_SLOTS,
  CRITERIA_SLOTS,
  criteriaEvaluationView,
  type CriteriaEvaluationModel,
  type SurveyRequestModel,
  type SurveySubmissionModel,
} from '../data/candidate-extras.js';
import { Kind } from '../data/ids.js';
import type { CandidateModel } from '../data/models.js';
import { assessmentView, type AssessmentModel, type SourceTrackingLinkModel } from '../data/org-extras.js';
import type { ProjectModel } from '../data/process.js';
import { optBool, optEnum, optId, reqId, type Body } from '../http/params.js';
import type { RequestContext } from '../http/request-context.js';
import { invalidInput, notFound } from '../http/wire-error.js';
import type { ListSpec } from '../lists/paginator.js';
import type { StoredRecord } from '../store/store.js';
import { projectView } from '../views/jobs.js';
import { visibleApplication } from './candidate-lists.js';

/**
 * The list endpoints added with issue 21: organisation settings lists (brands, templates, stage
 * groups, job boards, tracking links, application hiring team roles, assessments), survey
 * requests and submissions, and the per-parent lists of candidates, applications and users.
 * Paging per reference §2.3; permissions come from the spec's table like every endpoint.
 */

/** surveyRequest.list accepts only this type (the spec's enum). */
const SURVEY_REQUEST_TYPES = ['CandidateExperience'] as const;
/** The spec lists two types for surveySubmission.list; Ashby's guide names three more. */
const SURVEY_SUBMISSION_TYPES = [
  'CandidateExperience',
  'Questionnaire',
  'CandidateDataConsent',
  'Diversity',
  'EEOC',
] as const;

function asIs(record: StoredRecord): unknown {
  return record;
}

function requiredSurveyType<T extends string>(body: Body, allowed: readonly T[]): T {
  const type = optEnum(body, 'surveyType', allowed);
  if (type === undefined) throw invalidInput(`surveyType is required: one of ${allowed.join(', ')}`);
  return type;
}

function visibleCandidate(ctx: RequestContext, id: string): { candidate: CandidateModel; index: number | undefined } {
  const candidate = ctx.core.store.get<CandidateModel>('candidate', id);
  if (!candidate || !ctx.view.candidateVisible(candidate)) throw notFound('candidate', id);
  const index = ctx.core.world.ids.indexOf(Kind.Candidate, id);
  return { candidate, index: index !== undefined && index < ctx.core.world.counts.candidates ? index : undefined };
}

/** Generated child slots of a parent, then the children created for it since start. */
function childIds(
  ctx: RequestContext,
  entity: string,
  kind: Kind,
  parentIndex: number | undefined,
  per: number,
  parentId: string,
): string[] {
  const ids: string[] = [];
  if (parentIndex !== undefined) for (let k = 0; k < per; k++) ids.push(ctx.core.world.id(kind, parentIndex * per + k));
  return [...ids, ...ctx.core.store.linked(entity, parentId)];
}

export const EXTRA_LISTS: ListSpec[] = [
  { endpoint: 'brand.list', entity: 'brand', paging: 'cursor', view: asIs },
  {
    endpoint: 'communicationTemplate.list',
    entity: 'communicationTemplate',
    paging: 'single',
    singleMoreDataAvailable: true,
    view: asIs,
  },
  {
    endpoint: 'interviewStageGroup.list',
    entity: 'interviewStageGroup',
    paging: 'single',
    singleMoreDataAvailable: true,
    view: asIs,
  },
  { endpoint: 'jobBoard.list', entity: 'jobBoard', paging: 'single', singleMoreDataAvailable: true, view: asIs },
  {
    endpoint: 'sourceTrackingLink.list',
    entity: 'sourceTrackingLink',
    paging: 'single',
    singleMoreDataAvailable: true,
    validate: (body) => optBool(body, 'includeDisabled'),
    // Disabled links only with includeDisabled (the spec's default is false).
    include: (l, body) =>
      (l as unknown as SourceTrackingLinkModel).enabled || optBool(body, 'includeDisabled') === true,
    view: asIs,
  },
  { endpoint: 'applicationHiringTeamRole.list', entity: 'applicationHiringTeamRole', paging: 'single', view: asIs },
  {
    endpoint: 'assessment.list',
    entity: 'assessment',
    paging: 'single',
    feature: 'assessments',
    view: (a) => assessmentView(a as unknown as AssessmentModel),
  },
  {
    endpoint: 'surveyRequest.list',
    entity: 'surveyRequest',
    paging: 'sync',
    feature: 'surveys',
    validate: (body) => {
      requiredSurveyType(body, SURVEY_REQUEST_TYPES);
      optId(body, 'applicationId');
      optId(body, 'candidateId');
    },
    include: (r, body, ctx) => {
      const request = r as unknown as SurveyRequestModel;
      if (typeof body.applicationId === 'string' && request.applicationId !== body.applicationId.toLowerCase())
        return false;
      if (typeof body.candidateId === 'string' && request.candidateId !== body.candidateId.toLowerCase()) return false;
      return ctx.view.applicationVisible(request.applicationId);
    },
    view: asIs,
  },
  {
    endpoint: 'surveySubmission.list',
    entity: 'surveySubmission',
    paging: 'sync',
    feature: 'surveys',
    validate: (body) => requiredSurveyType(body, SURVEY_SUBMISSION_TYPES),
    include: (s, body, ctx) => {
      const submission = s as unknown as SurveySubmissionModel;
      if (submission.surveyType !== body.surveyType) return false;
      return submission.applicationId === null || ctx.view.applicationVisible(submission.applicationId);
    },
    view: asIs,
  },
  {
    endpoint: 'application.listCriteriaEvaluations',
    entity: 'criteriaEvaluation',
    paging: 'cursor',
    feature: 'aiApplicationReview',
    scope: (body, ctx) => {
      const app = visibleApplication(ctx, reqId(body, 'applicationId'));
      const slot = ctx.core.world.ids.indexOf(Kind.Application, app.id);
      const generated = slot !== undefined && slot < ctx.core.store.generatedSlots('application') ? slot : undefined;
      return childIds(ctx, 'criteriaEvaluation', Kind.CriteriaEvaluation, generated, CRITERIA_SLOTS, app.id);
    },
    view: (e) => criteriaEvaluationView(e as unknown as CriteriaEvaluationModel),
  },
  {
    endpoint: 'candidate.listProjects',
    entity: 'project',
    paging: 'cursor',
    scope: (body, ctx) => visibleCandidate(ctx, reqId(body, 'candidateId')).candidate.projectIds,
    include: (p, _b, ctx) => ctx.view.projectVisible(p as unknown as ProjectModel),
    view: (p, ctx) => projectView(p as unknown as ProjectModel, ctx.view),
  },
  {
    endpoint: 'candidate.listClientInfo',
    entity: 'clientInfo',
    paging: 'sync',
    scope: (body, ctx) => {
      const { candidate, index } = visibleCandidate(ctx, reqId(body, 'candidateId'));
      return childIds(ctx, 'clientInfo', Kind.ClientInfo, index, CLIENT_INFO_SLOTS, candidate.id);
    },
    view: asIs,
  },
  {
    endpoint: 'candidate.listFraudChecks',
    entity: 'fraudCheck',
    paging: 'cursor',
    feature: 'fraudDetection',
    scope: (body, ctx) => {
      const { candidate, index } = visibleCandidate(ctx, reqId(body, 'candidateId'));
      return childIds(ctx, 'fraudCheck', Kind.FraudCheck, index, 1, candidate.id);
    },
    view: asIs,
  },
  {
    endpoint: 'user.listInterviewerPauses',
    entity: 'interviewerPause',
    paging: 'single',
    scope: (body, ctx) => {
      const userId = reqId(body, 'userId');
      const index = ctx.core.world.ids.indexOf(Kind.User, userId);
      if (index === undefined || !ctx.core.store.get('user', userId)) throw notFound('user', userId);
      return childIds(
        ctx,
        'interviewerPause',
        Kind.InterviewerPause,
        index < ctx.core.world.counts.users ? index : undefined,
        1,
        userId,
      );
    },
    view: asIs,
  },
];

/** Per-parent child entities and the field naming their parent: admin-created records are linked to it. */
export const CHILD_PARENT_FIELDS: Readonly<Record<string, string>> = {
  criteriaEvaluation: 'applicationId',
  clientInfo: 'candidateId',
  fraudCheck: 'candidateId',
  interviewerPause: 'userId',
};
