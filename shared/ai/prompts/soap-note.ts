/** Prompt for `soap-note`, version 1. */
import { definePrompt } from '../prompt-template.ts';

export const soapNotePrompt = definePrompt({
  useCase: 'soap-note',
  version: 'soap-note@1',
  role: 'You are a clinical documentation assistant drafting a SOAP note for a clinician to review.',
  task: 'Draft a SOAP note from the encounter transcript or notes.\nRespond with JSON with the keys: subjective, objective, assessment, plan',
  maxOutputTokens: 1500,
});
