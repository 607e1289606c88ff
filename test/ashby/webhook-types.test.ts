import { describe, expect, it } from '@jest/globals';
import { ASHBY_WEBHOOK_TYPES } from '../../src/ashby/webhook-types.js';
import { RECEIVER_WEBHOOK_TYPES } from '../../src/cli/webhooks.js';
import { effectsOf } from '../../src/source/webhooks/routes.js';
import { deref, loadSpec } from './spec-helpers.js';

describe('Ashby webhook types', () => {
  it("are exactly webhook.create's webhookType enum in Ashby's spec", () => {
    const body = deref(loadSpec().paths['/webhook.create']?.post?.requestBody);
    const schema = deref((body.content as Record<string, { schema: unknown }>)['application/json']!.schema);
    const webhookType = deref((schema.properties as Record<string, unknown>).webhookType);
    expect([...ASHBY_WEBHOOK_TYPES]).toEqual(webhookType.enum);
  });

  it('registers, by default, every type the receiver acts on and no other', () => {
    // A payload naming every parent the receiver reads ids from, so departures count too.
    const ref = { id: 'x' };
    const data = {
      application: ref,
      candidate: ref,
      offer: ref,
      interviewSchedule: ref,
      deletedCandidate: ref,
      mergedCandidate: ref,
    };
    const actedOn = ASHBY_WEBHOOK_TYPES.filter((type) => {
      const e = effectsOf(type, data);
      return e.pull.length + e.departures.length + Object.keys(e.children).length > 0;
    });
    expect([...RECEIVER_WEBHOOK_TYPES]).toEqual(actedOn);
  });
});
