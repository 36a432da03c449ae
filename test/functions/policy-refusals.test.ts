import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSystem, startRunningSystem } from '../support/running-system.ts';

/** Each policy refusal, through the running system: its 403 code and a `denied` audit record with that reason. */
describe('AI policy refusals', () => {
  let system: RunningSystem;
  const call = (role: 'physician' | 'front-desk' | 'billing', body: Record<string, unknown>) =>
    system.call(role, 'POST', '/v1/ai/invocations', {
      purpose: 'treatment',
      sources: [{ sourceId: 'n-1', category: 'notes', text: 'Seen today for cough.' }],
      ...body,
    });
  const expectRefusal = async (response: Awaited<ReturnType<typeof call>>, code: string) => {
    expect(response.status).toBe(403);
    expect(response.body.error?.code).toBe(code);
    expect(system.audit.at(-1)).toMatchObject({ action: 'ai.invoke', outcome: 'denied', reason: code });
  };

  beforeAll(async () => {
    system = await startRunningSystem();
    for (const role of ['physician', 'front-desk', 'billing'] as const) {
      await system.call(role, 'POST', '/v1/attestations', { policyVersion: 'local-dev-1' });
    }
  });
  afterAll(async () => system?.stop());

  it('USE_CASE_NOT_PERMITTED: front desk cannot start a SOAP note', async () => {
    await expectRefusal(await call('front-desk', { useCase: 'soap-note' }), 'USE_CASE_NOT_PERMITTED');
  });

  it('NOT_ON_PANEL: a physician and a patient outside their panel', async () => {
    await expectRefusal(
      await call('physician', { useCase: 'soap-note', patientScope: 'patient-scope-zz' }),
      'NOT_ON_PANEL',
    );
  });

  it('NO_PERMITTED_SOURCES: billing sending only medications', async () => {
    const sources = [{ sourceId: 'm-1', category: 'medications', text: 'Metformin 500 mg.' }];
    await expectRefusal(await call('billing', { useCase: 'coding-review', sources }), 'NO_PERMITTED_SOURCES');
  });

  it('CATEGORY_NOT_PERMITTED, REVIEW_OVERDUE, BAA_MISSING (also for a BAA dated ahead) and MODEL_NOT_APPROVED as the registry changes', async () => {
    const models = await system.call('admin', 'GET', '/v1/policy/models');
    const seeded = (models.body.models as Record<string, unknown>[])[0] as Record<string, unknown> & {
      version: number;
    };
    const { version, updatedBy: _, updatedAt: __, ...fields } = seeded;
    let expectedVersion = version;
    const update = async (changes: Record<string, unknown>) => {
      const response = await system.call('admin', 'PUT', '/v1/policy/models/offline-extractive', {
        ...fields,
        ...changes,
        expectedVersion,
      });
      expect(response.status).toBe(200);
      expectedVersion = Number(response.body.version);
    };

    await update({ permittedDataCategories: ['demographics'] });
    await expectRefusal(await call('physician', { useCase: 'soap-note' }), 'CATEGORY_NOT_PERMITTED');

    await update({ nextReviewOn: '2020-01-01' });
    await expectRefusal(await call('physician', { useCase: 'soap-note' }), 'REVIEW_OVERDUE');

    await update({ client: 'bedrock', baa: { inPlace: true, executedOn: '2099-01-01' }, nextReviewOn: '2099-01-01' });
    await expectRefusal(await call('physician', { useCase: 'soap-note' }), 'BAA_MISSING');

    await update({ client: 'bedrock', baa: { inPlace: false }, nextReviewOn: '2099-01-01' });
    await expectRefusal(await call('physician', { useCase: 'soap-note' }), 'BAA_MISSING');

    await update({ client: 'offline', baa: { inPlace: false }, permittedUseCases: ['knowledge-answer'] });
    await expectRefusal(await call('physician', { useCase: 'soap-note' }), 'MODEL_NOT_APPROVED');
  });

  it('ATTESTATION_REQUIRED after a new policy version', async () => {
    await system.call('admin', 'PUT', '/v1/policy/version', { version: 'local-dev-9', effectiveOn: '2026-01-01' });
    await expectRefusal(await call('physician', { useCase: 'knowledge-answer' }), 'ATTESTATION_REQUIRED');
  });
});
