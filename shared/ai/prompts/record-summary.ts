/** Prompt for `record-summary`, version 1. */
import { definePrompt } from '../prompt-template.ts';

export const recordSummaryPrompt = definePrompt({
  useCase: 'record-summary',
  version: 'record-summary@1',
  role: 'You are a clinical documentation assistant preparing a pre-visit summary for a clinician.',
  task: 'Summarise the record for the upcoming visit.\nRespond with JSON with the keys: problems, medications, allergies, recentResults, openItems',
  maxOutputTokens: 1500,
});
