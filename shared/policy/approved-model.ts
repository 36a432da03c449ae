/**
 * An approved AI tool or model: the BAA inventory entry, its vetting checklist, and what the policy permits it
 * to be used for. The decision function only ever sends data to models recorded here.
 */
import { z } from 'zod';
import { CalendarDay, DataCategory, dayOf, Instant, StaffUserId } from './policy-fields.ts';
import { UseCase } from './use-cases.ts';

/** How the gateway reaches the model; `offline` runs inside the deployment and discloses nothing to a vendor. */
export const MODEL_CLIENT_KINDS = ['bedrock', 'openai-compatible', 'offline'] as const;
export const ModelClientKind = z.enum(MODEL_CLIENT_KINDS);
export type ModelClientKind = z.infer<typeof ModelClientKind>;

export const MODEL_STATUSES = ['active', 'retired'] as const;
export const ModelStatus = z.enum(MODEL_STATUSES);
export type ModelStatus = z.infer<typeof ModelStatus>;

/** A slug chosen by the practice, e.g. `claude-sonnet-bedrock`. */
export const ModelSlug = z
  .string()
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);

/**
 * The business associate agreement (45 CFR 164.502(e), 164.504(e)). The inventory may record `inPlace: false`
 * (pending or terminated) so that it stays truthful; such a model is never used unless its client is `offline`.
 * A BAA counts only from its `executedOn` day (see `hasRequiredBaa`).
 */
export const BaaRecord = z
  .object({
    inPlace: z.boolean(),
    /** Required when `inPlace` (checked by `upsertApprovedModel`, code BAA_DATE_REQUIRED). */
    executedOn: CalendarDay.optional(),
    version: z.string().min(1).max(64).optional(),
    vendorContact: z.string().min(1).max(256).optional(),
  })
  .strict();
export type BaaRecord = z.infer<typeof BaaRecord>;

/** What the reviewer verified about the vendor before approval; recorded as answered, judged by the reviewer. */
export const VettingChecklist = z
  .object({
    signsBaa: z.boolean(),
    trainsOnCustomerData: z.boolean(),
    trainingOptOut: z.boolean(),
    retainsInputsDays: z.number().int().min(0).max(36_500),
    humanReviewOfData: z.boolean(),
    subprocessorsCovered: z.boolean(),
    soc2OrEquivalentSeen: z.boolean(),
    notes: z.string().max(2000).optional(),
  })
  .strict();
export type VettingChecklist = z.infer<typeof VettingChecklist>;

const approvedModelFields = {
  id: ModelSlug,
  vendor: z.string().min(1).max(100),
  /** The vendor's model id, e.g. a Bedrock model or inference profile id. */
  modelId: z.string().regex(/^[A-Za-z0-9._:/@+-]{1,256}$/),
  client: ModelClientKind,
  baa: BaaRecord,
  permittedUseCases: z.array(UseCase).min(1).max(20),
  permittedDataCategories: z.array(DataCategory).max(20),
  vetting: VettingChecklist,
  reviewer: z.string().min(1).max(128),
  nextReviewOn: CalendarDay,
};

/**
 * The body of an upsert: the record as the admin states it. `expectedVersion` is required to change a stored one.
 * Without `status`, a new model is active and a stored one keeps its status (a retired model stays retired).
 */
export const ApprovedModelInput = z
  .object({
    ...approvedModelFields,
    status: ModelStatus.optional(),
    expectedVersion: z.number().int().positive().optional(),
  })
  .strict();
export type ApprovedModelInput = z.input<typeof ApprovedModelInput>;

export const ApprovedModel = z
  .object({
    ...approvedModelFields,
    status: ModelStatus,
    /** Starts at 1 and grows by one with every write; writes name the version they replace. */
    version: z.number().int().positive(),
    updatedBy: StaffUserId,
    updatedAt: Instant,
  })
  .strict();
export type ApprovedModel = z.infer<typeof ApprovedModel>;

/**
 * Whether the model may receive PHI on `now`'s UTC day as far as the BAA goes: an offline model discloses nothing to
 * a vendor; any other needs a BAA in place and executed on or before that day (no date: not in place, fail closed).
 */
export function hasRequiredBaa(model: Pick<ApprovedModel, 'client' | 'baa'>, now: Date): boolean {
  if (model.client === 'offline') return true;
  const { inPlace, executedOn } = model.baa;
  return inPlace && executedOn !== undefined && executedOn <= dayOf(now);
}

/** A model is overdue from the day after its `nextReviewOn` (UTC days). */
export function isReviewOverdue(model: Pick<ApprovedModel, 'nextReviewOn'>, now: Date): boolean {
  return model.nextReviewOn < dayOf(now);
}
