/**
 * The policy decision every model call passes first: is this user attested, which approved model may serve this
 * use case, and which requested data categories may go to it. Reads through the store only; no side effects.
 */
import { z } from 'zod';
import { Forbidden } from '../errors/domain-errors.ts';
import { type DataCategory, SPECIALLY_PROTECTED } from '../identity/minimum-necessary.ts';
import { PatientScope } from '../phi/phi-requests.ts';
import type { PolicyStore } from '../ports/policy-store.ts';
import { type ApprovedModel, hasRequiredBaa, isReviewOverdue } from './approved-model.ts';
import { consentCoversOn } from './consent.ts';
import { hasCurrentAttestation } from './policy-attestation.ts';
import { DataCategory as DataCategorySchema, dayOf, distinct } from './policy-fields.ts';
import { UseCase } from './use-cases.ts';

/** The stable codes of a refusal, in the order the checks run. */
export const MODEL_USE_REFUSALS = [
  'ATTESTATION_REQUIRED',
  'CATEGORY_EXCLUDED',
  'MODEL_NOT_APPROVED',
  'BAA_MISSING',
  'REVIEW_OVERDUE',
  'CATEGORY_NOT_PERMITTED',
] as const;
export type ModelUseRefusal = (typeof MODEL_USE_REFUSALS)[number];

/** What a caller asks for; the user id and the time come from the request context, not the body. */
export const ModelUseQuery = z
  .object({
    useCase: UseCase,
    requestedCategories: z.array(DataCategorySchema).max(20),
    patientScope: PatientScope.optional(),
  })
  .strict();
export type ModelUseQuery = z.infer<typeof ModelUseQuery>;

export interface ModelUseRequest {
  readonly useCase: UseCase;
  /** The record categories the call would send; empty for a call that carries no patient data. */
  readonly requestedCategories: readonly DataCategory[];
  readonly userId: string;
  /** Required for a specially protected category to be kept: consent is looked up per patient scope. */
  readonly patientScope?: string;
  readonly now: Date;
}

export interface ModelUseDecision {
  readonly allowed: true;
  readonly model: ApprovedModel;
  /** The requested categories that may be sent, in request order, without repeats. */
  readonly categories: DataCategory[];
  /** Specially protected categories removed for want of a consent covering this patient and use case. */
  readonly excluded: DataCategory[];
}

const refuse = (code: ModelUseRefusal, message: string, details?: Record<string, unknown>) =>
  new Forbidden(code, message, details);

/**
 * Allows the call with one model, or throws `Forbidden` with a `ModelUseRefusal` code. Psychotherapy and
 * substance-use categories are removed (not refused) unless a consent covers this patient scope and use case; if
 * nothing is left, CATEGORY_EXCLUDED. Among several eligible models the one whose next review is furthest away
 * wins (latest `nextReviewOn`), then the smallest id, so the choice is deterministic.
 */
export async function decideModelUse(
  request: ModelUseRequest,
  ports: { readonly store: PolicyStore },
): Promise<ModelUseDecision> {
  const { useCase, now } = request;
  if (!(await hasCurrentAttestation(request.userId, ports))) {
    throw refuse('ATTESTATION_REQUIRED', 'Attest to the current AI-use policy before using AI features');
  }

  const requested = distinct(request.requestedCategories);
  const { categories, excluded } = await removeUnconsented(requested, request, ports.store);
  if (requested.length > 0 && categories.length === 0) {
    throw refuse('CATEGORY_EXCLUDED', 'Every requested category needs a patient consent that is not on file', {
      excluded,
    });
  }

  const candidates = (await ports.store.listModels())
    .filter((model) => model.status === 'active' && model.permittedUseCases.includes(useCase))
    .sort(byPreference);
  if (candidates.length === 0) {
    throw refuse('MODEL_NOT_APPROVED', 'No approved model is permitted for this use case', { useCase });
  }
  const withBaa = candidates.filter((model) => hasRequiredBaa(model, now));
  if (withBaa.length === 0) {
    throw refuse('BAA_MISSING', 'The approved model for this use case has no business associate agreement in effect', {
      modelIds: candidates.map((model) => model.id),
    });
  }
  const reviewed = withBaa.filter((model) => !isReviewOverdue(model, now));
  if (reviewed.length === 0) {
    throw refuse('REVIEW_OVERDUE', 'The approved model for this use case is past its policy review date', {
      modelIds: withBaa.map((model) => model.id),
    });
  }
  const model = reviewed.find((candidate) => permitsAll(candidate, categories));
  if (!model) {
    const [preferred] = reviewed;
    throw refuse('CATEGORY_NOT_PERMITTED', 'A requested data category is not permitted for the approved model', {
      categories: categories.filter((category) => !preferred?.permittedDataCategories.includes(category)),
    });
  }
  return { allowed: true, model, categories, excluded };
}

async function removeUnconsented(
  requested: readonly DataCategory[],
  request: ModelUseRequest,
  store: PolicyStore,
): Promise<{ categories: DataCategory[]; excluded: DataCategory[] }> {
  const protectedOnes = requested.filter((category) => SPECIALLY_PROTECTED.includes(category));
  if (protectedOnes.length === 0) return { categories: [...requested], excluded: [] };
  const consents = request.patientScope === undefined ? [] : await store.listConsents(request.patientScope);
  const day = dayOf(request.now);
  const excluded = protectedOnes.filter(
    (category) => !consents.some((consent) => consentCoversOn(consent, category, request.useCase, day)),
  );
  return { categories: requested.filter((category) => !excluded.includes(category)), excluded };
}

function permitsAll(model: ApprovedModel, categories: readonly DataCategory[]): boolean {
  return categories.every((category) => model.permittedDataCategories.includes(category));
}

function byPreference(a: ApprovedModel, b: ApprovedModel): number {
  return b.nextReviewOn.localeCompare(a.nextReviewOn) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
