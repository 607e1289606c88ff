import { COMPLETENESS_FLAGS, listPaging, permissionFor, type ListPaging } from '../ashby/index.js';
import { InternalError } from '../errors.js';

/**
 * The stream catalog, declared as data: one entry per Kafka topic the source can fill. The
 * reader (stream-reader.ts) and the runner know nothing stream-specific; adding a stream means
 * adding an entry here and its schema in schemas/streams/<name>.avsc.
 *
 * What is derived rather than declared, so it cannot drift from the client:
 * - paging (sync token / cursor only / single response) comes from the client's table (docs/ashby-api.md §2.3);
 * - the completeness flags (docs/ashby-api.md §2.4) are added by the client's paginator to every request;
 * - the permission module comes from the endpoint → permission table generated from the spec.
 */
export interface StreamDeclaration {
  /** Stream name: topic suffix and schema file name (schemas/streams/<name>.avsc). */
  name: string;
  /** The Ashby list endpoint. */
  endpoint: string;
  /** Extra request fields beyond the completeness flags (e.g. hiringTeamRole.list's `namesOnly: false`). */
  body?: Readonly<Record<string, unknown>>;
  /** Child streams are listed once per record of the parent stream. */
  parent?: {
    stream: string;
    /** The request field that names the parent, e.g. `interviewPlanId`. */
    param: string;
    /** When the child's records do not carry the parent id, the field the reader adds (the schema has it). */
    addField?: string;
    /**
     * Incremental passes read the children of every parent and produce only new or changed
     * children (by record digest), instead of only the children of changed parents: for
     * children that change without touching their parent, when parents are few.
     */
    rereadAll?: boolean;
  };
  /**
   * The Kafka key: these record fields joined by `:`. Default `id`. Records listed per parent
   * that are not the parent's own (a project a candidate is on) include the parent id.
   */
  keyFields?: readonly string[];
  /**
   * An Ashby feature the organisation must have (e.g. "AI Application Review"): when Ashby says it
   * is missing, a stream not listed explicitly is skipped with one warning, like a missing permission.
   */
  feature?: string;
  /** In `streams: all`. Fan-out children cost one call per parent record, so they are opt-in. */
  enabledByDefault: boolean;
  /** Why a stream is off by default or limited, shown by `discover`. */
  note?: string;
}

/** The record field used as Kafka key unless a stream declares `keyFields`: Ashby's id. */
export const KEY_FIELD = 'id';

const FAN_OUT = 'one call per parent record; list it explicitly to read it';

/**
 * surveyType is required, and a stream holds one sync token: the streams read CandidateExperience,
 * the only type surveyRequest.list accepts.
 */
const CANDIDATE_EXPERIENCE_SURVEYS = {
  body: { surveyType: 'CandidateExperience' },
  feature: 'Candidate Experience surveys',
  note: 'surveyType CandidateExperience',
} as const;

/**
 * Largest streams first (by records per candidate in a typical org): a pass starts them first
 * and ends when its longest stream ends, so this order shortens passes.
 */
