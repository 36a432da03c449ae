import { describe, expect, it } from 'vitest';
import { Conflict, NotFound, ValidationFailed } from '../../../shared/errors/domain-errors.ts';
import {
  attest,
  getCurrentPolicyVersion,
  hasCurrentAttestation,
  listAttestations,
  listPolicyVersions,
  setPolicyVersion,
} from '../../../shared/policy/policy-attestation.ts';
import { fixedClock, InMemoryPolicyStore } from './policy-fakes.ts';

function arrange() {
  return { store: new InMemoryPolicyStore(), clock: fixedClock('2026-01-02T08:00:00Z') };
}

describe('policy attestation', () => {
  describe('setPolicyVersion', () => {
    it('publishes the first version and keeps every later one in the history', async () => {
      const ports = arrange();
      const first = await setPolicyVersion({ version: '2026-01', effectiveOn: '2026-01-01' }, 'admin-1', ports);
      ports.clock.set('2026-06-01T08:00:00Z');
      await setPolicyVersion({ version: '2026-06', effectiveOn: '2026-06-01' }, 'admin-2', ports);

      expect(first).toEqual({
        version: '2026-01',
        effectiveOn: '2026-01-01',
        setBy: 'admin-1',
        setAt: '2026-01-02T08:00:00.000Z',
      });
      expect((await getCurrentPolicyVersion(ports)).version).toBe('2026-06');
      expect((await listPolicyVersions(ports)).map((version) => version.version)).toEqual(['2026-01', '2026-06']);
    });

    it('treats publishing the current version again with the same date as a retry', async () => {
      const ports = arrange();
      const first = await setPolicyVersion({ version: '2026-01', effectiveOn: '2026-01-01' }, 'admin-1', ports);
      ports.clock.set('2026-01-03T08:00:00Z');
      expect(await setPolicyVersion({ version: '2026-01', effectiveOn: '2026-01-01' }, 'admin-1', ports)).toEqual(
        first,
      );
    });

    it.each([
      ['the current version with another date', '2026-06', '2026-07-01'],
      ['an earlier version', '2026-01', '2026-01-01'],
    ])('refuses to reuse %s with 409 POLICY_VERSION_EXISTS', async (_, version, effectiveOn) => {
      const ports = arrange();
      await setPolicyVersion({ version: '2026-01', effectiveOn: '2026-01-01' }, 'admin-1', ports);
      await setPolicyVersion({ version: '2026-06', effectiveOn: '2026-06-01' }, 'admin-1', ports);

      const error = await setPolicyVersion({ version, effectiveOn }, 'admin-1', ports).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Conflict);
      expect(error).toMatchObject({ code: 'POLICY_VERSION_EXISTS' });
      expect((await getCurrentPolicyVersion(ports)).version).toBe('2026-06');
    });

    it('refuses with VERSION_CONFLICT when another admin published meanwhile', async () => {
      const ports = arrange();
      const racing = { ...ports, store: Object.create(ports.store) as InMemoryPolicyStore };
      racing.store.setCurrentPolicyVersion = async (next, expected) => {
        await ports.store.setCurrentPolicyVersion({ ...next, version: 'other' }, expected);
        return ports.store.setCurrentPolicyVersion(next, expected);
      };
      await expect(
        setPolicyVersion({ version: '2026-01', effectiveOn: '2026-01-01' }, 'admin-1', racing),
      ).rejects.toMatchObject({ code: 'VERSION_CONFLICT' });
    });
  });

  describe('setPolicyVersion and the version history', () => {
    it('spends the label of a publish that lost a race: it never became current and cannot be published later', async () => {
      const ports = arrange();
      await setPolicyVersion({ version: '2026-01', effectiveOn: '2026-01-01' }, 'admin-1', ports);
      const racing = { ...ports, store: Object.create(ports.store) as InMemoryPolicyStore };
      racing.store.setCurrentPolicyVersion = async (next, expected) => {
        await ports.store.setCurrentPolicyVersion({ ...next, version: '2026-06b' }, expected);
        return ports.store.setCurrentPolicyVersion(next, expected);
      };

      await expect(
        setPolicyVersion({ version: '2026-06', effectiveOn: '2026-06-01' }, 'admin-1', racing),
      ).rejects.toMatchObject({ code: 'VERSION_CONFLICT', status: 409 });
      expect((await getCurrentPolicyVersion(ports)).version).toBe('2026-06b');
      await expect(
        setPolicyVersion({ version: '2026-06', effectiveOn: '2026-06-01' }, 'admin-1', ports),
      ).rejects.toMatchObject({ code: 'POLICY_VERSION_EXISTS' });
    });

    it('records the entry a current version lacks before moving on, so its label stays spent', async () => {
      const ports = arrange();
      // A store left by a publish that moved the pointer and then failed to write the history entry.
      ports.store.current = {
        version: '2026-01',
        effectiveOn: '2026-01-01',
        setBy: 'admin-1',
        setAt: '2026-01-01T09:00:00.000Z',
      };
      await attest('nurse-1', '2026-01', ports);
      await setPolicyVersion({ version: '2026-06', effectiveOn: '2026-06-01' }, 'admin-1', ports);

      expect((await listPolicyVersions(ports)).map((version) => version.version)).toEqual(['2026-01', '2026-06']);
      await expect(
        setPolicyVersion({ version: '2026-01', effectiveOn: '2026-01-01' }, 'admin-1', ports),
      ).rejects.toMatchObject({ code: 'POLICY_VERSION_EXISTS', status: 409 });
      expect(await hasCurrentAttestation('nurse-1', ports)).toBe(false);
    });
  });

  describe('getCurrentPolicyVersion', () => {
    it('answers 404 POLICY_VERSION_NOT_SET before anything is published', async () => {
      const error = await getCurrentPolicyVersion(arrange()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotFound);
      expect(error).toMatchObject({ code: 'POLICY_VERSION_NOT_SET' });
    });
  });

  describe('attest', () => {
    it('records the attestation with a six-year expiry by default', async () => {
      const ports = arrange();
      await setPolicyVersion({ version: '2026-01', effectiveOn: '2026-01-01' }, 'admin-1', ports);
      const attestation = await attest('nurse-1', '2026-01', ports);

      expect(attestation).toEqual({
        userId: 'nurse-1',
        policyVersion: '2026-01',
        attestedAt: '2026-01-02T08:00:00.000Z',
        expiresAt: Date.parse('2032-01-02T08:00:00Z') / 1000,
      });
      expect(await hasCurrentAttestation('nurse-1', ports)).toBe(true);
    });

    it('honours a longer retention and keeps the first attestation when attested twice', async () => {
      const ports = arrange();
      await setPolicyVersion({ version: '2026-01', effectiveOn: '2026-01-01' }, 'admin-1', ports);
      const first = await attest('nurse-1', '2026-01', ports, { retentionYears: 10 });
      ports.clock.set('2026-02-01T08:00:00Z');
      const again = await attest('nurse-1', '2026-01', ports);

      expect(first.expiresAt).toBe(Date.parse('2036-01-02T08:00:00Z') / 1000);
      expect(again).toEqual(first);
    });

    it.each([
      ['an earlier version', '2025-07'],
      ['a version not yet published', '2026-07'],
    ])('refuses %s with 400 POLICY_VERSION_MISMATCH', async (_, version) => {
      const ports = arrange();
      await setPolicyVersion({ version: '2025-07', effectiveOn: '2025-07-01' }, 'admin-1', ports);
      await setPolicyVersion({ version: '2026-01', effectiveOn: '2026-01-01' }, 'admin-1', ports);

      const error = await attest('nurse-1', version, ports).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationFailed);
      expect(error).toMatchObject({ code: 'POLICY_VERSION_MISMATCH', status: 400 });
      expect(ports.store.attestations.size).toBe(0);
    });

    it('refuses with POLICY_VERSION_MISMATCH when no version is published', async () => {
      await expect(attest('nurse-1', '2026-01', arrange())).rejects.toMatchObject({ code: 'POLICY_VERSION_MISMATCH' });
    });
  });

  describe('hasCurrentAttestation', () => {
    it('is false once a new policy version is published, until the user attests again', async () => {
      const ports = arrange();
      await setPolicyVersion({ version: '2026-01', effectiveOn: '2026-01-01' }, 'admin-1', ports);
      await attest('nurse-1', '2026-01', ports);
      await setPolicyVersion({ version: '2026-06', effectiveOn: '2026-06-01' }, 'admin-1', ports);

      expect(await hasCurrentAttestation('nurse-1', ports)).toBe(false);
      await attest('nurse-1', '2026-06', ports);
      expect(await hasCurrentAttestation('nurse-1', ports)).toBe(true);
      expect(await hasCurrentAttestation('physician-1', ports)).toBe(false);
    });

    it('is false when no policy version is published', async () => {
      expect(await hasCurrentAttestation('nurse-1', arrange())).toBe(false);
    });
  });

  describe('listAttestations', () => {
    it('lists who attested to one version', async () => {
      const ports = arrange();
      await setPolicyVersion({ version: '2026-01', effectiveOn: '2026-01-01' }, 'admin-1', ports);
      await attest('nurse-1', '2026-01', ports);
      await attest('billing-1', '2026-01', ports);

      expect((await listAttestations('2026-01', ports)).map((a) => a.userId)).toEqual(['billing-1', 'nurse-1']);
      expect(await listAttestations('2025-07', ports)).toEqual([]);
    });
  });
});
