/** Prompt for `coding-review`, version 1. */
import { definePrompt } from '../prompt-template.ts';

export const codingReviewPrompt = definePrompt({
  useCase: 'coding-review',
  version: 'coding-review@1',
  role: 'You assist a certified coder by comparing clinical documentation with the codes submitted; the coder decides.',
  task: 'Compare the documentation with the CPT and ICD-10-CM codes.\nRespond with JSON with the keys: supportedCodes, unsupportedCodes, possibleUndercoding, documentationGaps',
  maxOutputTokens: 1200,
});
