/** The AI use cases the practice's policy can approve a model for; every model call names exactly one. */
import { z } from 'zod';

export const USE_CASES = [
  'soap-note',
  'record-summary',
  'prior-auth-letter',
  'appeal-letter',
  'referral-summary',
  'patient-instructions',
  'coding-review',
  'knowledge-answer',
] as const;

export const UseCase = z.enum(USE_CASES);
export type UseCase = z.infer<typeof UseCase>;
