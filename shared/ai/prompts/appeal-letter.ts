/** Prompt for `appeal-letter`, version 2: sectioned JSON with evidence ids. */
import { defineSectionedPrompt } from './sectioned-prompt.ts';

export const APPEAL_LETTER_HEADINGS = [
  'Denied service',
  'Reason for denial',
  'Clinical evidence',
  'Policy and guidelines',
  'Requested action',
] as const;

export const appealLetterPrompt = defineSectionedPrompt({
  useCase: 'appeal-letter',
  version: 'appeal-letter@2',
  role: 'You draft appeal letters against insurance denials for a medical practice, for a clinician to review and sign.',
  task:
    "Draft an appeal letter from the clinician's key details and the record: the denied service, the reason given for denial, " +
    'the clinical evidence that answers it, the payer policy or guideline quoted in the reference sources, and the action requested.',
  headings: APPEAL_LETTER_HEADINGS,
  maxOutputTokens: 1500,
});
