import { describe, expect, it } from '@jest/globals';
import { Doorbell, type Round } from '../../../src/source/webhooks/doorbell.js';
import { effectsOf } from '../../../src/source/webhooks/routes.js';
import type { WebhookEvent } from '../../../src/source/webhooks/receiver.js';

const event = (action: string, data: Record<string, unknown>, id = `${action}-${Math.random()}`): WebhookEvent => ({
  id,
  action,
  data,
  receivedAt: '2026-11-01T00:00:00.000Z',
});

describe('webhook routes', () => {
  it('maps deletes and merges to departures, other events to pulls and children', () => {
    expect(effectsOf('candidateDelete', { candidate: { id: 'c1' } }).departures).toEqual([
      { stream: 'candidates', id: 'c1', reason: 'deleted' },
    ]);
    const merge = effectsOf('candidateMerge', { deletedCandidate: { id: 'c2' }, mergedCandidate: { id: 'c3' } });
    expect(merge.departures).toEqual([{ stream: 'candidates', id: 'c2', reason: 'merged_into', mergedInto: 'c3' }]);
    expect(merge.pull).toEqual(expect.arrayContaining(['candidates', 'applications']));
    expect(effectsOf('offerDelete', { offer: { id: 'o1', applicationId: 'a1' } }).departures).toEqual([
      { stream: 'offers', id: 'o1', reason: 'deleted' },
    ]);
    expect(effectsOf('interviewScheduleUpdate', { interviewSchedule: { id: 's1' } })).toEqual({
      pull: ['interview_schedules'],
      children: { interview_events: ['s1'] },
      departures: [],
    });
    expect(effectsOf('ping', { webhookActionType: 'ping' })).toEqual({ pull: [], children: {}, departures: [] });
    expect(effectsOf('candidateDelete', {})).toEqual({ pull: [], children: {}, departures: [] });
  });
});

describe('doorbell', () => {
  it('coalesces a burst into one round, and events during a round into the next one', async () => {
    const rounds: Round[] = [];
    let release!: () => void;
    const bell = new Doorbell(async (r) => {
      rounds.push(r);
      if (rounds.length === 1) await new Promise<void>((resolve) => (release = resolve));
    }, 20);
    for (let i = 0; i < 500; i++) bell.ring(event('applicationUpdate', { application: { id: `a${i}` } }));
    await new Promise((r) => setTimeout(r, 60));
    expect(rounds).toHaveLength(1);
    expect([...rounds[0]!.pull].sort()).toEqual(['applications', 'candidates']);
    expect(rounds[0]!.children.get('application_history')!.size).toBe(500);
    expect(rounds[0]!.events).toBe(500);
    // Arrives while round 1 runs: waits for it, then forms one round.
    bell.ring(event('candidateDelete', { candidate: { id: 'c1' } }, 'e1'));
    bell.ring(event('offerUpdate', { offer: { id: 'o1' } }));
    await new Promise((r) => setTimeout(r, 60));
    expect(rounds).toHaveLength(1);
    release();
    await bell.idle();
    expect(rounds).toHaveLength(2);
    expect([...rounds[1]!.pull]).toEqual(['offers']);
    expect(rounds[1]!.departures).toEqual([
      {
        stream: 'candidates',
        id: 'c1',
        reason: 'deleted',
        eventId: 'e1',
        action: 'candidateDelete',
        observedAt: '2026-11-01T00:00:00.000Z',
      },
    ]);
    expect(bell.counters()).toEqual({ events: 502, rounds: 2, failedRounds: 0 });
    await bell.close();
  });

  it('keeps the departures of a failed round for the next one', async () => {
    const rounds: Round[] = [];
    const bell = new Doorbell(async (r) => {
      rounds.push(r);
      if (rounds.length === 1) throw new Error('broker down');
    }, 5);
    bell.ring(event('candidateDelete', { candidate: { id: 'c1' } }, 'e1'));
    await new Promise((r) => setTimeout(r, 30));
    await bell.idle();
    expect(rounds.map((r) => r.departures.map((d) => d.id))).toEqual([['c1'], ['c1']]);
    expect(bell.counters().failedRounds).toBe(1);
    await bell.close();
  });
});
