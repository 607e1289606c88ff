type Json = Record<string, unknown>;

/** One list call: the `results` of the first page of `endpoint` for `body`. */
export type ListCall = (endpoint: string, body: Json) => Promise<Json[]> | Json[];

/**
 * The request body of a stream's first page for the sandbox, as its source reads it: child
 * streams name a parent that has children, and a few lists need an option to return records.
 * `parent` is the parent id the source adds to each child record, when it adds one.
 */
export async function firstPageBody(
  stream: string,
  list: ListCall,
): Promise<{ body: Json; parent?: [string, string] }> {
  const firstId = async (endpoint: string): Promise<string> => {
    const results = await list(endpoint, { limit: 100 });
    if (!results.length) throw new Error(`${endpoint} returned no records`);
    return String(results[0]!.id);
  };
  /** The first parent (of `parentList`) whose child list is not empty. */
  const parentWithChildren = async (parentList: string, endpoint: string, param: string): Promise<string> => {
    for (const parent of await list(parentList, { limit: 100 })) {
      if ((await list(endpoint, { [param]: parent.id })).length) return String(parent.id);
    }
    throw new Error(`no ${parentList} record has ${endpoint} records`);
  };
  switch (stream) {
    case 'interview_stages':
      return { body: { interviewPlanId: await firstId('interviewPlan.list') } };
    case 'interview_events':
      return { body: { interviewScheduleId: await firstId('interviewSchedule.list') } };
    case 'application_history': {
      const applicationId = await firstId('application.list');
      return { body: { applicationId }, parent: ['applicationId', applicationId] };
    }
    case 'candidate_notes': {
      const candidateId = await parentWithChildren('candidate.list', 'candidate.listNotes', 'candidateId');
      return { body: { candidateId }, parent: ['candidateId', candidateId] };
    }
    case 'hiring_team_roles':
      return { body: { namesOnly: false } };
    case 'survey_requests':
    case 'survey_submissions':
      return { body: { surveyType: 'CandidateExperience' } };
    case 'source_tracking_links':
      return { body: { includeDisabled: true } };
    case 'application_criteria_evaluations': {
      const applicationId = await parentWithChildren(
        'application.list',
        'application.listCriteriaEvaluations',
        'applicationId',
      );
      return { body: { applicationId }, parent: ['applicationId', applicationId] };
    }
    case 'candidate_projects': {
      const candidateId = await parentWithChildren('candidate.list', 'candidate.listProjects', 'candidateId');
      return { body: { candidateId }, parent: ['candidateId', candidateId] };
    }
    case 'candidate_client_info':
      return {
        body: { candidateId: await parentWithChildren('candidate.list', 'candidate.listClientInfo', 'candidateId') },
      };
    case 'candidate_fraud_checks':
      return {
        body: { candidateId: await parentWithChildren('candidate.list', 'candidate.listFraudChecks', 'candidateId') },
      };
    case 'user_interviewer_pauses':
      return { body: { userId: await parentWithChildren('user.list', 'user.listInterviewerPauses', 'userId') } };
    default:
      return { body: {} };
  }
}
