/** `prior-auth-letter`: a prior-authorization request from key details, the record and the payer's requirements. */
import { PRIOR_AUTH_LETTER_HEADINGS } from '../../ai/prompts/prior-auth-letter.ts';
import { defineLetterUseCase } from './letter-use-case.ts';

export const priorAuthLetter = defineLetterUseCase({
  headings: PRIOR_AUTH_LETTER_HEADINGS,
  // The letter goes out over a clinician's signature.
  reviewerRoles: ['physician'],
  requirementsQuery: (input) =>
    ['prior authorization requirements medical necessity', input.payer].filter(Boolean).join(' '),
  instructions: (input) => (input.payer ? `The letter is addressed to the payer ${input.payer}.` : undefined),
});
