/** The draft use cases the workflow can run: how each builds its sources, parses the model's reply and renders it. */
import type { z } from 'zod';
import type { AiSourceInput } from '../../ai/ai-gateway.ts';
import type { PromptSource } from '../../ai/prompt-template.ts';
import type { UseCase } from '../../ai/use-cases.ts';
import type { Caller } from '../../identity/caller.ts';
import type { Role } from '../../identity/roles.ts';
import type { CodeInference } from '../../ports/code-inference.ts';
import { appealLetter } from './appeal-letter.ts';
import { codingReview } from './coding-review.ts';
import { patientInstructions } from './patient-instructions.ts';
import { priorAuthLetter } from './prior-auth-letter.ts';
import { recordSummary } from './record-summary.ts';
import { referralSummary } from './referral-summary.ts';
import { soapNote } from './soap-note.ts';

export type DraftUseCase = Exclude<UseCase, 'knowledge-answer'>;

export interface KnowledgeHit {
  readonly chunkId: string;
  readonly documentId: string;
  readonly title: string;
  readonly headingPath: readonly string[];
  readonly text: string;
}

export interface DraftBuildContext {
  readonly caller: Caller;
  readonly patientScope?: string;
  /** Ranked PHI-free practice-document chunks for a query (the workflow wires it to the knowledge index). */
  readonly searchKnowledge: (query: string, limit: number) => Promise<readonly KnowledgeHit[]>;
}

export interface DraftSources {
  readonly sources: readonly AiSourceInput[];
  readonly instructions?: string;
}

/** evidence = source ids; [] = "no evidence". */
export interface Statement {
  readonly text: string;
  readonly evidence: readonly string[];
}

export interface DraftSection {
  readonly heading: string;
  readonly statements: readonly Statement[];
}

export interface DraftContent {
  readonly sections: readonly DraftSection[];
  readonly unsupportedStatements: number;
}

export type ParsedDraftOutput =
  | { readonly ok: true; readonly content: DraftContent }
  | { readonly ok: false; readonly problem: string /* never echoes content */ };

export interface EnrichContext {
  readonly codeInference: CodeInference;
}

export interface DraftUseCaseSpec {
  /** The `input` field of POST /v1/drafts for this use case (feeds OpenAPI). */
  readonly input: z.ZodType;
  /** Who may approve/reject (coding-review: billing). */
  readonly reviewerRoles: readonly Role[];
  /** false only for patient-instructions. */
  readonly needsPatientScope: boolean;
  /** Raw input -> sources with categories (BEFORE any filtering/de-identification; the AI gateway does those). */
  buildSources(input: unknown, context: DraftBuildContext): Promise<DraftSources>;
  /** Optional: after de-identification, adds PHI-free prompt sources derived from the tokenized ones. */
  enrich?(tokenized: readonly PromptSource[], context: EnrichContext): Promise<readonly PromptSource[]>;
  /** Model reply (tokenized text) -> validated content; evidence ids not in sourceIds are dropped. */
  parseOutput(replyText: string, sourceIds: ReadonlySet<string>): ParsedDraftOutput;
  /** The text a reviewer reads and edits (tokens kept as they are; the workflow re-identifies for the reader). */
  render(content: DraftContent): string;
}

export const DRAFT_USE_CASES: Readonly<Record<DraftUseCase, DraftUseCaseSpec>> = {
  'soap-note': soapNote,
  'record-summary': recordSummary,
  'prior-auth-letter': priorAuthLetter,
  'appeal-letter': appealLetter,
  'referral-summary': referralSummary,
  'patient-instructions': patientInstructions,
  'coding-review': codingReview,
};
