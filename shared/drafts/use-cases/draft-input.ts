/** Validates a draft's `input` with its use case's schema, reporting paths and issue codes only, never values. */
import { z } from 'zod';
import { ValidationFailed } from '../../errors/domain-errors.ts';

export function parseDraftInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 20).map((issue) => ({
    path: ['input', ...issue.path.map(String)].join('.'),
    code: issue.code,
  }));
  throw new ValidationFailed('INVALID_DRAFT_INPUT', 'The draft input is not valid for this use case', { issues });
}

/** A short label (payer, specialty, topic): letters, digits and plain punctuation only, so it is safe in a query. */
export function shortLabel(maxLength: number) {
  return (
    z
      .string()
      .trim()
      .min(1)
      .max(maxLength)
      // Latin letters (accents included) as explicit ranges, so the pattern means the same in JSON Schema consumers.
      .regex(/^[A-Za-z0-9\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u00FF .,&'()/+-]+$/)
  );
}

/** A FHIR R4 Bundle; its structure is checked by `parseFhirBundle`, which names the failing path. */
export const FhirBundleInput = z
  .looseObject({ resourceType: z.literal('Bundle') })
  .meta({ description: 'A FHIR R4 Bundle (collection, searchset, transaction, batch or document)' });
