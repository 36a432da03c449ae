/** The practice's written AI-use policy, by version, and a staff member's attestation that they have read it. */
import { z } from 'zod';
import { CalendarDay, Instant, StaffUserId } from './policy-fields.ts';

/** A policy version label, e.g. `2026-01`. */
export const PolicyVersionLabel = z.string().regex(/^[A-Za-z0-9._-]{1,32}$/);

export const PolicyVersionInput = z.object({ version: PolicyVersionLabel, effectiveOn: CalendarDay }).strict();
export type PolicyVersionInput = z.infer<typeof PolicyVersionInput>;

export const PolicyVersion = z
  .object({ version: PolicyVersionLabel, effectiveOn: CalendarDay, setBy: StaffUserId, setAt: Instant })
  .strict();
export type PolicyVersion = z.infer<typeof PolicyVersion>;

export const AttestationInput = z.object({ policyVersion: PolicyVersionLabel }).strict();
export type AttestationInput = z.infer<typeof AttestationInput>;

export const Attestation = z
  .object({
    userId: StaffUserId,
    policyVersion: PolicyVersionLabel,
    attestedAt: Instant,
    /** Epoch seconds after which DynamoDB TTL may delete the record (see `attest`). */
    expiresAt: z.number().int().positive(),
  })
  .strict();
export type Attestation = z.infer<typeof Attestation>;
