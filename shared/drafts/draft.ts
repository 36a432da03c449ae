/**
 * What a stored draft holds: the tokenized prepared request, the tokenized content once generated, the review, and
 * the version every change bumps. Never PHI in the clear; the reader's copy is re-identified on the way out.
 */
import { z } from 'zod';
import { Purpose } from '../audit/audit-entry.ts';
import { DATA_CATEGORIES } from '../identity/minimum-necessary.ts';
import { Role } from '../identity/roles.ts';
import { USE_CASES } from '../policy/use-cases.ts';
import { DraftStatus } from './draft-status.ts';
import type { DraftUseCase } from './use-cases/draft-use-cases.ts';

/** Every use case except the synchronous knowledge answer runs as a draft job. */
export const DRAFT_USE_CASE_NAMES = USE_CASES.filter(
  (useCase): useCase is DraftUseCase => useCase !== 'knowledge-answer',
);
export const DraftUseCaseName = z.enum(DRAFT_USE_CASE_NAMES as [DraftUseCase, ...DraftUseCase[]]);

export const DraftId = z.string().regex(/^draft-[A-Za-z0-9-]{8,80}$/);

const Category = z.enum(DATA_CATEGORIES);
const PromptSourceRecord = z.object({ sourceId: z.string(), category: Category, text: z.string() }).strict();

/** Mirrors `PreparedAiRequest` from the AI gateway: tokenized text only. */
export const PreparedRecord = z
  .object({
    useCase: DraftUseCaseName,
    purpose: Purpose,
    patientScope: z.string(),
    requester: z.object({ userId: z.string(), roles: z.array(Role) }).strict(),
    draftId: z.string().optional(),
    promptVersion: z.string(),
    model: z.object({ id: z.string(), modelId: z.string(), client: z.string() }).strict(),
    sources: z.array(PromptSourceRecord),
    instructions: z.string().optional(),
    issuedTokens: z.array(z.string()),
    withheld: z.object({ byRole: z.array(Category), byPolicy: z.array(Category) }).strict(),
  })
  .strict();

export const DraftContentRecord = z
  .object({
    sections: z.array(
      z
        .object({
          heading: z.string(),
          statements: z.array(z.object({ text: z.string(), evidence: z.array(z.string()) }).strict()),
        })
        .strict(),
    ),
    unsupportedStatements: z.int().nonnegative(),
  })
  .strict();

export const DraftRecord = z
  .object({
    draftId: DraftId,
    useCase: DraftUseCaseName,
    status: DraftStatus,
    /** Starts at 1 and grows by one with every stored change: the optimistic-concurrency check. */
    version: z.int().positive(),
    purpose: Purpose,
    /** The scope the requester named (panel checks); absent for PHI-free use cases. */
    requestedScope: z.string().optional(),
    requestedBy: z.object({ userId: z.string(), roles: z.array(Role) }).strict(),
    /** A retried POST with the same key returns this draft instead of starting another. */
    idempotencyKey: z.string().optional(),
    /**
     * SHA-256 of the requester, the key and the canonical (useCase, patientScope, purpose, input): a retry with the
     * same key must carry the same request. Salted with requester and key, so equal inputs do not hash alike.
     */
    requestHash: z
      .string()
      .regex(/^[a-f0-9]{64}$/)
      .optional(),
    /** Which try of the idempotency key this draft is (0 first); a try that failed for a transient cause is retried. */
    attempt: z.int().nonnegative().optional(),
    /**
     * The version whose event was published: set after the publish succeeds (without bumping `version`, it is
     * bookkeeping), so a retried call whose first publish failed sends the event again (at-least-once).
     */
    publishedVersion: z.int().positive().optional(),
    correlationId: z.string(),
    requestedAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    /** Epoch seconds: DynamoDB TTL removes the draft after the configured retention. */
    expiresAt: z.int().positive(),
    prepared: PreparedRecord,
    generation: z
      .object({ eventId: z.string(), startedAt: z.iso.datetime(), modelCalls: z.int().nonnegative() })
      .strict()
      .optional(),
    result: z
      .object({
        content: DraftContentRecord,
        /** The rendered, tokenized text the reviewer reads and edits. */
        text: z.string(),
        model: z.object({ id: z.string(), modelId: z.string(), client: z.string(), isRealModel: z.boolean() }).strict(),
        promptVersion: z.string(),
        extraSourceIds: z.array(z.string()),
        readyAt: z.iso.datetime(),
      })
      .strict()
      .optional(),
    failure: z.object({ reason: z.string(), at: z.iso.datetime() }).strict().optional(),
    review: z
      .object({
        decision: z.enum(['approve', 'reject']),
        reviewerId: z.string(),
        reviewerRoles: z.array(Role),
        reviewedAt: z.iso.datetime(),
        /** The version the reviewer acted on: a repeat of the same decision on it is answered, not applied again. */
        reviewedVersion: z.int().positive(),
        reason: z.string().optional(),
        /** Approved text, tokenized with the draft's scope (the reviewer's edits de-identified). */
        approvedText: z.string().optional(),
        /** Unified diff from the draft text to the approved text, tokenized. */
        diff: z.string().optional(),
        edited: z.boolean(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type DraftRecord = z.infer<typeof DraftRecord>;
