/** Prompts whose reply is a JSON document of fixed sections of statements, each citing the source ids it rests on. */
import { definePrompt, type PromptTemplate } from '../prompt-template.ts';
import type { UseCase } from '../use-cases.ts';

/** The line a sectioned prompt ends with; the offline model client reads the headings from it. */
export const SECTIONS_LINE_PREFIX = 'Respond with JSON sections under the headings:';
export const HEADING_SEPARATOR = ' | ';

export interface SectionedPromptTemplate extends PromptTemplate {
  /** The fixed headings, in order; the draft's parser requires exactly these. */
  readonly headings: readonly string[];
}

/** Tells the model the reply shape and the evidence convention; shared by every sectioned prompt. */
export function sectionsInstructions(headings: readonly string[]): string {
  return [
    'Reply with one JSON object and nothing else, in this shape:',
    '{"sections": [{"heading": "<heading>", "statements": [{"text": "<one statement>", "evidence": ["<source id>"]}]}]}',
    'Give every heading below exactly once, in that order, even when it has no statements.',
    'Each statement is one short sentence. Its "evidence" lists the id attribute of every <source id="..."> the statement rests on, copied exactly;',
    'use [] only when no source supports it, and never cite an id that is not in the sources.',
    'Cite sources only in "evidence", not in the statement text.',
    `${SECTIONS_LINE_PREFIX} ${headings.join(HEADING_SEPARATOR)}`,
  ].join('\n');
}

export function defineSectionedPrompt(definition: {
  useCase: UseCase;
  version: string;
  role: string;
  task: string;
  headings: readonly string[];
  maxOutputTokens: number;
}): SectionedPromptTemplate {
  const template = definePrompt({
    useCase: definition.useCase,
    version: definition.version,
    role: definition.role,
    task: `${definition.task}\n\n${sectionsInstructions(definition.headings)}`,
    maxOutputTokens: definition.maxOutputTokens,
  });
  return { ...template, headings: definition.headings };
}
