/**
 * Ashby's list endpoints leave records out unless asked (docs/ashby-api.md §2.4): Draft jobs,
 * archived metadata, deactivated users, job-specific interviews, location regions… A
 * connector that forgets a flag silently loses data, so the flags live in one table that the
 * paginator applies by default. A caller's own body fields win over the table.
 */
export const COMPLETENESS_FLAGS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  'job.list': { status: ['Draft', 'Open', 'Closed', 'Archived'], includeUnpublishedJobPostingsIds: true },
  'user.list': { includeDeactivated: true },
  'department.list': { includeArchived: true },
  'location.list': { includeArchived: true, includeLocationHierarchy: true },
  'source.list': { includeArchived: true },
  'archiveReason.list': { includeArchived: true },
  'candidateTag.list': { includeArchived: true },
  'customField.list': { includeArchived: true },
  'feedbackFormDefinition.list': { includeArchived: true },
  'interviewPlan.list': { includeArchived: true },
  'interview.list': { includeArchived: true, includeNonSharedInterviews: true },
  'closeReason.list': { includeArchived: true },
  'interviewerPool.list': { includeArchivedPools: true, includeArchivedTrainingStages: true },
  'sourceTrackingLink.list': { includeDisabled: true },
};

/** The body to send: the endpoint's completeness flags, overridden by the caller's fields. */
export function withCompletenessFlags(endpoint: string, body: Record<string, unknown> = {}): Record<string, unknown> {
  const flags = COMPLETENESS_FLAGS[endpoint];
  return flags ? { ...structuredClone(flags), ...body } : { ...body };
}

/** How a list endpoint pages (docs/ashby-api.md §2.3). Endpoints not listed are assumed to be cursor + syncToken lists. */
export type ListPaging = 'sync' | 'cursor' | 'single';

export const LIST_PAGING: Readonly<Record<string, ListPaging>> = {
  'application.listHistory': 'cursor',
  'application.listCriteriaEvaluations': 'cursor',
  'candidate.listFraudChecks': 'cursor',
  'candidate.listProjects': 'cursor',
  'brand.list': 'cursor',
  'archiveReason.list': 'single',
  'source.list': 'single',
  'interviewStage.list': 'single',
  'jobPosting.list': 'single',
  'hiringTeamRole.list': 'single',
  'communicationTemplate.list': 'single',
  'interviewStageGroup.list': 'single',
  'closeReason.list': 'single',
  'sourceTrackingLink.list': 'single',
  'jobBoard.list': 'single',
  'applicationHiringTeamRole.list': 'single',
  'user.listInterviewerPauses': 'single',
  'assessment.list': 'single',
  'assessment.customField.list': 'single',
};

export function listPaging(endpoint: string): ListPaging {
  return LIST_PAGING[endpoint] ?? 'sync';
}

/** docs/ashby-api.md §2.1: page size maximum and default. */
export const MAX_PAGE_SIZE = 100;
