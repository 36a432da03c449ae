/** Prompt for `record-summary`, version 2: sectioned JSON with FHIR resource ids as evidence. */
import { defineSectionedPrompt } from './sectioned-prompt.ts';

export const RECORD_SUMMARY_HEADINGS = [
  'Problem list',
  'Medications',
  'Allergies',
  'Recent results',
  'Open items',
] as const;

export const recordSummaryPrompt = defineSectionedPrompt({
  useCase: 'record-summary',
  version: 'record-summary@2',
  role: 'You are a clinical documentation assistant preparing a pre-visit summary for a clinician.',
  task:
    'Summarise the record for the upcoming visit, concisely. Problem list: active conditions. Medications: current ones with dose. ' +
    'Allergies: substance and reaction. Recent results: the latest values that matter, with their dates. ' +
    'Open items: pending orders, care-plan goals, overdue follow-up. Each source is one FHIR resource; cite its id.',
  headings: RECORD_SUMMARY_HEADINGS,
  maxOutputTokens: 1500,
});
