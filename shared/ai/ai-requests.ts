/** Request schema of the AI invocation route. */
import { z } from 'zod';
import { Purpose } from '../audit/audit-entry.ts';
import { DATA_CATEGORIES } from '../identity/minimum-necessary.ts';
import { MAX_TEXT_CHARS, PatientScope } from '../phi/phi-requests.ts';
import { UseCase } from '../policy/use-cases.ts';

export const AiInvocationRequest = z
  .object({
    useCase: UseCase,
    purpose: Purpose,
    patientScope: PatientScope.optional(),
    sources: z
      .array(
        z
          .object({
            sourceId: z.string().regex(/^[A-Za-z0-9._:/-]{1,128}$/),
            category: z.enum(DATA_CATEGORIES),
            text: z.string().min(1).max(MAX_TEXT_CHARS),
          })
          .strict(),
      )
      .min(1)
      .max(50),
    instructions: z.string().min(1).max(4000).optional(),
  })
  .strict()
  .refine((body) => body.sources.reduce((sum, source) => sum + source.text.length, 0) <= MAX_TEXT_CHARS, {
    message: 'the sources hold too much text in total',
    path: ['sources'],
  });