export const STREAM_DECLARATIONS: readonly StreamDeclaration[] = [
  { name: 'applications', endpoint: 'application.list', enabledByDefault: true },
  { name: 'candidates', endpoint: 'candidate.list', enabledByDefault: true },
  { name: 'application_feedback', endpoint: 'applicationFeedback.list', enabledByDefault: true },
  { name: 'interview_schedules', endpoint: 'interviewSchedule.list', enabledByDefault: true },
  { name: 'approvals', endpoint: 'approval.list', enabledByDefault: true },
  { name: 'survey_requests', endpoint: 'surveyRequest.list', ...CANDIDATE_EXPERIENCE_SURVEYS, enabledByDefault: true },
  {
    name: 'survey_submissions',
    endpoint: 'surveySubmission.list',
    ...CANDIDATE_EXPERIENCE_SURVEYS,
    enabledByDefault: true,
  },
  { name: 'offers', endpoint: 'offer.list', enabledByDefault: true },
  {
    name: 'interview_stages',
    endpoint: 'interviewStage.list',
    // A renamed or reordered stage does not touch its plan: read every plan's stages each pass.
    parent: { stream: 'interview_plans', param: 'interviewPlanId', rereadAll: true },
    enabledByDefault: true,
    note: 'one call per interview plan on every pass (plans are few); changes found by record digest',
  },
  { name: 'jobs', endpoint: 'job.list', enabledByDefault: true },
  { name: 'job_postings', endpoint: 'jobPosting.list', enabledByDefault: true },
  { name: 'openings', endpoint: 'opening.list', enabledByDefault: true },
  { name: 'interviews', endpoint: 'interview.list', enabledByDefault: true },
  { name: 'interview_plans', endpoint: 'interviewPlan.list', enabledByDefault: true },
  {
    name: 'interview_events',
    endpoint: 'interviewEvent.list',
    parent: { stream: 'interview_schedules', param: 'interviewScheduleId' },
    enabledByDefault: false,
    note: FAN_OUT,
  },
  { name: 'departments', endpoint: 'department.list', enabledByDefault: true },
  { name: 'locations', endpoint: 'location.list', enabledByDefault: true },
  { name: 'users', endpoint: 'user.list', enabledByDefault: true },
  { name: 'sources', endpoint: 'source.list', enabledByDefault: true },
  { name: 'archive_reasons', endpoint: 'archiveReason.list', enabledByDefault: true },
  { name: 'close_reasons', endpoint: 'closeReason.list', enabledByDefault: true },
  { name: 'candidate_tags', endpoint: 'candidateTag.list', enabledByDefault: true },
  { name: 'custom_fields', endpoint: 'customField.list', enabledByDefault: true },
  { name: 'feedback_form_definitions', endpoint: 'feedbackFormDefinition.list', enabledByDefault: true },
  { name: 'projects', endpoint: 'project.list', enabledByDefault: true },
  { name: 'job_templates', endpoint: 'jobTemplate.list', enabledByDefault: true },
  { name: 'interviewer_pools', endpoint: 'interviewerPool.list', enabledByDefault: true },
  { name: 'survey_form_definitions', endpoint: 'surveyFormDefinition.list', enabledByDefault: true },
  { name: 'hiring_team_roles', endpoint: 'hiringTeamRole.list', body: { namesOnly: false }, enabledByDefault: true },
  { name: 'application_hiring_team_roles', endpoint: 'applicationHiringTeamRole.list', enabledByDefault: true },
  { name: 'interview_stage_groups', endpoint: 'interviewStageGroup.list', enabledByDefault: true },
  { name: 'job_boards', endpoint: 'jobBoard.list', enabledByDefault: true },
  { name: 'source_tracking_links', endpoint: 'sourceTrackingLink.list', enabledByDefault: true },
  { name: 'communication_templates', endpoint: 'communicationTemplate.list', enabledByDefault: true },
  { name: 'brands', endpoint: 'brand.list', enabledByDefault: true },
  {
    name: 'assessments',
    endpoint: 'assessment.list',
    keyFields: ['assessment_type_id'],
    feature: 'an assessment partner integration',
    enabledByDefault: true,
    note: 'assessment types of the assessment partner; keyed by assessment_type_id',
  },
  {
    name: 'application_history',
    endpoint: 'application.listHistory',
    parent: { stream: 'applications', param: 'applicationId', addField: 'applicationId' },
    enabledByDefault: false,
    note: FAN_OUT,
  },
  {
    name: 'candidate_notes',
    endpoint: 'candidate.listNotes',
    parent: { stream: 'candidates', param: 'candidateId', addField: 'candidateId' },
    enabledByDefault: false,
    note: FAN_OUT,
  },
  {
    name: 'application_criteria_evaluations',
    endpoint: 'application.listCriteriaEvaluations',
    parent: { stream: 'applications', param: 'applicationId', addField: 'applicationId' },
    feature: 'AI Application Review',
    enabledByDefault: false,
    note: FAN_OUT,
  },
  {
    name: 'candidate_projects',
    endpoint: 'candidate.listProjects',
    // The same project is listed for each of its candidates: one record per (candidate, project).
    parent: { stream: 'candidates', param: 'candidateId', addField: 'candidateId' },
    keyFields: ['candidateId', 'id'],
    enabledByDefault: false,
    note: `${FAN_OUT}; keyed by candidateId:projectId`,
  },
  {
    name: 'candidate_client_info',
    endpoint: 'candidate.listClientInfo',
    parent: { stream: 'candidates', param: 'candidateId', addField: 'candidateId' },
    enabledByDefault: false,
    note: FAN_OUT,
  },
  {
    name: 'candidate_fraud_checks',
    endpoint: 'candidate.listFraudChecks',
    parent: { stream: 'candidates', param: 'candidateId', addField: 'candidateId' },
    feature: 'Fraud Detection',
    enabledByDefault: false,
    note: FAN_OUT,
  },
  {
    name: 'user_interviewer_pauses',
    endpoint: 'user.listInterviewerPauses',
    // A pause does not touch its user: read every user's pauses each pass.
    parent: { stream: 'users', param: 'userId', addField: 'userId', rereadAll: true },
    enabledByDefault: false,
    note: 'one call per user on every pass; changes found by record digest; list it explicitly to read it',
  },
];

