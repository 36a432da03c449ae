/** `appeal-letter`: an appeal against a denial from key details, the record and the payer's appeal policy. */
import { APPEAL_LETTER_HEADINGS } from '../../ai/prompts/appeal-letter.ts';
import { defineLetterUseCase } from './letter-use-case.ts';

export const appealLetter = defineLetterUseCase({
  headings: APPEAL_LETTER_HEADINGS,
  // The letter goes out over a clinician's signature.
  reviewerRoles: ['physician'],
  requirementsQuery: (input) => ['appeal denial reconsideration policy', input.payer].filter(Boolean).join(' '),
  instructions: (input) => (input.payer ? `The appeal is addressed to the payer ${input.payer}.` : undefined),
});
