/**
 * The public patient FAQ: no login, so nothing personal may come in and nothing clinical may go out. The message
 * is scanned first; PHI, a clinical question or an emergency gets a fixed safe reply, with nothing stored and no
 * model called. Otherwise the answer is the most relevant passages of the practice's public documents, quoted
 * with their source: extractive, so no model speaks to patients unreviewed.
 */

import type { ChunkIndex } from '../ports/knowledge-store.ts';
import type { PhiDetector } from '../ports/phi-detector.ts';
import { type Citation, citationOf } from './answer-question.ts';
import { FAQ_DISCLAIMER, FAQ_SAFE_REPLIES, screenFaqMessage } from './faq-guard.ts';

export const FAQ_NOT_FOUND =
  "We couldn't find that in our patient information. Please call the office during opening hours or send a " +
  'message through the secure patient portal.';

export interface FaqAnswer {
  readonly answer: string;
  readonly citations: Citation[];
  readonly refused: boolean;
  readonly reason?: string;
  readonly disclaimer: string;
}

export async function answerFaq(
  message: string,
  ports: { detector: PhiDetector; index: ChunkIndex },
): Promise<FaqAnswer> {
  let spans: { type: string }[];
  try {
    spans = await ports.detector.detect(message);
  } catch {
    // Fail closed: a message that could not be checked is treated as if it held PHI.
    spans = [{ type: 'UNCHECKED' }];
  }
  const screened = screenFaqMessage(message, spans);
  if (!screened.allowed) {
    return {
      answer: FAQ_SAFE_REPLIES[screened.reason],
      citations: [],
      refused: true,
      reason: screened.reason,
      disclaimer: FAQ_DISCLAIMER,
    };
  }
  // Screened above: a message with any PHI finding never gets here.
  const hits = await ports.index.search(message, 2, { audiences: ['public'], queryIsPhiFree: true });
  if (hits.length === 0) return { answer: FAQ_NOT_FOUND, citations: [], refused: false, disclaimer: FAQ_DISCLAIMER };
  return {
    answer: hits.map((hit) => `${hit.chunk.headingPath.at(-1) ?? hit.chunk.title}: ${hit.chunk.text}`).join('\n\n'),
    citations: hits.map(citationOf),
    refused: false,
    disclaimer: FAQ_DISCLAIMER,
  };
}
