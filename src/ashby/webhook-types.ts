/**
 * The event types Ashby's `webhook.create` accepts as `webhookType` (Ashby's API reference,
 * webhook.create; docs/ashby-api.md §6). One Ashby webhook setting covers one of them. The
 * sandbox accepts exactly these, and `ashby-kafka webhooks register` picks from them.
 */
export const ASHBY_WEBHOOK_TYPES = [
  'applicationSubmit',
  'applicationUpdate',
  'candidateHire',
  'candidateStageChange',
  'candidateDelete',
  'candidateMerge',
  'interviewPlanTransition',
  'interviewScheduleCreate',
  'interviewScheduleUpdate',
  'jobPostingUpdate',
  'jobPostingPublish',
  'jobPostingUnpublish',
  'offerCreate',
  'offerUpdate',
  'offerDelete',
  'pushToHRIS',
  'surveySubmit',
] as const;

export type AshbyWebhookType = (typeof ASHBY_WEBHOOK_TYPES)[number];
