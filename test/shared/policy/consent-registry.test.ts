import { describe, expect, it } from 'vitest';
import { Conflict, NotFound, ValidationFailed } from '../../../shared/errors/domain-errors.ts';
import type { ConsentInput } from '../../../shared/policy/consent.ts';
import { consentCovers, grantConsent, listConsents, revokeConsent } from '../../../shared/policy/consent-registry.ts';
import { fixedClock, InMemoryPolicyStore, sequentialIds } from './policy-fakes.ts';

const SCOPE = 'scope-0001';

function arrange() {
  return { store: new InMemoryPolicyStore(), clock: fixedClock('2026-03-10T09:00:00Z'), ids: sequentialIds('consent') };
}

const grant = (overrides: Partial<ConsentInput> = {}): ConsentInput => ({
  patientScope: SCOPE,
  category: 'substance-use',
  useCases: ['record-summary', 'referral-summary'],
  grantedOn: '2026-03-01',
  expiresOn: '2026-12-31',
  ...overrides,
});

const at = (iso: string) => new Date(iso);

describe('consent registry', () => {
  describe('grantConsent', () => {
    it('records the consent with who entered it and when', async () => {
      const ports = arrange();
      const consent = await grantConsent(grant({ useCases: ['soap-note', 'soap-note'] }), 'nurse-1', ports);

      expect(consent).toMatchObject({
        id: 'consent-1',
        useCases: ['soap-note'],
        recordedBy: 'nurse-1',
        recordedAt: '2026-03-10T09:00:00.000Z',
      });
      expect(await listConsents(SCOPE, ports)).toEqual([consent]);
    });

    it('refuses an expiry before the grant with 400 CONSENT_DATES_INVALID', async () => {
      const error = await grantConsent(grant({ expiresOn: '2026-02-28' }), 'nurse-1', arrange()).catch((e) => e);
      expect(error).toBeInstanceOf(ValidationFailed);
      expect(error).toMatchObject({ code: 'CONSENT_DATES_INVALID' });
    });
  });

  describe('consentCovers', () => {
    it('covers the category and use cases named, from the grant through the expiry day', async () => {
      const ports = arrange();
      await grantConsent(grant(), 'nurse-1', ports);
      const covers = (
        category: 'substance-use' | 'psychotherapy',
        useCase: 'record-summary' | 'soap-note',
        day: string,
      ) => consentCovers(SCOPE, category, useCase, at(`${day}T12:00:00Z`), ports);

      expect(await covers('substance-use', 'record-summary', '2026-03-01')).toBe(true);
      expect(await covers('substance-use', 'record-summary', '2026-12-31')).toBe(true);
      expect(await covers('substance-use', 'record-summary', '2026-02-28')).toBe(false);
      expect(await covers('substance-use', 'record-summary', '2027-01-01')).toBe(false);
      expect(await covers('substance-use', 'soap-note', '2026-06-01')).toBe(false);
      expect(await covers('psychotherapy', 'record-summary', '2026-06-01')).toBe(false);
      expect(
        await consentCovers('scope-0002', 'substance-use', 'record-summary', at('2026-06-01T00:00:00Z'), ports),
      ).toBe(false);
    });

    it('covers with no expiry date until revoked', async () => {
      const ports = arrange();
      const { expiresOn: _, ...openEnded } = grant();
      await grantConsent(openEnded, 'nurse-1', ports);
      expect(await consentCovers(SCOPE, 'substance-use', 'record-summary', at('2031-01-01T00:00:00Z'), ports)).toBe(
        true,
      );
    });
  });

  describe('revokeConsent', () => {
    it('stops coverage for the whole revocation day, defaulting to today', async () => {
      const ports = arrange();
      const { id } = await grantConsent(grant(), 'nurse-1', ports);
      const revoked = await revokeConsent(SCOPE, id, {}, 'privacy-1', ports);

      expect(revoked).toMatchObject({ revokedOn: '2026-03-10', revokedBy: 'privacy-1' });
      expect(await consentCovers(SCOPE, 'substance-use', 'record-summary', at('2026-03-09T23:59:59Z'), ports)).toBe(
        true,
      );
      expect(await consentCovers(SCOPE, 'substance-use', 'record-summary', at('2026-03-10T00:00:00Z'), ports)).toBe(
        false,
      );
      expect((await listConsents(SCOPE, ports))[0]?.revokedOn).toBe('2026-03-10');
    });

    it('accepts a revocation received earlier and refuses one dated after today', async () => {
      const ports = arrange();
      const { id } = await grantConsent(grant(), 'nurse-1', ports);
      await expect(revokeConsent(SCOPE, id, { revokedOn: '2026-03-11' }, 'p', ports)).rejects.toMatchObject({
        code: 'REVOCATION_IN_FUTURE',
      });
      expect(await revokeConsent(SCOPE, id, { revokedOn: '2026-03-05' }, 'p', ports)).toMatchObject({
        revokedOn: '2026-03-05',
      });
    });

    it('refuses a second revocation with 409 CONSENT_ALREADY_REVOKED and keeps the first', async () => {
      const ports = arrange();
      const { id } = await grantConsent(grant(), 'nurse-1', ports);
      await revokeConsent(SCOPE, id, { revokedOn: '2026-03-05' }, 'p', ports);

      const error = await revokeConsent(SCOPE, id, {}, 'p', ports).catch((e) => e);
      expect(error).toBeInstanceOf(Conflict);
      expect(error).toMatchObject({ code: 'CONSENT_ALREADY_REVOKED' });
      expect((await listConsents(SCOPE, ports))[0]?.revokedOn).toBe('2026-03-05');
    });

    it('answers 404 CONSENT_NOT_FOUND for an id not recorded in this patient scope', async () => {
      const ports = arrange();
      const { id } = await grantConsent(grant(), 'nurse-1', ports);
      const error = await revokeConsent('scope-0002', id, {}, 'p', ports).catch((e) => e);
      expect(error).toBeInstanceOf(NotFound);
      expect(error).toMatchObject({ code: 'CONSENT_NOT_FOUND' });
    });
  });
});
