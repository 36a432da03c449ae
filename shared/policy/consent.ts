/**
 * A patient's written consent to use specially protected records with AI: psychotherapy notes (an authorization
 * under 45 CFR 164.508(a)(2)) and substance use disorder records (42 CFR Part 2, 2.31). Without one, the decision
 * removes those categories from the request.
 */
import { z } from 'zod';
import type { DataCategory } from '../identity/minimum-necessary.ts';
import { PatientScope } from '../phi/phi-requests.ts';
import { CalendarDay, Instant, RecordId, StaffUserId } from './policy-fields.ts';
import { UseCase } from './use-cases.ts';

export const CONSENT_CATEGORIES = ['psychotherapy', 'substance-use'] as const satisfies readonly DataCategory[];
export const ConsentCategory = z.enum(CONSENT_CATEGORIES);
export type ConsentCategory = z.infer<typeof ConsentCategory>;

export const ConsentInput = z
  .object({
    patientScope: PatientScope,
    category: ConsentCategory,
    useCases: z.array(UseCase).min(1).max(20),
    grantedOn: CalendarDay,
    /** The last day the consent covers; absent when the form names an event rather than a date. */
    expiresOn: CalendarDay.optional(),
  })
  .strict();
export type ConsentInput = z.infer<typeof ConsentInput>;

/** `revokedOn` defaults to today; a revocation takes effect for the whole of that (UTC) day. */
export const ConsentRevocationInput = z.object({ revokedOn: CalendarDay.optional() }).strict();
export type ConsentRevocationInput = z.infer<typeof ConsentRevocationInput>;

export const Consent = z
  .object({
    id: RecordId,
    patientScope: PatientScope,
    category: ConsentCategory,
    useCases: z.array(UseCase).min(1).max(20),
    grantedOn: CalendarDay,
    expiresOn: CalendarDay.optional(),
    recordedBy: StaffUserId,
    recordedAt: Instant,
    revokedOn: CalendarDay.optional(),
    revokedBy: StaffUserId.optional(),
    revokedAt: Instant.optional(),
  })
  .strict();
export type Consent = z.infer<typeof Consent>;

/** Whether this consent covers `category` for `useCase` on `day` (UTC): granted, not expired, not revoked. */
export function consentCoversOn(consent: Consent, category: DataCategory, useCase: UseCase, day: string): boolean {
  return (
    consent.category === category &&
    consent.useCases.includes(useCase) &&
    consent.grantedOn <= day &&
    (consent.expiresOn === undefined || day <= consent.expiresOn) &&
    (consent.revokedOn === undefined || day < consent.revokedOn)
  );
}
