import { describe, expect, it } from '@jest/globals';
import { DEFAULT_CATALOG } from '../../src/source/catalog.js';
import { selectStreams } from '../../src/config/stream-selection.js';

describe('stream selection', () => {
  it('`all` is every default-enabled stream minus exclude, none explicit', () => {
    const sel = selectStreams({ streams: 'all', exclude: ['candidates'] }, DEFAULT_CATALOG);
    expect(sel.streams.map((s) => s.name)).not.toContain('candidates');
    expect(sel.streams.map((s) => s.name)).not.toContain('interview_events');
    expect(sel.streams.map((s) => s.name)).toContain('applications');
    expect(sel.explicit.size).toBe(0);
  });

  it('a list selects exactly those streams, in catalog order, all explicit', () => {
    const sel = selectStreams({ streams: ['offers', 'candidates', 'candidate_notes'], exclude: [] }, DEFAULT_CATALOG);
    expect(sel.streams.map((s) => s.name)).toEqual(['candidates', 'offers', 'candidate_notes']);
    expect([...sel.explicit].sort()).toEqual(['candidate_notes', 'candidates', 'offers']);
  });

  it.each([
    [
      { streams: ['candidate'], exclude: [] },
      'source.streams[0]: unknown stream "candidate"; available: application_criteria_evaluations, application_feedback, application_hiring_team_roles,',
    ],
    [{ streams: ['jobs', 'jobs'], exclude: [] }, 'source.streams lists jobs more than once'],
    [{ streams: 'all', exclude: ['nope'] }, 'source.exclude[0]: unknown stream "nope"'],
    [{ streams: ['jobs'], exclude: ['jobs'] }, 'source selects no stream'],
  ] as Array<[unknown, string]>)('rejects %j', (source, message) => {
    expect(() => selectStreams(source as never, DEFAULT_CATALOG)).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining(message) }),
    );
  });
});
