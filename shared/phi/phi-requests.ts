/** Request and response schemas of the PHI routes, shared by the handlers, the CLI and the OpenAPI document. */
import { z } from 'zod';
import { Purpose } from '../audit/audit-entry.ts';

/** Synchronous requests must finish inside API Gateway's 29 s; Comprehend Medical reads 40,000 chars/s by default. */
export const MAX_TEXT_CHARS = 500_000;
export const MAX_BATCH_ITEMS = 100;
/** JSON escaping can double the size of text; the body limit leaves room for that. */
export const MAX_PHI_BODY_BYTES = 2 * 1024 * 1024;

export const PatientScope = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{8,128}$/, 'an opaque id of 8-128 letters, digits and . _ : - (never an MRN)');

const Text = z.string().min(1).max(MAX_TEXT_CHARS);
const ItemId = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/);

export const ScanRequest = z.object({ text: Text, purpose: Purpose.optional() }).strict();

export const DeidentifyRequest = z
  .object({
    text: Text.optional(),
    items: z
      .array(z.object({ id: ItemId.optional(), text: Text }).strict())
      .min(1)
      .max(MAX_BATCH_ITEMS)
      .optional(),
    patientScope: PatientScope.optional(),
    purpose: Purpose.optional(),
  })
  .strict()
  .refine((body) => (body.text === undefined) !== (body.items === undefined), {
    message: 'exactly one of text or items',
    path: ['text'],
  })
  .refine((body) => (body.items ?? []).reduce((sum, item) => sum + item.text.length, 0) <= MAX_TEXT_CHARS, {
    message: 'the items hold too much text in total',
    path: ['items'],
  });

export const ReidentifyRequest = z.object({ text: Text, patientScope: PatientScope, purpose: Purpose }).strict();
