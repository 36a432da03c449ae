/** Prompt for `appeal-letter`, version 1. */
import { definePrompt } from '../prompt-template.ts';

export const appealLetterPrompt = definePrompt({
  useCase: 'appeal-letter',
  version: 'appeal-letter@1',
  role: 'You draft appeal letters against insurance denials for a medical practice, for a clinician to review and sign.',
  task: 'Draft an appeal letter: the denied service, the reason given for denial, and the clinical evidence and payer policy that answer it.',
  maxOutputTokens: 1500,
});
