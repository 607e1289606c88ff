import { describe, expect, it } from '@jest/globals';
import { resolveSandboxOptions } from '../../src/sandbox/options.js';
import { fixture } from './helpers/sandbox-fixture.js';

/** The list endpoints added for issue 21: filters, per-parent scoping and org features. */
describe('sandbox: the remaining list endpoints', () => {
  const f = fixture({ scale: 120 });

  it('leaves disabled tracking links out unless includeDisabled', () => {
    const all = f.ok('sourceTrackingLink.list', { includeDisabled: true }).results;
    const enabled = f.ok('sourceTrackingLink.list').results;
    expect(all.length).toBe(enabled.length + 1);
    expect(enabled.every((l: any) => l.enabled)).toBe(true);
  });

  it('requires surveyType on the survey lists and filters submissions by it', () => {
    expect(f.call('surveyRequest.list', {}).json.errorInfo.code).toBe('invalid_input');
    expect(f.call('surveyRequest.list', { surveyType: 'Questionnaire' }).json.errorInfo.code).toBe('invalid_input');
    expect(f.all('surveySubmission.list', { surveyType: 'CandidateExperience' }).records.length).toBeGreaterThan(0);
    expect(f.all('surveySubmission.list', { surveyType: 'Questionnaire' }).records).toEqual([]);
  });

  it('answers per-parent lists for their parent only, and *_not_found for an unknown one', () => {
    const candidates = f.all('candidate.list').records;
    const withInfo = candidates.find((c) => c.applicationIds.length > 0)!;
    const info = f.ok('candidate.listClientInfo', { candidateId: withInfo.id }).results;
    expect(info.length).toBe(Math.min(2, withInfo.applicationIds.length));
    expect(
      info.every((i: any) => i.candidateId === withInfo.id && withInfo.applicationIds.includes(i.relatedEntityId)),
    ).toBe(true);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(f.call('candidate.listClientInfo', { candidateId: unknown }).json.errorInfo.code).toBe(
      'candidate_not_found',
    );
    expect(f.call('application.listCriteriaEvaluations', { applicationId: unknown }).json.errorInfo.code).toBe(
      'application_not_found',
    );
    expect(f.call('user.listInterviewerPauses', { userId: unknown }).json.errorInfo.code).toBe('user_not_found');
    const user0 = f.ok('user.list', { includeDeactivated: true }).results[0];
    expect(f.ok('user.listInterviewerPauses', { userId: user0.id }).results.map((p: any) => p.userId)).toEqual([
      user0.id,
    ]);
  });

  it('lists a candidate projects, and a child created through the admin under its parent', () => {
    const candidates = f.all('candidate.list').records;
    const onProject = candidates.find((c) => f.ok('candidate.listProjects', { candidateId: c.id }).results.length > 0)!;
    const projects = f.ok('candidate.listProjects', { candidateId: onProject.id }).results;
    expect(projects.map((p: any) => p.id)).toEqual(f.engine.store.get<any>('candidate', onProject.id).projectIds);
    const before = f.ok('candidate.listFraudChecks', { candidateId: onProject.id }).results.length;
    const created = f.admin.create('fraudCheck', { candidateId: onProject.id }) as { id: string };
    const after = f.ok('candidate.listFraudChecks', { candidateId: onProject.id }).results;
    expect(after.length).toBe(before + 1);
    expect(after[after.length - 1].id).toBe(created.id);
  });

  it('keys assessment types by assessment_type_id, without an id', () => {
    const results = f.ok('assessment.list').results;
    expect(results.length).toBe(3);
    expect(Object.keys(results[0]).sort()).toEqual(['assessment_type_id', 'description', 'name']);
  });
});

describe('sandbox: org features', () => {
  it('refuses a feature endpoint when the org lacks the feature, as compat.missingFeature says', () => {
    const f = fixture({ scale: 20, features: { fraudDetection: false, surveys: false } });
    const candidate = f.all('candidate.list').records[0];
    const refused = f.call('candidate.listFraudChecks', { candidateId: candidate.id });
    expect([refused.status, refused.json.errorInfo.code]).toEqual([200, 'feature_not_enabled']);
    expect(refused.json.errorInfo.message).toContain('Fraud Detection');
    expect(f.call('surveyRequest.list', { surveyType: 'CandidateExperience' }).json.errorInfo.code).toBe(
      'feature_not_enabled',
    );
    // Other endpoints are unaffected; the admin turns the feature back on.
    expect(f.call('candidate.listClientInfo', { candidateId: candidate.id }).json.success).toBe(true);
    f.admin.setFeature('fraudDetection', true);
    expect(f.call('candidate.listFraudChecks', { candidateId: candidate.id }).json.success).toBe(true);
  });

  it.each([
    [{ code: 'missing_endpoint_permission', status: 403 as const }, 403, 'missing_endpoint_permission'],
    [{ code: 'not_found', status: 404 as const }, 404, 'not_found'],
  ])('answers %j when configured so', (missingFeature, status, code) => {
    const f = fixture({ scale: 20, features: { assessments: false }, compat: { missingFeature } });
    const reply = f.call('assessment.list', {});
    expect([reply.status, reply.json.errorInfo.code]).toEqual([status, code]);
  });

  it.each([
    [{ features: { nope: false } }, 'features.nope is unknown'],
    [{ features: { surveys: 'no' } }, 'features.surveys must be true or false'],
    [{ compat: { missingFeature: { status: 500 } } }, 'compat.missingFeature.status must be 200, 403 or 404'],
  ])('rejects %j', (options, message) => {
    expect(() => resolveSandboxOptions(options as never)).toThrow(message);
  });
});
