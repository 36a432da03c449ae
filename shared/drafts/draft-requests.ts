/** Request schemas of the draft routes: the body of a new draft is checked against its use case's own input schema. */
import { z } from 'zod';
import { Purpose } from '../audit/audit-entry.ts';
import { MAX_PHI_BODY_BYTES, PatientScope } from '../phi/phi-requests.ts';
import { DRAFT_USE_CASE_NAMES, DraftId } from './draft.ts';
import { DraftStatus } from './draft-status.ts';
import { DRAFT_USE_CASES, type DraftUseCase } from './use-cases/draft-use-cases.ts';

/** A FHIR bundle or a long transcript fits; JSON escaping can double text, hence the PHI routes' limit. */
export const MAX_DRAFT_BODY_BYTES = MAX_PHI_BODY_BYTES;

/** Chosen by the client per logical request; a retried POST with the same key returns the same draft. */
export const IdempotencyKey = z.string().regex(/^[A-Za-z0-9._:-]{8,128}$/);

function requestFor(useCase: DraftUseCase) {
  const spec = DRAFT_USE_CASES[useCase];
  return z
    .object({
      useCase: z.literal(useCase),
      input: spec.input,
      patientScope: spec.needsPatientScope ? PatientScope : PatientScope.optional(),
      purpose: Purpose,
      idempotencyKey: IdempotencyKey.optional(),
    })
    .strict();
}

const [first, ...rest] = DRAFT_USE_CASE_NAMES.map(requestFor);
if (!first) throw new Error('No draft use cases are defined');

/** `POST /v1/drafts`: one shape per use case, chosen by `useCase`. */
export const DraftRequest = z.discriminatedUnion('useCase', [first, ...rest]);
export type DraftRequest = z.output<typeof DraftRequest>;

export const DraftPath = z.object({ draftId: DraftId }).strict();

export const DraftQueueQuery = z
  .object({
    status: DraftStatus.default('pending-review'),
    limit: z.coerce.number().int().min(1).max(100).default(50),
    /** The `nextToken` of the previous page. */
    nextToken: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,200}$/)
      .optional(),
  })
  .strict();

export const DraftReviewRequest = z
  .object({
    decision: z.enum(['approve', 'reject']),
    /** The version the reviewer read; a draft changed since then answers 409 STALE_DRAFT_VERSION. */
    expectedVersion: z.int().positive(),
    /** The reviewer's edit of the draft text (may hold PHI: it is de-identified before it is stored). */
    editedText: z.string().min(1).max(100_000).optional(),
    /** Required to reject; may hold PHI and is stored de-identified. */
    reason: z.string().min(1).max(2_000).optional(),
  })
  .strict()
  .refine((body) => body.decision !== 'reject' || body.reason !== undefined, {
    message: 'a rejection needs a reason',
    path: ['reason'],
  })
  .refine((body) => body.decision !== 'reject' || body.editedText === undefined, {
    message: 'only an approval takes edited text',
    path: ['editedText'],
  });
export type DraftReviewRequest = z.output<typeof DraftReviewRequest>;
