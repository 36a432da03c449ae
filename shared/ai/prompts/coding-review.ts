/** Prompt for `coding-review`, version 2: sectioned JSON; the findings are for a certified coder to decide. */
import { defineSectionedPrompt } from './sectioned-prompt.ts';

export const CODING_REVIEW_HEADINGS = [
  'Supported codes',
  'Unsupported codes',
  'Possible under-coding',
  'Documentation gaps',
] as const;

export const codingReviewPrompt = defineSectionedPrompt({
  useCase: 'coding-review',
  version: 'coding-review@2',
  role: 'You assist a certified coder by comparing clinical documentation with the codes submitted; the coder decides.',
  task:
    'Compare the documentation with the claimed CPT and ICD-10-CM codes, using the inferred codes and the rule findings given as ' +
    'sources. Name each code you discuss. Supported codes: claimed codes the documentation supports. Unsupported codes: claimed ' +
    'codes it does not support. Possible under-coding: documented conditions or more specific codes not claimed. Documentation ' +
    'gaps: what the clinician would need to document for a code to be supported. Suggest, never decide: nothing is applied to a claim.',
  headings: CODING_REVIEW_HEADINGS,
  maxOutputTokens: 1200,
});
