/** Use cases of patient consents for specially protected records: grant, revoke, list, and whether one covers a use. */
import { Conflict, NotFound, ValidationFailed } from '../errors/domain-errors.ts';
import type { DataCategory } from '../identity/minimum-necessary.ts';
import type { Clock } from '../ports/clock.ts';
import type { Ids } from '../ports/ids.ts';
import type { PolicyStore } from '../ports/policy-store.ts';
import { type Consent, type ConsentInput, type ConsentRevocationInput, consentCoversOn } from './consent.ts';
import { dayOf, distinct } from './policy-fields.ts';
import type { UseCase } from './use-cases.ts';

export interface ConsentPorts {
  readonly store: PolicyStore;
  readonly clock: Clock;
  readonly ids: Ids;
}

/** Records a consent as written on the signed form; `recordedBy` is the staff member who entered it. */
export async function grantConsent(input: ConsentInput, recordedBy: string, ports: ConsentPorts): Promise<Consent> {
  if (input.expiresOn !== undefined && input.expiresOn < input.grantedOn) {
    throw new ValidationFailed('CONSENT_DATES_INVALID', 'A consent cannot expire before it is granted');
  }
  const consent: Consent = {
    ...input,
    id: ports.ids.next(),
    useCases: distinct(input.useCases),
    recordedBy,
    recordedAt: ports.clock.now().toISOString(),
  };
  await ports.store.createConsent(consent);
  return consent;
}

/**
 * Records the patient's revocation, effective for the whole of `revokedOn` (default today). A revocation cannot be
 * dated in the future (400 REVOCATION_IN_FUTURE): it takes effect when the practice receives it.
 */
export async function revokeConsent(
  patientScope: string,
  consentId: string,
  input: ConsentRevocationInput,
  revokedBy: string,
  ports: Pick<ConsentPorts, 'store' | 'clock'>,
): Promise<Consent> {
  const now = ports.clock.now();
  const revokedOn = input.revokedOn ?? dayOf(now);
  if (revokedOn > dayOf(now)) {
    throw new ValidationFailed('REVOCATION_IN_FUTURE', 'A revocation takes effect when received, not later');
  }
  const stored = await ports.store.getConsent(patientScope, consentId);
  if (!stored) throw new NotFound('CONSENT_NOT_FOUND', 'No consent has this id for this patient');
  const revocation = { revokedOn, revokedBy, revokedAt: now.toISOString() };
  if (stored.revokedOn !== undefined || !(await ports.store.revokeConsent(patientScope, consentId, revocation))) {
    throw new Conflict('CONSENT_ALREADY_REVOKED', 'This consent was already revoked');
  }
  return { ...stored, ...revocation };
}

/** Every consent of the patient scope, revoked and expired ones included. */
export async function listConsents(patientScope: string, ports: Pick<ConsentPorts, 'store'>): Promise<Consent[]> {
  return ports.store.listConsents(patientScope);
}

/** Whether a consent on file covers `category` for `useCase` in `patientScope` on the UTC day of `at`. */
export async function consentCovers(
  patientScope: string,
  category: DataCategory,
  useCase: UseCase,
  at: Date,
  ports: Pick<ConsentPorts, 'store'>,
): Promise<boolean> {
  const day = dayOf(at);
  const consents = await ports.store.listConsents(patientScope);
  return consents.some((consent) => consentCoversOn(consent, category, useCase, day));
}
