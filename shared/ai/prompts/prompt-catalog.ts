/** Every use case's current prompt template; a use case without one cannot be approved or run. */
import type { PromptTemplate } from '../prompt-template.ts';
import type { UseCase } from '../use-cases.ts';
import { appealLetterPrompt } from './appeal-letter.ts';
import { codingReviewPrompt } from './coding-review.ts';
import { knowledgeAnswerPrompt } from './knowledge-answer.ts';
import { patientInstructionsPrompt } from './patient-instructions.ts';
import { priorAuthLetterPrompt } from './prior-auth-letter.ts';
import { recordSummaryPrompt } from './record-summary.ts';
import { referralSummaryPrompt } from './referral-summary.ts';
import { soapNotePrompt } from './soap-note.ts';

export const PROMPTS: Readonly<Record<UseCase, PromptTemplate>> = {
  'soap-note': soapNotePrompt,
  'record-summary': recordSummaryPrompt,
  'prior-auth-letter': priorAuthLetterPrompt,
  'appeal-letter': appealLetterPrompt,
  'referral-summary': referralSummaryPrompt,
  'patient-instructions': patientInstructionsPrompt,
  'coding-review': codingReviewPrompt,
  'knowledge-answer': knowledgeAnswerPrompt,
};
