/** A versioned prompt template per use case: the system text and how de-identified sources become the user turn. */
import type { DataCategory } from '../identity/minimum-necessary.ts';
import type { UseCase } from './use-cases.ts';

export interface PromptSource {
  /**
   * Where the text came from (a FHIR resource id, transcript segment, knowledge chunk). The gateway renders a
   * server-made alias in its place (`source-aliases.ts`) and maps the model's citations back to it.
   */
  readonly sourceId: string;
  readonly category: DataCategory;
  /** Already de-identified. */
  readonly text: string;
}

export interface PromptTemplate {
  readonly useCase: UseCase;
  /** Bumped whenever the wording changes; recorded with every draft so reviewers know what produced it. */
  readonly version: string;
  readonly system: string;
  readonly maxOutputTokens: number;
  render(sources: readonly PromptSource[], instructions?: string): string;
}

/** Shared by every template: how to treat the tokens that stand in for identifiers. */
export const TOKEN_RULES = [
  'Identifiers in the sources were replaced by tokens such as [NAME_7Q2K9D] or [DATE_0M4C1T].',
  'Copy a token exactly, brackets included, wherever you refer to what it stands for.',
  'Never invent names, dates, places, phone numbers, record numbers or any other identifier, and never guess what a token hides.',
  'State only what the sources support; write "not documented" rather than guess.',
  'Cite the source id in square brackets after each statement, e.g. (source: obs-12).',
].join('\n');

function escapeAttribute(value: string): string {
  return value.replace(/[^A-Za-z0-9._:/-]/g, '_');
}

export function definePrompt(definition: {
  useCase: UseCase;
  version: string;
  role: string;
  task: string;
  maxOutputTokens: number;
}): PromptTemplate {
  const system = `${definition.role}\n\n${TOKEN_RULES}\n\n${definition.task}`;
  return {
    useCase: definition.useCase,
    version: definition.version,
    system,
    maxOutputTokens: definition.maxOutputTokens,
    render(sources, instructions) {
      const blocks = sources.map(
        (source) =>
          `<source id="${escapeAttribute(source.sourceId)}" category="${source.category}">\n${source.text}\n</source>`,
      );
      return [instructions ? `Clinician's instructions:\n${instructions}` : '', 'Sources:', ...blocks]
        .filter(Boolean)
        .join('\n\n');
    },
  };
}
