/**
 * `coding-review`: documentation vs. the claimed CPT and ICD-10-CM codes. After de-identification, ICD-10-CM codes
 * are inferred from the tokenized documentation and compared with the claim by the rules in `shared/coding/`; the
 * PHI-free findings join the prompt. Everything is a suggestion for a certified coder; nothing is applied to a claim.
 */
import { z } from 'zod';
import type { PromptSource } from '../../ai/prompt-template.ts';
import { CODING_REVIEW_HEADINGS } from '../../ai/prompts/coding-review.ts';
import { CPT_PATTERN, CptCode, ICD10CM_PATTERN, Icd10CmCode } from '../../coding/code-formats.ts';
import {
  type ClaimedCodes,
  type CodingFinding,
  type FindingKind,
  reviewClaimedCodes,
} from '../../coding/review-claimed-codes.ts';
import type { CodeInference, InferredCode } from '../../ports/code-inference.ts';
import { parseDraftInput } from './draft-input.ts';
import { parseSectionedReply, renderSections } from './draft-output.ts';
import type { DraftUseCaseSpec } from './draft-use-cases.ts';

export const DOCUMENTATION_SOURCE_ID = 'request/documentation';
export const CLAIMED_CODES_SOURCE_ID = 'request/claimed-codes';
export const FINDINGS_SOURCE_ID = 'coding/findings';

export const CodingReviewInput = z
  .object({
    documentation: z.string().trim().min(1).max(50_000),
    claimedCodes: z.object({
      icd10cm: z.array(Icd10CmCode).max(50).default([]),
      cpt: z.array(CptCode).max(50).default([]),
    }),
  })
  .refine((input) => input.claimedCodes.icd10cm.length + input.claimedCodes.cpt.length > 0, {
    message: 'claim at least one code',
    path: ['claimedCodes'],
  });

const ICD_LINE = 'Claimed ICD-10-CM codes:';
const CPT_LINE = 'Claimed CPT codes:';

function claimedCodesText(claimed: ClaimedCodes): string {
  return [
    `${ICD_LINE} ${claimed.icd10cm.join(', ') || 'none'}.`,
    `${CPT_LINE} ${claimed.cpt.join(', ') || 'none'}.`,
  ].join('\n');
}

/**
 * Reads the claim back from its (tokenized) source. A code the de-identifier replaced with a token is not read, so
 * it shows as not reviewed rather than being guessed.
 */
export function readClaimedCodes(text: string): ClaimedCodes {
  const listAfter = (label: string): string[] => {
    const line = text.split('\n').find((candidate) => candidate.startsWith(label));
    return (line ?? '')
      .slice(label.length)
      .replace(/\.$/, '')
      .split(',')
      .map((code) => code.trim());
  };
  return {
    icd10cm: listAfter(ICD_LINE).filter((code) => ICD10CM_PATTERN.test(code)),
    cpt: listAfter(CPT_LINE).filter((code) => CPT_PATTERN.test(code)),
  };
}

const HEADING_OF: Readonly<Record<FindingKind, (typeof CODING_REVIEW_HEADINGS)[number]>> = {
  supported: 'Supported codes',
  unsupported: 'Unsupported codes',
  'under-coding': 'Possible under-coding',
  'documentation-gap': 'Documentation gaps',
};

function named(code: string, description: string | undefined): string {
  return description ? `${code} (${description})` : code;
}

function scoreOf(finding: CodingFinding): string {
  return finding.score === undefined ? '' : ` (inference score ${finding.score.toFixed(2)})`;
}

