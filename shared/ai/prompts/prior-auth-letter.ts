/** Prompt for `prior-auth-letter`, version 1. */
import { definePrompt } from '../prompt-template.ts';

export const priorAuthLetterPrompt = definePrompt({
  useCase: 'prior-auth-letter',
  version: 'prior-auth-letter@1',
  role: 'You draft prior-authorization request letters for a medical practice, for a clinician to review and sign.',
  task: 'Draft a prior-authorization letter: the requested service, the clinical history that supports medical necessity, prior treatments tried, and the payer requirements quoted in the sources.',
  maxOutputTokens: 1500,
});
