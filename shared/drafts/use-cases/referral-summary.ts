/** `referral-summary`: a referral to a consultant from key details, the record and the practice's referral rules. */
import { REFERRAL_SUMMARY_HEADINGS } from '../../ai/prompts/referral-summary.ts';
import { defineLetterUseCase } from './letter-use-case.ts';

export const referralSummary = defineLetterUseCase({
  headings: REFERRAL_SUMMARY_HEADINGS,
  // Clinician to clinician: the referring physician signs it.
  reviewerRoles: ['physician'],
  requirementsQuery: (input) => ['referral requirements', input.specialty, input.payer].filter(Boolean).join(' '),
  instructions: (input) =>
    [input.specialty ? `The referral is to ${input.specialty}.` : '', input.payer ? `The payer is ${input.payer}.` : '']
      .filter(Boolean)
      .join(' ') || undefined,
});
