import { COMPLETENESS_FLAGS, LIST_PAGING, withCompletenessFlags } from '../../src/ashby/completeness.js';
import { flatten, requestSchema, specEndpoints } from './spec-helpers.js';

/** Flags docs/ashby-api.md §2.4 lists although the endpoint's request schema lacks them. */
const REFERENCE_ONLY = new Set(['customField.list includeArchived']);

describe('completeness flags (docs/ashby-api.md §2.4)', () => {
  it.each(Object.entries(COMPLETENESS_FLAGS))(
    '%s: every flag is a request field the spec documents',
    (endpoint, flags) => {
      const spec = flatten(requestSchema(endpoint));
      for (const field of Object.keys(flags)) {
        const known = spec.properties.has(field) || REFERENCE_ONLY.has(`${endpoint} ${field}`);
        expect([endpoint, field, known]).toEqual([endpoint, field, true]);
      }
    },
  );

  it('the exceptions only docs/ashby-api.md §2.4 lists are still absent from the spec (drop them once it documents them)', () => {
    for (const entry of REFERENCE_ONLY) {
      const [endpoint, field] = entry.split(' ') as [string, string];
      expect(flatten(requestSchema(endpoint)).properties.has(field)).toBe(false);
    }
  });

  it('the job.list status filter lists every job status the spec knows, so Draft jobs are not lost', () => {
    const status = flatten(requestSchema('job.list')).properties.get('status');
    const values = flatten(flatten(status).items[0]).enum;
    expect([...(COMPLETENESS_FLAGS['job.list']!.status as string[])].sort()).toEqual([...(values as string[])].sort());
  });

  it('merges caller fields over the flags', () => {
    expect(withCompletenessFlags('user.list', { includeDeactivated: false, cursor: 'c' })).toEqual({
      includeDeactivated: false,
      cursor: 'c',
    });
    expect(withCompletenessFlags('candidate.list', { limit: 5 })).toEqual({ limit: 5 });
  });
});

describe('list paging table (docs/ashby-api.md §2.3)', () => {
  const listEndpoints = specEndpoints().filter((e) => /\.list/.test(e));

  it.each(listEndpoints)('%s pages the way its request schema says', (endpoint) => {
    const fields = flatten(requestSchema(endpoint)).properties;
    const paging = LIST_PAGING[endpoint] ?? 'sync';
    if (paging === 'sync') {
      // Unlisted endpoints default to sync; the spec must really accept a sync token for them.
      expect([endpoint, fields.has('cursor'), fields.has('syncToken')]).toEqual([endpoint, true, true]);
    } else if (paging === 'cursor') {
      expect([endpoint, fields.has('cursor')]).toEqual([endpoint, true]);
    } else {
      expect([endpoint, fields.has('cursor')]).toEqual([endpoint, false]);
    }
  });
});
