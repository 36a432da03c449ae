/**
 * The letter use cases (prior authorization, appeal, referral): the clinician's key details, optionally the record,
 * and the practice's own requirements retrieved from the knowledge base as `reference` sources.
 */
import { z } from 'zod';
import type { AiSourceInput } from '../../ai/ai-gateway.ts';
import type { Role } from '../../identity/roles.ts';
import { FhirBundleInput, parseDraftInput, shortLabel } from './draft-input.ts';
import { parseSectionedReply, renderSections } from './draft-output.ts';
import type { DraftUseCaseSpec } from './draft-use-cases.ts';
import { knowledgeSources } from './knowledge-sources.ts';
import { bundleSources } from './record-sources.ts';

export const KEY_DETAILS_SOURCE_ID = 'request/key-details';
/** Enough practice-document chunks to quote the requirements, few enough to keep the prompt on the letter. */
export const REQUIREMENT_CHUNKS = 4;

export const LetterInput = z.object({
  /** The clinician's facts for the letter (may hold PHI; de-identified before any model sees it). */
  keyDetails: z.string().trim().min(1).max(20_000),
  bundle: FhirBundleInput.optional(),
  /** The payer's name as the practice's documents call it; used to find its requirements. */
  payer: shortLabel(100).optional(),
  /** The consultant's specialty (referrals). */
  specialty: shortLabel(100).optional(),
});
export type LetterInput = z.output<typeof LetterInput>;

export interface LetterDefinition {
  readonly headings: readonly string[];
  readonly reviewerRoles: readonly Role[];
  /** Fixed words plus the short labels only: never key details (see knowledgeSources). */
  requirementsQuery(input: LetterInput): string;
  /** A line for the model naming the payer/specialty, when given. */
  instructions(input: LetterInput): string | undefined;
}

export function defineLetterUseCase(definition: LetterDefinition): DraftUseCaseSpec {
  return {
    input: LetterInput,
    reviewerRoles: definition.reviewerRoles,
    needsPatientScope: true,
    async buildSources(input, context) {
      const letter = parseDraftInput(LetterInput, input);
      const sources: AiSourceInput[] = [
        { sourceId: KEY_DETAILS_SOURCE_ID, category: 'notes', text: letter.keyDetails },
        ...(letter.bundle ? bundleSources(letter.bundle, { includePatient: true }) : []),
        ...(await knowledgeSources(context, definition.requirementsQuery(letter), REQUIREMENT_CHUNKS)),
      ];
      const instructions = definition.instructions(letter);
      return instructions ? { sources, instructions } : { sources };
    },
    parseOutput: (replyText, sourceIds) => parseSectionedReply(replyText, definition.headings, sourceIds),
    render: (content) => renderSections(content),
  };
}
