/** Prompt for `prior-auth-letter`, version 2: sectioned JSON with evidence ids. */
import { defineSectionedPrompt } from './sectioned-prompt.ts';

export const PRIOR_AUTH_LETTER_HEADINGS = [
  'Requested service',
  'Clinical history',
  'Prior treatments',
  'Medical necessity',
  'Payer requirements',
] as const;

export const priorAuthLetterPrompt = defineSectionedPrompt({
  useCase: 'prior-auth-letter',
  version: 'prior-auth-letter@2',
  role: 'You draft prior-authorization request letters for a medical practice, for a clinician to review and sign.',
  task:
    "Draft a prior-authorization letter from the clinician's key details and the record: the requested service, the clinical " +
    'history that supports medical necessity, prior treatments tried, and how the request meets the payer requirements quoted in ' +
    "the reference sources (the practice's own documents).",
  headings: PRIOR_AUTH_LETTER_HEADINGS,
  maxOutputTokens: 1500,
});
