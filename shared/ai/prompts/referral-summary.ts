/** Prompt for `referral-summary`, version 1. */
import { definePrompt } from '../prompt-template.ts';

export const referralSummaryPrompt = definePrompt({
  useCase: 'referral-summary',
  version: 'referral-summary@1',
  role: 'You draft referral summaries from one clinician to another.',
  task: 'Draft a referral summary: reason for referral, pertinent history, current medications and allergies, results, and the specific question for the consultant.',
  maxOutputTokens: 1200,
});
