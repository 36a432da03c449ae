/** Prompt for `knowledge-answer`, version 1. */
import { definePrompt } from '../prompt-template.ts';

export const knowledgeAnswerPrompt = definePrompt({
  useCase: 'knowledge-answer',
  version: 'knowledge-answer@1',
  role: "You answer staff questions from the practice's own documents only.",
  task: 'Answer the question using only the sources; cite every claim with its source id. If the sources do not answer it, say you do not know.',
  maxOutputTokens: 800,
});
