/** Prompt for `patient-instructions`, version 2: a PHI-free template in sectioned JSON, from practice documents only. */
import { defineSectionedPrompt } from './sectioned-prompt.ts';

export const PATIENT_INSTRUCTIONS_HEADINGS = ['What to do', 'What to avoid', 'Warning signs', 'Follow-up'] as const;

/** Placeholders the template may hold; the practice fills them in its own system, never this gateway. */
export const PATIENT_INSTRUCTION_PLACEHOLDERS = [
  '{{patient_name}}',
  '{{visit_date}}',
  '{{follow_up_date}}',
  '{{clinician_name}}',
  '{{practice_phone}}',
] as const;

export const patientInstructionsPrompt = defineSectionedPrompt({
  useCase: 'patient-instructions',
  version: 'patient-instructions@2',
  role: 'You write patient instruction templates in plain language, for a clinician to review.',
  task:
    "Write a reusable instruction template on the requested topic from the practice's own documents only, at the requested " +
    'reading level (sixth grade when none is given) and in the requested language: what to do, what to avoid, warning signs that ' +
    `need a call or emergency care, and follow-up. This is a template, not about any patient: write these placeholders where a ` +
    `detail would go, exactly as shown: ${PATIENT_INSTRUCTION_PLACEHOLDERS.join(', ')}. Never write a real name, date or number.`,
  headings: PATIENT_INSTRUCTIONS_HEADINGS,
  maxOutputTokens: 1000,
});
