/**
 * Which Ashby endpoint each stream's value schema comes from, and the record's name and doc.
 * Input of the schema generator only: at run time the contract is read from schemas/.
 */
export interface StreamSpec {
  stream: string;
  endpoint: string;
  record: string;
  doc: string;
  /** Index of the success variant in the response's oneOf (hiringTeamRole.list has two). */
  responseVariant?: number;
  /**
   * For child streams whose items do not name their parent: the field ashby-kafka adds (the
   * source reader puts the parent's id into the Ashby JSON before mapping).
   */
  parentField?: { name: string; doc: string };
  /**
   * The `.info` endpoint of the same record, whose extra fields (expand-only or info-only) are
   * added as optional fields: webhooks and write responses carry that richer shape.
   */
  infoEndpoint?: string;
}

export const STREAM_SPECS: readonly StreamSpec[] = [
  {
    stream: 'candidates',
    endpoint: 'candidate.list',
    infoEndpoint: 'candidate.info',
    record: 'Candidate',
    doc: 'A candidate (person) in Ashby, as returned by candidate.list.',
  },
  {
    stream: 'applications',
    endpoint: 'application.list',
    infoEndpoint: 'application.info',
    record: 'Application',
    doc: 'An application: a candidate considered for a job, as returned by application.list.',
  },
  {
    stream: 'jobs',
    endpoint: 'job.list',
    infoEndpoint: 'job.info',
    record: 'Job',
    doc: 'A job (requisition), as returned by job.list.',
  },
  {
    stream: 'job_postings',
    endpoint: 'jobPosting.list',
    infoEndpoint: 'jobPosting.info',
    record: 'JobPosting',
    doc: 'A job posting in its summary shape, as returned by jobPosting.list; the fields only jobPosting.info returns are optional and null in list records.',
  },
  {
    stream: 'openings',
    endpoint: 'opening.list',
    record: 'Opening',
    doc: 'An opening (headcount slot) with its latest version, as returned by opening.list.',
  },
  {
    stream: 'offers',
    endpoint: 'offer.list',
    record: 'Offer',
    doc: 'An offer with its latest version, as returned by offer.list.',
  },
  {
    stream: 'interviews',
    endpoint: 'interview.list',
    record: 'Interview',
    doc: 'An interview type (not a scheduled event), as returned by interview.list.',
  },
  {
    stream: 'interview_plans',
    endpoint: 'interviewPlan.list',
    record: 'InterviewPlan',
    doc: 'A published interview plan, as returned by interviewPlan.list.',
  },
  {
    stream: 'interview_stages',
    endpoint: 'interviewStage.list',
    record: 'InterviewStage',
    doc: 'A stage of an interview plan, as returned by interviewStage.list for each plan.',
  },
  {
    stream: 'interview_schedules',
    endpoint: 'interviewSchedule.list',
    record: 'InterviewSchedule',
    doc: 'An interview schedule of an application, as returned by interviewSchedule.list.',
  },
  {
    stream: 'interview_events',
    endpoint: 'interviewEvent.list',
    record: 'InterviewEvent',
    doc: 'A scheduled interview event, as returned by interviewEvent.list for each schedule.',
  },
  {
    stream: 'departments',
    endpoint: 'department.list',
    record: 'Department',
    doc: 'A department or team, as returned by department.list.',
  },
  {
    stream: 'locations',
    endpoint: 'location.list',
    record: 'Location',
    doc: 'A location or location hierarchy (region), as returned by location.list.',
  },
  {
    stream: 'users',
    endpoint: 'user.list',
    record: 'User',
    doc: 'An Ashby user (employee with an Ashby account), as returned by user.list.',
  },
  {
    stream: 'sources',
    endpoint: 'source.list',
    record: 'Source',
    doc: 'A candidate source (e.g. "LinkedIn", "Referral"), as returned by source.list.',
  },
  {
    stream: 'archive_reasons',
    endpoint: 'archiveReason.list',
    record: 'ArchiveReason',
    doc: 'A reason for archiving an application, as returned by archiveReason.list.',
  },
  {
    stream: 'close_reasons',
    endpoint: 'closeReason.list',
    record: 'CloseReason',
    doc: 'A reason for closing a job or opening, as returned by closeReason.list.',
  },
  {
    stream: 'candidate_tags',
    endpoint: 'candidateTag.list',
    record: 'CandidateTag',
    doc: 'A candidate tag, as returned by candidateTag.list.',
  },
  {
    stream: 'custom_fields',
    endpoint: 'customField.list',
    record: 'CustomField',
    doc: 'A custom field definition, as returned by customField.list.',
  },
  {
    stream: 'feedback_form_definitions',
    endpoint: 'feedbackFormDefinition.list',
    record: 'FeedbackFormDefinition',
    doc: 'An interview feedback form definition, as returned by feedbackFormDefinition.list.',
  },
  {
    stream: 'application_feedback',
    endpoint: 'applicationFeedback.list',
    record: 'ApplicationFeedback',
    doc: 'Submitted interview feedback for an application, as returned by applicationFeedback.list.',
  },
  {
    stream: 'approvals',
    endpoint: 'approval.list',
    record: 'Approval',
    doc: 'An approval process (for an offer, job or opening), as returned by approval.list.',
  },
  {
    stream: 'projects',
    endpoint: 'project.list',
    record: 'Project',
    doc: 'A talent project, as returned by project.list.',
  },
  {
    stream: 'job_templates',
    endpoint: 'jobTemplate.list',
    record: 'JobTemplate',
    doc: 'A job template, as returned by jobTemplate.list.',
  },
  {
    stream: 'interviewer_pools',
    endpoint: 'interviewerPool.list',
    record: 'InterviewerPool',
    doc: 'An interviewer pool with its training path, as returned by interviewerPool.list.',
  },
  {
    stream: 'survey_form_definitions',
    endpoint: 'surveyFormDefinition.list',
    record: 'SurveyFormDefinition',
    doc: 'A survey form definition, as returned by surveyFormDefinition.list.',
  },
  {
    stream: 'hiring_team_roles',
    endpoint: 'hiringTeamRole.list',
    record: 'HiringTeamRole',
    doc: 'A hiring team role, as returned by hiringTeamRole.list with namesOnly: false.',
    responseVariant: 1,
  },
  {
    stream: 'application_history',
    endpoint: 'application.listHistory',
    record: 'ApplicationHistory',
    doc: 'One stage an application went through, as returned by application.listHistory for each application.',
    parentField: {
      name: 'applicationId',
      doc: 'Added by ashby-kafka: the id of the application this history entry belongs to (Ashby returns it per application and does not repeat it in the entry).',
    },
  },
  {
    stream: 'candidate_notes',
    endpoint: 'candidate.listNotes',
    record: 'CandidateNote',
    doc: 'A note on a candidate, as returned by candidate.listNotes for each candidate.',
    parentField: {
      name: 'candidateId',
      doc: 'Added by ashby-kafka: the id of the candidate this note is on (Ashby returns notes per candidate and does not repeat it in the note).',
    },
  },
  { stream: 'brands', endpoint: 'brand.list', record: 'Brand', doc: 'An employer brand, as returned by brand.list.' },
  {
    stream: 'interview_stage_groups',
    endpoint: 'interviewStageGroup.list',
    record: 'InterviewStageGroup',
    doc: 'A group of interview stages, as returned by interviewStageGroup.list.',
  },
  {
    stream: 'communication_templates',
    endpoint: 'communicationTemplate.list',
    record: 'CommunicationTemplate',
    doc: 'An email or InMail template, as returned by communicationTemplate.list.',
  },
  {
    stream: 'job_boards',
    endpoint: 'jobBoard.list',
    record: 'JobBoard',
    doc: 'A job board, as returned by jobBoard.list.',
  },
  {
    stream: 'source_tracking_links',
    endpoint: 'sourceTrackingLink.list',
    record: 'SourceTrackingLink',
    doc: 'A source tracking link, as returned by sourceTrackingLink.list.',
  },
  {
    stream: 'survey_requests',
    endpoint: 'surveyRequest.list',
    record: 'SurveyRequest',
    doc: 'A survey sent to a candidate, as returned by surveyRequest.list.',
  },
  {
    stream: 'survey_submissions',
    endpoint: 'surveySubmission.list',
    record: 'SurveySubmission',
    doc: 'A submitted candidate survey, as returned by surveySubmission.list.',
  },
  {
    stream: 'application_hiring_team_roles',
    endpoint: 'applicationHiringTeamRole.list',
    record: 'ApplicationHiringTeamRole',
    doc: 'A hiring team role that can be given on applications, as returned by applicationHiringTeamRole.list.',
  },
  {
    stream: 'assessments',
    endpoint: 'assessment.list',
    record: 'Assessment',
    doc: 'An assessment type offered by an assessment partner integration, as returned by assessment.list; keyed by assessment_type_id.',
  },
  {
    stream: 'application_criteria_evaluations',
    endpoint: 'application.listCriteriaEvaluations',
    record: 'ApplicationCriteriaEvaluation',
    doc: 'An AI criteria evaluation of an application, as returned by application.listCriteriaEvaluations for each application.',
    parentField: {
      name: 'applicationId',
      doc: 'Added by ashby-kafka: the id of the application this evaluation is about (Ashby returns evaluations per application and does not repeat it).',
    },
  },
  {
    stream: 'candidate_projects',
    endpoint: 'candidate.listProjects',
    record: 'CandidateProject',
    doc: 'A project a candidate is on, as returned by candidate.listProjects for each candidate; keyed by candidateId and project id.',
    parentField: {
      name: 'candidateId',
      doc: 'Added by ashby-kafka: the id of the candidate on this project (Ashby returns projects per candidate and does not repeat it).',
    },
  },
  {
    stream: 'candidate_client_info',
    endpoint: 'candidate.listClientInfo',
    record: 'CandidateClientInfo',
    doc: 'A record of the client (IP address, user agent) a candidate used, as returned by candidate.listClientInfo for each candidate.',
  },
  {
    stream: 'candidate_fraud_checks',
    endpoint: 'candidate.listFraudChecks',
    record: 'CandidateFraudCheck',
    doc: 'A fraud check of a candidate with its signals, as returned by candidate.listFraudChecks for each candidate.',
  },
  {
    stream: 'user_interviewer_pauses',
    endpoint: 'user.listInterviewerPauses',
    record: 'InterviewerPause',
    doc: 'An active or scheduled interviewer pause of a user, as returned by user.listInterviewerPauses for each user.',
  },
];
