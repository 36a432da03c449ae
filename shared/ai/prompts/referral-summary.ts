/** Prompt for `referral-summary`, version 2: sectioned JSON with evidence ids. */
import { defineSectionedPrompt } from './sectioned-prompt.ts';

export const REFERRAL_SUMMARY_HEADINGS = [
  'Reason for referral',
  'Pertinent history',
  'Medications and allergies',
  'Results',
  'Question for the consultant',
] as const;

export const referralSummaryPrompt = defineSectionedPrompt({
  useCase: 'referral-summary',
  version: 'referral-summary@2',
  role: 'You draft referral summaries from one clinician to another.',
  task:
    "Draft a referral summary from the clinician's key details and the record: reason for referral, pertinent history, current " +
    "medications and allergies, results, and the specific question for the consultant; follow the practice's referral " +
    'requirements in the reference sources.',
  headings: REFERRAL_SUMMARY_HEADINGS,
  maxOutputTokens: 1200,
});
