import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ConsoleNotifier } from '../../shared/adapters/local/console-notifier.ts';
import { OFFLINE_MODEL_LABEL } from '../../shared/adapters/local/offline-model-client.ts';
import type { Role } from '../../shared/identity/roles.ts';
import { offlineModelWith, type RunningSystem, startRunningSystem } from '../support/running-system.ts';

const NOTE =
  'Mr. Tobias Renner, 58, reports two days of productive cough and fever of 38.4 C. Lungs: crackles at the right base.';

describe('AI policy and gateway through the running system', () => {
  let system: RunningSystem;
  const invocation = {
    useCase: 'soap-note',
    purpose: 'treatment',
    sources: [{ sourceId: 'enc-1', category: 'notes', text: NOTE }],
  };

  beforeAll(async () => {
    system = await startRunningSystem();
  });
  afterAll(async () => system?.stop());

  it('refuses a physician who has not attested to the current policy, and audits the refusal', async () => {
    const response = await system.call('physician', 'POST', '/v1/ai/invocations', invocation);
    expect(response.status).toBe(403);
    expect(response.body.error?.code).toBe('ATTESTATION_REQUIRED');
    expect(system.audit.at(-1)).toMatchObject({
      action: 'ai.invoke',
      outcome: 'denied',
      reason: 'ATTESTATION_REQUIRED',
    });
  });

  it('gives an attested physician a de-identified, policy-checked call through the offline model', async () => {
    const version = await system.call('physician', 'GET', '/v1/policy/version');
    expect(version.body).toMatchObject({ version: 'local-dev-1', attestedByYou: false });
    const attested = await system.call('physician', 'POST', '/v1/attestations', {
      policyVersion: version.body.version,
    });
    expect(attested.status).toBe(201);

    const before = system.audit.length;
    const response = await system.call('physician', 'POST', '/v1/ai/invocations', invocation);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'draft-for-review',
      model: { id: 'offline-extractive', client: 'offline', isRealModel: false },
      promptVersion: 'soap-note@2',
    });
    const text = String(response.body.text);
    expect(text.startsWith(OFFLINE_MODEL_LABEL)).toBe(true);
    expect(text).toContain('Tobias Renner');
    const entries = system.audit.slice(before);
    expect(entries.map((entry) => entry.action)).toEqual(['ai.invoke', 'ai.model-call', 'phi.reidentify']);
    expect(entries[1]?.modelCall).toMatchObject({ useCase: 'soap-note', client: 'offline' });
    // The caller's own PHI comes back, recorded as a re-identification like POST /v1/reidentify records one.
    expect(entries[2]).toMatchObject({ outcome: 'allowed', purpose: 'treatment', resource: { tokenCount: 1 } });
    expect(JSON.stringify(entries)).not.toContain('Renner');
  });

  it('never sends a sourceId to the model, yet cites it back to the caller', async () => {
    const sourceId = 'carter.john.1961-04-12.ssn-123-45-6789';
    const model = system.runtime.ports.modelClients.offline;
    if (!model) throw new Error('the local runtime has no offline model');
    const complete = vi.spyOn(model, 'complete');
    try {
      const response = await system.call('physician', 'POST', '/v1/ai/invocations', {
        ...invocation,
        sources: [{ sourceId, category: 'notes', text: NOTE }],
      });
      expect(response.status).toBe(200);
      const sent = JSON.stringify(complete.mock.calls);
      for (const part of ['carter', '1961-04-12', '123-45-6789']) expect(sent).not.toContain(part);
      expect(String(response.body.text)).toContain(`"${sourceId}"`);
    } finally {
      complete.mockRestore();
    }
  });

  it.each<[Role, string, string, string]>([
    ['billing', 'record-summary', 'clinical', 'payment'],
    ['front-desk', 'patient-instructions', 'reference', 'operations'],
  ])(
    '%s cannot recover a token from another document through /v1/ai/invocations',
    async (role, useCase, category, purpose) => {
      // Prepare: a nurse tokenizes a note; the role may not re-identify it directly.
      const scope = 'patient-scope-foreign1';
      const note = 'Patient John Carter (MRN 4471902) was seen on 03/14/2024. He reports cough since Monday.';
      const deidentified = await system.call('nurse', 'POST', '/v1/deidentify', {
        text: note,
        patientScope: scope,
        purpose: 'treatment',
      });
      const tokenized = String(deidentified.body.text);
      expect(tokenized).not.toContain('Carter');
      const direct = await system.call(role, 'POST', '/v1/reidentify', {
        text: tokenized,
        patientScope: scope,
        purpose,
      });
      expect(direct.status).toBe(403);
      const version = await system.call(role, 'GET', '/v1/policy/version');
      await system.call(role, 'POST', '/v1/attestations', { policyVersion: version.body.version });

      // Act: the tokens pasted into a source.
      const before = system.audit.length;
      const response = await system.call(role, 'POST', '/v1/ai/invocations', {
        useCase,
        purpose,
        patientScope: scope,
        sources: [{ sourceId: 'doc-1', category, text: `Problem list: ${tokenized}` }],
      });

      // Assess: refused before the model, nothing restored, and the refusal is on the audit trail.
      expect([response.status, response.body.error?.code]).toEqual([403, 'FOREIGN_TOKENS']);
      for (const phi of ['Carter', '4471902', '03/14/2024']) expect(JSON.stringify(response.body)).not.toContain(phi);
      expect(system.audit.slice(before).map((entry) => [entry.action, entry.outcome, entry.reason])).toEqual([
        ['ai.invoke', 'denied', 'FOREIGN_TOKENS'],
      ]);
    },
  );

  it('refuses a draft whose input holds a token from another document, so no reader ever gets it restored', async () => {
    const scope = 'patient-scope-foreign2';
    const deidentified = await system.call('nurse', 'POST', '/v1/deidentify', {
      text: 'John Carter, MRN 4471902, has type 2 diabetes.',
      patientScope: scope,
      purpose: 'treatment',
    });
    const version = await system.call('billing', 'GET', '/v1/policy/version');
    await system.call('billing', 'POST', '/v1/attestations', { policyVersion: version.body.version });
    const response = await system.call('billing', 'POST', '/v1/drafts', {
      useCase: 'coding-review',
      input: {
        documentation: `Seen for diabetes. ${String(deidentified.body.text)}`,
        claimedCodes: { icd10cm: ['E11.9'], cpt: ['99213'] },
      },
      patientScope: scope,
      purpose: 'payment',
    });
    expect([response.status, response.body.error?.code]).toEqual([403, 'FOREIGN_TOKENS']);
    expect(response.body.draftId).toBeUndefined();
  });

  it('requires attesting again after a new policy version', async () => {
    expect(
      (await system.call('admin', 'PUT', '/v1/policy/version', { version: 'local-dev-2', effectiveOn: '2026-01-01' }))
        .status,
    ).toBe(200);
    const response = await system.call('physician', 'POST', '/v1/ai/invocations', invocation);
    expect(response.body.error?.code).toBe('ATTESTATION_REQUIRED');
    await system.call('physician', 'POST', '/v1/attestations', { policyVersion: 'local-dev-2' });
    expect((await system.call('physician', 'POST', '/v1/ai/invocations', invocation)).status).toBe(200);
  });

  it('lets only the admin and the privacy officer change the model registry', async () => {
    const models = await system.call('nurse', 'GET', '/v1/policy/models');
    const [offline] = models.body.models as { id: string; version: number }[];
    expect(offline?.id).toBe('offline-extractive');
    const retire = { expectedVersion: offline?.version };
    expect((await system.call('nurse', 'POST', '/v1/policy/models/offline-extractive/retire', retire)).status).toBe(
      403,
    );
    expect(
      (await system.call('physician', 'PUT', '/v1/policy/version', { version: 'x', effectiveOn: '2026-01-01' })).status,
    ).toBe(403);
  });

  it('takes an incident from any role, notifies the privacy officer without the description, and tracks it', async () => {
    const report = await system.call('front-desk', 'POST', '/v1/incidents', {
      kind: 'phi-in-unapproved-tool',
      occurredOn: '2026-01-10',
      description: "A colleague pasted Mr. Renner's note into a public chatbot.",
    });
    expect(report.status).toBe(201);
    const incidentId = String(report.body.id);

    const notices = (system.runtime.ports.notifier as ConsoleNotifier).sent;
    expect(notices.at(-1)?.message).toContain(incidentId);
    expect(JSON.stringify(notices)).not.toContain('Renner');

    expect((await system.call('front-desk', 'GET', '/v1/incidents')).status).toBe(403);
    const queue = await system.call('privacy-officer', 'GET', '/v1/incidents?status=open');
    expect((queue.body.incidents as { id: string }[]).map((incident) => incident.id)).toContain(incidentId);
    const moved = await system.call('privacy-officer', 'PATCH', `/v1/incidents/${incidentId}`, { to: 'investigating' });
    expect(moved.body.status).toBe('investigating');
    const skipped = await system.call('privacy-officer', 'PATCH', `/v1/incidents/${incidentId}`, {
      to: 'investigating',
    });
    expect(skipped.status).toBe(409);
  });

  it('keeps psychotherapy notes from the model until consent covers the use case', async () => {
    const psychotherapy = {
      useCase: 'soap-note',
      purpose: 'treatment',
      patientScope: 'patient-scope-psy1',
      sources: [{ sourceId: 'psy-1', category: 'psychotherapy', text: 'Patient discussed grief after loss.' }],
    };
    await system.call('admin', 'PUT', '/v1/panels/local-test.physician/patients/patient-scope-psy1');
    await system.call(
      'admin',
      'PUT',
      '/v1/policy/models/offline-extractive',
      await offlineModelWith(system, ['psychotherapy']),
    );

    const refused = await system.call('physician', 'POST', '/v1/ai/invocations', psychotherapy);
    expect(refused.body.error?.code).toBe('CATEGORY_EXCLUDED');

    const consent = await system.call('physician', 'POST', '/v1/consents', {
      patientScope: 'patient-scope-psy1',
      category: 'psychotherapy',
      useCases: ['soap-note'],
      grantedOn: '2026-01-01',
    });
    expect(consent.status).toBe(201);
    expect((await system.call('physician', 'POST', '/v1/ai/invocations', psychotherapy)).status).toBe(200);
  });
});