/** How a stream can be synced, as `discover` shows it. */
export type SyncMode = 'incremental' | 'full_refresh';

/** A declaration with everything derived from the client's tables filled in. */
export interface CatalogStream extends StreamDeclaration {
  paging: ListPaging;
  /** Child streams follow their parent's paging; lists without sync tokens are incremental by record digest. */
  syncModes: SyncMode[];
  completeness: Readonly<Record<string, unknown>>;
  /** `candidates:read` style scope, or undefined when Ashby documents no permission. */
  scope: string | undefined;
  /** Module display name, e.g. "Candidates". */
  module: string | undefined;
  /** The key's record fields, e.g. `id` or `candidateId:id`. */
  key: string;
}

function resolve(decl: StreamDeclaration, byName: Map<string, StreamDeclaration>): CatalogStream {
  const top = decl.parent ? byName.get(decl.parent.stream) : decl;
  if (!top) throw new InternalError(`catalog: ${decl.name} names unknown parent ${decl.parent?.stream}`);
  const topPaging = listPaging(top.endpoint);
  const permission = permissionFor(decl.endpoint);
  return {
    ...decl,
    paging: listPaging(decl.endpoint),
    // Incremental: by sync token, by the parent's token (children), or by record digest (top-level lists without a token).
    syncModes: topPaging === 'sync' || !decl.parent ? ['incremental', 'full_refresh'] : ['full_refresh'],
    completeness: COMPLETENESS_FLAGS[decl.endpoint] ?? {},
    scope: permission?.scope,
    module: permission?.module,
    key: (decl.keyFields ?? [KEY_FIELD]).join(':'),
  };
}

export class StreamCatalog {
  private readonly streams: Map<string, CatalogStream>;

  constructor(declarations: readonly StreamDeclaration[] = STREAM_DECLARATIONS) {
    const byName = new Map(declarations.map((d) => [d.name, d]));
    if (byName.size !== declarations.length) throw new InternalError('catalog: duplicate stream names');
    this.streams = new Map(declarations.map((d) => [d.name, resolve(d, byName)]));
  }

  get(name: string): CatalogStream | undefined {
    return this.streams.get(name);
  }

  all(): CatalogStream[] {
    return [...this.streams.values()];
  }

  names(): string[] {
    return [...this.streams.keys()];
  }

  parentOf(stream: CatalogStream): CatalogStream | undefined {
    return stream.parent ? this.streams.get(stream.parent.stream) : undefined;
  }
}

export const DEFAULT_CATALOG = new StreamCatalog();
