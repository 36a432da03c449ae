import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../shared/identity/roles.ts';
import { type RunningSystem, startRunningSystem } from '../support/running-system.ts';

/** The running system's test users are `local-test.<role>`; only this scope is on the physician's panel. */
const ON_PANEL = 'patient-scope-consent-on1';
const OFF_PANEL = 'patient-scope-consent-off1';

describe('consent routes', () => {
  let system: RunningSystem;
  const grant = (role: Role, patientScope: string) =>
    system.call(role, 'POST', '/v1/consents', {
      patientScope,
      category: 'substance-use',
      useCases: ['soap-note'],
      grantedOn: '2026-01-01',
    });
  const list = (role: Role, patientScope: string) =>
    system.call(role, 'GET', `/v1/consents?patientScope=${patientScope}`);
  const revoke = (role: Role, patientScope: string, consentId: string) =>
    system.call(role, 'POST', `/v1/consents/${patientScope}/${consentId}/revoke`, {});
  const consentsOf = async (patientScope: string) =>
    (await list('privacy-officer', patientScope)).body.consents as { id: string; revokedOn?: string }[];

  beforeAll(async () => {
    system = await startRunningSystem();
    expect((await system.call('admin', 'PUT', `/v1/panels/local-test.physician/patients/${ON_PANEL}`)).status).toBe(
      200,
    );
  });
  afterAll(async () => system?.stop());

  describe('refuse a physician for a patient who is not on their panel', () => {
    it('grant: 403 NOT_ON_PANEL, nothing stored, and the refusal is audited', async () => {
      const refused = await grant('physician', OFF_PANEL);

      expect([refused.status, refused.body.error?.code]).toEqual([403, 'NOT_ON_PANEL']);
      expect(system.audit.at(-1)).toMatchObject({
        action: 'consent.manage',
        outcome: 'denied',
        reason: 'NOT_ON_PANEL',
      });
      expect(await consentsOf(OFF_PANEL)).toEqual([]);
    });

    it('list: 403 NOT_ON_PANEL, without revealing that a Part 2 consent exists', async () => {
      expect((await grant('nurse', OFF_PANEL)).status).toBe(201);

      const refused = await list('physician', OFF_PANEL);

      expect([refused.status, refused.body.error?.code]).toEqual([403, 'NOT_ON_PANEL']);
      expect(JSON.stringify(refused.body)).not.toContain('substance-use');
      expect(system.audit.at(-1)).toMatchObject({ action: 'consent.read', outcome: 'denied', reason: 'NOT_ON_PANEL' });
    });

    it('revoke: 403 NOT_ON_PANEL, and the consent stays in force', async () => {
      const [consent] = await consentsOf(OFF_PANEL);
      expect(consent).toBeDefined();

      const refused = await revoke('physician', OFF_PANEL, String(consent?.id));

      expect([refused.status, refused.body.error?.code]).toEqual([403, 'NOT_ON_PANEL']);
      expect((await consentsOf(OFF_PANEL)).map((stored) => stored.revokedOn)).toEqual([undefined]);
    });
  });

  it('lets a physician grant, list and revoke for a patient on their panel', async () => {
    const granted = await grant('physician', ON_PANEL);
    expect(granted.status).toBe(201);

    const listed = await list('physician', ON_PANEL);
    expect(listed.status).toBe(200);
    expect((listed.body.consents as { id: string }[]).map((consent) => consent.id)).toEqual([granted.body.id]);

    const revoked = await revoke('physician', ON_PANEL, String(granted.body.id));
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedBy).toBe('local-test.physician');
  });

  // Nurses, the privacy officer and admins are not panel-restricted: the consent on file is theirs to keep.
  it.each(['nurse', 'privacy-officer', 'admin'] as const)('lets a %s manage consents of any patient', async (role) => {
    const patientScope = `patient-scope-consent-${role}`;
    const granted = await grant(role, patientScope);
    expect(granted.status).toBe(201);
    expect((await list(role, patientScope)).status).toBe(200);
    expect((await revoke(role, patientScope, String(granted.body.id))).status).toBe(200);
  });
});
