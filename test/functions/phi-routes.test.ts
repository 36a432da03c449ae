import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TEXT_CHARS } from '../../shared/phi/phi-requests.ts';
import { findTokens } from '../../shared/phi/vault-token.ts';
import { type RunningSystem, startRunningSystem } from '../support/running-system.ts';

const NOTE =
  'Patient John Carter (MRN 4471902) was seen on 03/14/2024 by Dr. Alice Nguyen. ' +
  'Call him at (617) 555-0199 or write to jcarter@example.com. SSN 123-45-6789.';
const PHI_STRINGS = [
  'John Carter',
  '4471902',
  '03/14/2024',
  'Alice Nguyen',
  '555-0199',
  'jcarter@example.com',
  '123-45-6789',
];

describe('PHI routes', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startRunningSystem();
  });
  afterAll(async () => system?.stop());

  describe('POST /v1/phi/scan', () => {
    it('returns entities by offset and type, without echoing their text', async () => {
      const { status, body } = await system.call('front-desk', 'POST', '/v1/phi/scan', { text: NOTE });
      const entities = body.entities as { begin: number; end: number; type: string }[];

      expect(status).toBe(200);
      const found = entities.map((entity) => NOTE.slice(entity.begin, entity.end));
      for (const phi of ['4471902', '03/14/2024', 'jcarter@example.com', '123-45-6789']) {
        expect(found.some((text) => text.includes(phi))).toBe(true);
      }
      expect(JSON.stringify(body)).not.toContain('Carter');
    });

    it.each([
      ['an empty text', { text: '' }, 400, 'VALIDATION_FAILED'],
      ['a wrong type', { text: 42 }, 400, 'VALIDATION_FAILED'],
      ['an unknown field', { text: 'x', extra: true }, 400, 'VALIDATION_FAILED'],
      ['a text over the limit', { text: 'a'.repeat(MAX_TEXT_CHARS + 1) }, 400, 'VALIDATION_FAILED'],
      ['a body over the byte limit', { text: '\u0001'.repeat(500_000) }, 413, 'PAYLOAD_TOO_LARGE'],
    ])('refuses %s with a stable code', async (_, body, status, code) => {
      const response = await system.call('nurse', 'POST', '/v1/phi/scan', body);
      expect(response.status).toBe(status);
      expect(response.body.error?.code).toBe(code);
    });

    it('refuses a caller without a token', async () => {
      expect((await system.call(undefined, 'POST', '/v1/phi/scan', { text: NOTE })).status).toBe(401);
    });
  });

  describe('POST /v1/deidentify and /v1/reidentify', () => {
    it('de-identifies a note and re-identifies it exactly for a physician', async () => {
      const deid = await system.call('medical-assistant', 'POST', '/v1/deidentify', {
        text: NOTE,
        purpose: 'treatment',
      });
      expect(deid.status).toBe(200);
      const text = deid.body.text as string;
      for (const phi of PHI_STRINGS) expect(text).not.toContain(phi);
      expect(findTokens(text).length).toBeGreaterThanOrEqual(7);

      const onPanel = await system.call(
        'admin',
        'PUT',
        `/v1/panels/local-test.physician/patients/${String(deid.body.patientScope)}`,
      );
      expect(onPanel.status).toBe(200);
      const reid = await system.call('physician', 'POST', '/v1/reidentify', {
        text: `Summary: ${text}`,
        patientScope: deid.body.patientScope,
        purpose: 'treatment',
      });
      expect(reid.status).toBe(200);
      expect(reid.body.text).toBe(`Summary: ${NOTE}`);
      expect(reid.body.unknownTokens).toEqual([]);
    });

    it('de-identifies a batch with consistent tokens in one scope', async () => {
      const { status, body } = await system.call('nurse', 'POST', '/v1/deidentify', {
        items: [
          { id: 'a', text: 'Seen by Dr. Alice Nguyen today.' },
          { id: 'b', text: 'Dr. Alice Nguyen will follow up.' },
        ],
        patientScope: 'patient-scope-42',
      });
      const items = body.items as { id: string; text: string }[];

      expect(status).toBe(200);
      expect(body.patientScope).toBe('patient-scope-42');
      const nameToken = (text: string) => findTokens(text).find((token) => token.type === 'NAME')?.token;
      expect(nameToken(items[0]?.text ?? '')).toBeDefined();
      expect(nameToken(items[0]?.text ?? '')).toBe(nameToken(items[1]?.text ?? ''));
    });

    it.each([
      ['both text and items', { text: 'a', items: [{ text: 'b' }] }],
      ['neither text nor items', { purpose: 'treatment' }],
      ['an empty batch', { items: [] }],
      ['a scope that is not an opaque id', { text: 'a', patientScope: 'MRN 4471902' }],
      ['an unknown purpose', { text: 'a', purpose: 'curiosity' }],
    ])('refuses %s', async (_, body) => {
      const response = await system.call('nurse', 'POST', '/v1/deidentify', body);
      expect(response.status).toBe(400);
      expect(response.body.error?.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(response.body)).not.toContain('4471902');
    });

    it('refuses re-identification to billing and front desk, and audits the denial', async () => {
      for (const role of ['billing', 'front-desk'] as const) {
        const response = await system.call(role, 'POST', '/v1/reidentify', {
          text: '[NAME_000000]',
          patientScope: 'patient-scope-42',
          purpose: 'payment',
        });
        expect(response.status).toBe(403);
        expect(response.body.error?.code).toBe('FORBIDDEN_ROLE');
        expect(system.audit.at(-1)).toMatchObject({
          action: 'phi.reidentify',
          outcome: 'denied',
          reason: 'FORBIDDEN_ROLE',
          actor: { userId: `local-test.${role}`, roles: [role] },
        });
      }
    });

    it('refuses a physician a patient who is not on their panel, but not a nurse', async () => {
      const deid = await system.call('nurse', 'POST', '/v1/deidentify', {
        text: NOTE,
        patientScope: 'patient-scope-off',
      });
      const body = { text: deid.body.text, patientScope: 'patient-scope-off', purpose: 'treatment' };

      const physician = await system.call('physician', 'POST', '/v1/reidentify', body);
      expect(physician.status).toBe(403);
      expect(physician.body.error?.code).toBe('NOT_ON_PANEL');
      expect(JSON.stringify(physician.body)).not.toContain('Carter');
      expect((await system.call('nurse', 'POST', '/v1/reidentify', body)).status).toBe(200);
    });

    describe('into a named scope (tokens there would confirm a guessed value)', () => {
      const guess = { text: 'Seen: Maria Lopez, DOB 04/12/1961.', purpose: 'operations' };
      const expectDenied = (
        response: Awaited<ReturnType<RunningSystem['call']>>,
        code: string,
        role: string,
        scope: string,
      ) => {
        expect(response.status).toBe(403);
        expect(response.body.error?.code).toBe(code);
        expect(response.body.text).toBeUndefined();
        expect(system.audit.at(-1)).toMatchObject({
          action: 'phi.deidentify',
          outcome: 'denied',
          reason: code,
          actor: { roles: [role] },
          resource: { patientScope: scope },
        });
      };

      it('a physician not on the panel cannot de-identify into that scope', async () => {
        const scope = 'patient-scope-guarded-1';
        const seeded = await system.call('nurse', 'POST', '/v1/deidentify', { ...guess, patientScope: scope });
        expect(seeded.status).toBe(200);

        const refused = await system.call('physician', 'POST', '/v1/deidentify', { ...guess, patientScope: scope });
        expectDenied(refused, 'NOT_ON_PANEL', 'physician', scope);
        const batch = await system.call('physician', 'POST', '/v1/deidentify', {
          items: [{ id: 'n', text: 'Seen: Maria Lopez.' }],
          patientScope: scope,
        });
        expectDenied(batch, 'NOT_ON_PANEL', 'physician', scope);
      });

      it('front-desk cannot de-identify into a named scope but can without one', async () => {
        const scope = 'patient-scope-guarded-2';
        await system.call('nurse', 'POST', '/v1/deidentify', { ...guess, patientScope: scope });

        for (const role of ['front-desk', 'admin', 'billing'] as const) {
          const refused = await system.call(role, 'POST', '/v1/deidentify', { ...guess, patientScope: scope });
          expectDenied(refused, 'SCOPE_NOT_PERMITTED', role, scope);
        }
        const fresh = await system.call('front-desk', 'POST', '/v1/deidentify', guess);
        expect(fresh.status).toBe(200);
        expect(fresh.body.patientScope).toMatch(/^scope-/);
        expect(fresh.body.patientScope).not.toBe(scope);
        expect(fresh.body.text).not.toContain('Maria Lopez');
      });

      it('a physician on the panel can', async () => {
        const scope = 'patient-scope-guarded-3';
        const seeded = await system.call('nurse', 'POST', '/v1/deidentify', { ...guess, patientScope: scope });
        expect((await system.call('admin', 'PUT', `/v1/panels/local-test.physician/patients/${scope}`)).status).toBe(
          200,
        );

        const allowed = await system.call('physician', 'POST', '/v1/deidentify', { ...guess, patientScope: scope });
        expect(allowed.status).toBe(200);
        expect(allowed.body.patientScope).toBe(scope);
        expect(allowed.body.text).toBe(seeded.body.text);
        expect(system.audit.at(-1)).toMatchObject({ action: 'phi.deidentify', outcome: 'allowed' });
      });
    });

    it('requires a purpose of use to re-identify', async () => {
      const response = await system.call('physician', 'POST', '/v1/reidentify', {
        text: 'x',
        patientScope: 'patient-scope-42',
      });
      expect(response.status).toBe(400);
    });

    it('leaves tokens of another scope in place and reports them', async () => {
      const deid = await system.call('nurse', 'POST', '/v1/deidentify', {
        text: NOTE,
        patientScope: 'patient-scope-aa',
      });
      const reid = await system.call('nurse', 'POST', '/v1/reidentify', {
        text: deid.body.text,
        patientScope: 'patient-scope-bb',
        purpose: 'treatment',
      });
      expect(reid.body.text).toBe(deid.body.text);
      expect(reid.body.replacedCount).toBe(0);
      expect((reid.body.unknownTokens as string[]).length).toBeGreaterThan(0);
    });
  });

  describe('audit', () => {
    it('records every PHI route call with actor, scope and counts, and never a PHI value', async () => {
      const deid = await system.call('physician', 'POST', '/v1/deidentify', { text: NOTE, purpose: 'treatment' });
      await system.call('admin', 'PUT', `/v1/panels/local-test.physician/patients/${String(deid.body.patientScope)}`);
      const before = system.audit.length;
      await system.call('physician', 'POST', '/v1/reidentify', {
        text: deid.body.text,
        patientScope: deid.body.patientScope,
        purpose: 'treatment',
      });
      const entries = system.audit.slice(before);

      expect(entries.map((entry) => [entry.action, entry.outcome])).toEqual([['phi.reidentify', 'allowed']]);
      expect(entries[0]).toMatchObject({
        resource: { patientScope: deid.body.patientScope, tokenCount: expect.any(Number) },
        purpose: 'treatment',
      });
      const everything = JSON.stringify(system.audit);
      for (const phi of PHI_STRINGS) expect(everything).not.toContain(phi);
    });
  });
});
