/** Prompt for `soap-note`, version 2: sectioned JSON with evidence ids. */
import { defineSectionedPrompt } from './sectioned-prompt.ts';

export const SOAP_NOTE_HEADINGS = ['Subjective', 'Objective', 'Assessment', 'Plan'] as const;

export const soapNotePrompt = defineSectionedPrompt({
  useCase: 'soap-note',
  version: 'soap-note@2',
  role: 'You are a clinical documentation assistant drafting a SOAP note for a clinician to review.',
  task:
    "Draft a SOAP note from the encounter transcript segments or the clinician's notes. Subjective: what the patient reports. " +
    "Objective: exam findings, vitals and results. Assessment: the clinician's impressions as stated, never a new diagnosis. " +
    'Plan: orders, medications, referrals and follow-up as stated.',
  headings: SOAP_NOTE_HEADINGS,
  maxOutputTokens: 1500,
});