/** One sentence per finding, led by its heading so it cannot be filed under another one. */
export function findingSentence(finding: CodingFinding): string {
  const code = `${finding.system} ${named(finding.code, finding.description)}`;
  const related = finding.relatedCode ?? '';
  const detail: Record<CodingFinding['reason'], string> = {
    DOCUMENTED: `claimed ${code} is documented${scoreOf(finding)}.`,
    DOCUMENTED_MORE_SPECIFICALLY: `claimed ${code} is documented, more specifically as ${related}${scoreOf(finding)}.`,
    NOT_DOCUMENTED: `claimed ${code} was not found in the documentation.`,
    DOCUMENTED_AS_ABSENT: `claimed ${code} is documented as absent (negated).`,
    ONLY_RELATED_CODE_DOCUMENTED: `claimed ${code} is not documented; the documentation points to ${related} instead${scoreOf(finding)}.`,
    NOT_CLAIMED: `${code} is documented${scoreOf(finding)} but no code of its category is claimed.`,
    MORE_SPECIFIC_CODE_DOCUMENTED: `${code} is documented${scoreOf(finding)} and is more specific than the claimed ${related}.`,
    RELATED_CODE_DOCUMENTED: `${code} is documented${scoreOf(finding)}; the claim has ${related} from the same category.`,
    UNSPECIFIED_CODE: `claimed ${code} is an unspecified code; more detail in the note may support a specific one.`,
    LOW_CONFIDENCE: `${code} was found only with low confidence${scoreOf(finding)}; the note may need to state it clearly.`,
    CPT_NOT_VERIFIED: `claimed ${code} is not checked by code inference; the coder confirms the documented service and level.`,
  };
  return `${HEADING_OF[finding.kind]}: ${detail[finding.reason]}`;
}

function inferenceLine(code: InferredCode): string {
  const polarity = code.negated ? 'documented as absent' : `score ${code.score.toFixed(2)}`;
  return `- ${named(code.code, code.description)}: ${polarity}.`;
}

/** The PHI-free source the model (and the offline client) sees: the findings, then every inferred code. */
export function findingsText(
  findings: readonly CodingFinding[],
  inferred: readonly InferredCode[],
  inference: Pick<CodeInference, 'name' | 'isStandIn'>,
): string {
  const engine = inference.isStandIn
    ? `${inference.name} (STAND-IN table matcher, not a coding engine)`
    : inference.name;
  return [
    'Rule findings for the certified coder:',
    ...findings.map(findingSentence),
    '',
    `Inferred codes by ${engine}:`,
    ...(inferred.length > 0 ? inferred.map(inferenceLine) : ['- none']),
  ].join('\n');
}

export const codingReview: DraftUseCaseSpec = {
  input: CodingReviewInput,
  // Coding is billing's decision (a certified coder), not the clinician's.
  reviewerRoles: ['billing'],
  needsPatientScope: true,
  async buildSources(input) {
    const { documentation, claimedCodes } = parseDraftInput(CodingReviewInput, input);
    return {
      sources: [
        { sourceId: DOCUMENTATION_SOURCE_ID, category: 'notes', text: documentation },
        { sourceId: CLAIMED_CODES_SOURCE_ID, category: 'billing', text: claimedCodesText(claimedCodes) },
      ],
    };
  },
  async enrich(tokenized, context) {
    // Only tokenized text reaches the inference service: the same text the model would see.
    const documentation = tokenized.find((source) => source.sourceId === DOCUMENTATION_SOURCE_ID)?.text ?? '';
    const claim = tokenized.find((source) => source.sourceId === CLAIMED_CODES_SOURCE_ID)?.text ?? '';
    const inferred = await context.codeInference.inferIcd10Cm(documentation);
    const findings = reviewClaimedCodes(readClaimedCodes(claim), inferred);
    const source: PromptSource = {
      sourceId: FINDINGS_SOURCE_ID,
      category: 'billing',
      text: findingsText(findings, inferred, context.codeInference),
    };
    return [source];
  },
  parseOutput: (replyText, sourceIds) => parseSectionedReply(replyText, CODING_REVIEW_HEADINGS, sourceIds),
  render: (content) =>
    renderSections(content, {
      preamble: ['CODING REVIEW: suggestions for a certified coder. Nothing here has been applied to a claim.'],
    }),
};
