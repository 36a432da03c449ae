/** What an audit record says: who, what, which resource (by id or count, never PHI), why, when and the outcome. */
import { z } from 'zod';
import { defineEvent } from '../events/event-definition.ts';
import { Role } from '../identity/roles.ts';

const Identifier = z.string().regex(/^[A-Za-z0-9._:@/#+=-]{1,200}$/);

/** HIPAA purposes of use a request can state (HL7 PurposeOfUse, the ones a practice meets day to day). */
export const PURPOSES = ['treatment', 'payment', 'operations', 'patient-request', 'quality-review', 'legal'] as const;
export const Purpose = z.enum(PURPOSES);
export type Purpose = z.infer<typeof Purpose>;

export const AuditOutcome = z.enum(['allowed', 'denied', 'failed']);
export type AuditOutcome = z.infer<typeof AuditOutcome>;

export const AuditEntry = z
  .object({
    action: Identifier,
    outcome: AuditOutcome,
    /** The stable error code when denied or failed. */
    reason: Identifier.optional(),
    actor: z.object({
      userId: Identifier,
      roles: z.array(Role),
      clientId: Identifier.optional(),
      sourceIp: z.string().max(64).optional(),
    }),
    resource: z
      .object({
        patientScope: Identifier.optional(),
        draftId: Identifier.optional(),
        /** The encounter a transcription act concerns (its id only; never the transcript). */
        encounterId: Identifier.optional(),
        /** The approved-model inventory entry an act changes (its slug), not the vendor's model id. */
        approvedModelId: Identifier.optional(),
        tokenCount: z.number().int().nonnegative().optional(),
        entityCounts: z.record(z.string(), z.number().int().nonnegative()).optional(),
      })
      .strict(),
    purpose: Purpose.optional(),
    /** For model calls: which model did what, and what it cost; never the prompt or the reply. */
    modelCall: z
      .object({
        useCase: Identifier,
        modelId: z.string().max(200),
        client: Identifier,
        inputTokens: z.number().int().nonnegative().optional(),
        outputTokens: z.number().int().nonnegative().optional(),
        latencyMs: z.number().int().nonnegative().optional(),
        costUsd: z.number().nonnegative().optional(),
      })
      .strict()
      .optional(),
    correlationId: Identifier,
    at: z.iso.datetime(),
  })
  .strict();
export type AuditEntry = z.infer<typeof AuditEntry>;

/** Published for every audited act; the audit writer consumes it into the hash-chained audit table. */
export const AuditRecorded = defineEvent({
  capability: 'audit',
  detailType: 'Audit.Recorded',
  version: 1,
  detail: AuditEntry,
});
