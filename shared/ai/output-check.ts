/**
 * Checks a model's reply before anyone sees it: every identifier in it must be a vault token issued for this
 * request. A span the detector finds outside a token, or a token the request never issued, quarantines the reply.
 */

import type { PhiType } from '../phi/phi-types.ts';
import { detectOrFail } from '../phi/scan-text.ts';
import { findTokens } from '../phi/vault-token.ts';
import type { PhiDetector } from '../ports/phi-detector.ts';

export interface OutputCheck {
  readonly passed: boolean;
  /** Types of identifiers found outside tokens (never their values). */
  readonly untokenizedTypes: PhiType[];
  /** How many tokens in the reply this request did not issue (invented or copied from elsewhere). */
  readonly foreignTokenCount: number;
}

export interface OutputMasks {
  /**
   * Where the reply cites a source (server-made ids such as `s3`, found only in citation forms): not identifiers of
   * a person, masked like tokens before the re-scan. Offsets only: nothing else in the reply is ever masked.
   */
  readonly citations?: readonly { readonly begin: number; readonly end: number }[];
  /** A sectioned template's fixed, PHI-free headings, masked where they stand as whole words. */
  readonly headings?: readonly string[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Same-length filler over each span, so offsets still line up. */
function blank(text: string, spans: readonly { readonly begin: number; readonly end: number }[]): string {
  const chars = text.split('');
  for (const span of spans) for (let index = span.begin; index < span.end; index++) chars[index] = ' ';
  return chars.join('');
}

/**
 * Fails closed like de-identification: a detector that cannot run (or returns malformed spans) throws
 * `DeidentificationFailed` (503 DEID_FAILED), and the caller must treat the reply as undeliverable.
 */
export async function checkModelOutput(
  reply: string,
  issuedTokens: ReadonlySet<string>,
  detector: PhiDetector,
  masks: OutputMasks = {},
): Promise<OutputCheck> {
  const tokens = findTokens(reply);
  const foreignTokenCount = tokens.filter((token) => !issuedTokens.has(token.token)).length;
  const headingSpans = (masks.headings ?? [])
    .filter((heading) => heading.trim() !== '')
    .flatMap((heading) =>
      [...reply.matchAll(new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(heading)}(?![A-Za-z0-9])`, 'g'))].map((match) => ({
        begin: match.index,
        end: match.index + match[0].length,
      })),
    );
  const masked = blank(reply, [...tokens, ...(masks.citations ?? []), ...headingSpans]);
  // PROFESSION is not a Safe Harbor identifier, and replies name roles ("the cardiologist") all the time.
  const spans = (await detectOrFail(detector, masked)).filter((span) => span.type !== 'PROFESSION');
  const untokenizedTypes = [...new Set(spans.map((span) => span.type))];
  return { passed: untokenizedTypes.length === 0 && foreignTokenCount === 0, untokenizedTypes, foreignTokenCount };
}
