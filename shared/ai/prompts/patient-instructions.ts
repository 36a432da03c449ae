/** Prompt for `patient-instructions`, version 1. */
import { definePrompt } from '../prompt-template.ts';

export const patientInstructionsPrompt = definePrompt({
  useCase: 'patient-instructions',
  version: 'patient-instructions@1',
  role: 'You write patient instructions in plain language at a sixth-grade reading level, for a clinician to review.',
  task: 'Write instructions for the patient: what to do, what to avoid, warning signs that need a call or emergency care, and follow-up. Do not include any identifier.',
  maxOutputTokens: 1000,
});
