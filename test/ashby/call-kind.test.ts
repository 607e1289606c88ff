import { describe, expect, it } from '@jest/globals';
import { callKind } from '../../src/ashby/client.js';
import type { CallKind } from '../../src/ashby/types.js';

/** Retrying an Ashby write that may have landed duplicates it: the spec's permission decides, callers can only add caution. */
describe('callKind', () => {
  it.each([
    ['candidate.list', undefined, 'read'],
    ['candidate.search', 'read', 'read'],
    ['apiKey.info', undefined, 'read'],
    ['candidate.create', undefined, 'write'],
    ['candidate.create', 'read', 'write'],
    ['offer.start', 'read', 'write'],
    ['candidate.list', 'write', 'write'],
    ['someNew.endpoint', undefined, 'write'],
    ['someNew.endpoint', 'read', 'write'],
  ] as Array<[string, CallKind | undefined, CallKind]>)('%s asked as %s is a %s', (endpoint, requested, expected) => {
    expect(callKind(endpoint, requested)).toBe(expected);
  });
});
