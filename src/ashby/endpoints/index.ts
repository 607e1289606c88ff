import type { TypedCaller } from '../types.js';
import { applicationEndpoints } from './application.js';
import { candidateEndpoints } from './candidate.js';
import { jobEndpoints, jobPostingEndpoints, openingEndpoints } from './job.js';
import { offerEndpoints, offerProcessEndpoints } from './offer.js';
import { referenceEndpoints } from './reference.js';

/** The typed functions, grouped the way Ashby names endpoints: `candidate.create` → `client.candidate.create`. */
export function buildEndpoints(c: TypedCaller) {
  return {
    candidate: candidateEndpoints(c),
    application: applicationEndpoints(c),
    job: jobEndpoints(c),
    jobPosting: jobPostingEndpoints(c),
    opening: openingEndpoints(c),
    offer: offerEndpoints(c),
    offerProcess: offerProcessEndpoints(c),
    ...referenceEndpoints(c),
  };
}

export type AshbyEndpoints = ReturnType<typeof buildEndpoints>;
