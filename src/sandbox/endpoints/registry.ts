import type { Handler } from '../http/request-context.js';
import { listPage } from '../lists/paginator.js';
import { APPLICATION_TEAM_HANDLERS } from './application-team-writes.js';
import { APPLICATION_WRITE_HANDLERS } from './application-writes.js';
import { CANDIDATE_FILE_HANDLERS } from './candidate-file-writes.js';
import { CANDIDATE_LISTS } from './candidate-lists.js';
import { CANDIDATE_WRITE_HANDLERS } from './candidate-writes.js';
import { CUSTOM_FIELD_HANDLERS } from './custom-fields.js';
import { EXTRA_LISTS } from './extra-lists.js';
import { INTERVIEW_SCHEDULE_HANDLERS } from './interview-schedule-writes.js';
import { JOB_WRITE_HANDLERS } from './job-writes.js';
import { OFFER_WRITE_HANDLERS } from './offer-writes.js';
import { ORG_LISTS } from './org-lists.js';
import { READ_HANDLERS } from './reads.js';
import { WEBHOOK_SETTING_HANDLERS } from './webhook-settings.js';

/**
 * Every endpoint the sandbox implements, by name. An endpoint in Ashby's spec but not here
 * answers 501 not_implemented_in_sandbox; a path in neither answers 404.
 */
export const HANDLERS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ...[...CANDIDATE_LISTS, ...ORG_LISTS, ...EXTRA_LISTS].map(
    (spec) => [spec.endpoint, (ctx) => listPage(spec, ctx)] as [string, Handler],
  ),
  ...Object.entries(READ_HANDLERS),
  ...Object.entries(CANDIDATE_WRITE_HANDLERS),
  ...Object.entries(APPLICATION_WRITE_HANDLERS),
  ...Object.entries(JOB_WRITE_HANDLERS),
  ...Object.entries(CUSTOM_FIELD_HANDLERS),
  ...Object.entries(OFFER_WRITE_HANDLERS),
  ...Object.entries(WEBHOOK_SETTING_HANDLERS),
  ...Object.entries(CANDIDATE_FILE_HANDLERS),
  ...Object.entries(APPLICATION_TEAM_HANDLERS),
  ...Object.entries(INTERVIEW_SCHEDULE_HANDLERS),
]);

export const LIST_SPECS = [...CANDIDATE_LISTS, ...ORG_LISTS, ...EXTRA_LISTS];
