import { describe, expect, it } from '@jest/globals';
import { loadContract } from '../../src/avro/index.js';
import { DEFAULT_CATALOG, STREAM_DECLARATIONS, StreamCatalog, UNTESTED_STREAMS } from '../../src/source/catalog.js';

const ISSUE_STREAMS = [
  'candidates', 'applications', 'jobs', 'job_postings', 'openings', 'offers', 'interviews', 'interview_plans', 'interview_stages',
  'interview_schedules', 'interview_events', 'departments', 'locations', 'users', 'sources', 'archive_reasons', 'close_reasons',
  'candidate_tags', 'custom_fields', 'feedback_form_definitions', 'application_feedback', 'approvals', 'projects', 'job_templates',
  'interviewer_pools', 'survey_form_definitions', 'hiring_team_roles',
];

describe('stream catalog', () => {
  const contract = loadContract();

  it('declares every stream the issue asks for', () => {
    expect(DEFAULT_CATALOG.names()).toEqual(expect.arrayContaining(ISSUE_STREAMS));
  });

  it('has a schema for every declared stream, and every schema is either declared or listed as untested', () => {
    for (const s of DEFAULT_CATALOG.all()) expect(() => contract.streamType(s.name)).not.toThrow();
    expect([...DEFAULT_CATALOG.names(), ...UNTESTED_STREAMS].sort()).toEqual(contract.streams());
  });

  it('derives paging, sync modes, permission and completeness flags from the client tables', () => {
    const get = (n: string) => DEFAULT_CATALOG.get(n)!;
    expect([get('candidates').paging, get('candidates').syncModes]).toEqual(['sync', ['incremental', 'full_refresh']]);
    expect([get('sources').paging, get('sources').syncModes]).toEqual(['single', ['incremental', 'full_refresh']]);
    // A child follows its parent: stages are a single-page list, but plans take sync tokens.
    expect([get('interview_stages').paging, get('interview_stages').syncModes]).toEqual(['single', ['incremental', 'full_refresh']]);
    expect(get('application_history').paging).toBe('cursor');
    expect(get('jobs').completeness).toEqual({ status: ['Draft', 'Open', 'Closed', 'Archived'], includeUnpublishedJobPostingsIds: true });
    expect(get('users').completeness).toEqual({ includeDeactivated: true });
    expect(get('offers').scope).toBe('offers:read');
    expect(get('offers').module).toBe('Offers');
    for (const s of DEFAULT_CATALOG.all()) expect(s.scope).toMatch(/:read$/);
  });

  it('names existing parents, and keeps fan-out children off by default', () => {
    for (const s of DEFAULT_CATALOG.all()) {
      if (!s.parent) continue;
      const parent = DEFAULT_CATALOG.parentOf(s);
      expect(parent?.name).toBe(s.parent.stream);
      expect(parent!.parent).toBeUndefined();
    }
    const off = DEFAULT_CATALOG.all().filter((s) => !s.enabledByDefault).map((s) => s.name).sort();
    expect(off).toEqual(['application_history', 'candidate_notes', 'interview_events']);
  });

  it('adds the parent id only where the schema has the field', () => {
    for (const s of STREAM_DECLARATIONS) {
      if (!s.parent?.addField) continue;
      const fields = (contract.streamSchema(s.name) as { fields: Array<{ name: string }> }).fields.map((f) => f.name);
      expect(fields).toContain(s.parent.addField);
    }
  });

  it('refuses a declaration whose parent does not exist', () => {
    expect(() => new StreamCatalog([{ name: 'x', endpoint: 'interviewStage.list', parent: { stream: 'nope', param: 'id' }, enabledByDefault: true }])).toThrow(/unknown parent nope/);
  });
});
