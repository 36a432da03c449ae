/**
 * Checks a model's reply before anyone sees it: every identifier in it must be a vault token issued for this
 * request. A span the detector finds outside a token, or a token the request never issued, quarantines the reply.
 */

import type { PhiType } from '../phi/phi-types.ts';
import { findTokens } from '../phi/vault-token.ts';
import type { PhiDetector } from '../ports/phi-detector.ts';

export interface OutputCheck {
  readonly passed: boolean;
  /** Types of identifiers found outside tokens (never their values). */
  readonly untokenizedTypes: PhiType[];
  /** How many tokens in the reply this request did not issue (invented or copied from elsewhere). */
  readonly foreignTokenCount: number;
}

/**
 * `sourceIds` are the ids of the sources the prompt cited (chunk ids, resource ids): the model is asked to cite
 * them, they are not identifiers of a person, and they are masked like tokens before the re-scan.
 */
export async function checkModelOutput(
  reply: string,
  issuedTokens: ReadonlySet<string>,
  detector: PhiDetector,
  sourceIds: readonly string[] = [],
): Promise<OutputCheck> {
  const tokens = findTokens(reply);
  const foreignTokenCount = tokens.filter((token) => !issuedTokens.has(token.token)).length;
  // Tokens and cited source ids are masked with same-length filler, so offsets still line up and neither is flagged.
  let masked = '';
  let cursor = 0;
  for (const token of tokens) {
    masked += reply.slice(cursor, token.begin) + ' '.repeat(token.end - token.begin);
    cursor = token.end;
  }
  masked += reply.slice(cursor);
  for (const sourceId of [...sourceIds].sort((a, b) => b.length - a.length)) {
    if (sourceId.length > 0) masked = masked.split(sourceId).join(' '.repeat(sourceId.length));
  }
  // PROFESSION is not a Safe Harbor identifier, and replies name roles ("the cardiologist") all the time.
  const spans = (await detector.detect(masked)).filter((span) => span.type !== 'PROFESSION');
  const untokenizedTypes = [...new Set(spans.map((span) => span.type))];
  return { passed: untokenizedTypes.length === 0 && foreignTokenCount === 0, untokenizedTypes, foreignTokenCount };
}
