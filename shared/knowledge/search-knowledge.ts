/** Searches the practice's documents for the audiences the caller decided; the query is scanned for PHI first. */
import { z } from 'zod';
import { ValidationFailed } from '../errors/domain-errors.ts';
import type { ChunkIndex } from '../ports/knowledge-store.ts';
import type { PhiDetector } from '../ports/phi-detector.ts';
import { Audience, type SearchHit } from './knowledge-document.ts';
import { isPhiFreeQuery } from './screen-query.ts';

export const MAX_SEARCH_LIMIT = 20;
export const DEFAULT_SEARCH_LIMIT = 5;
export const MAX_QUERY_CHARS = 1_000;

export const SearchKnowledgeRequest = z.object({
  query: z.string().trim().min(1).max(MAX_QUERY_CHARS),
  limit: z.number().int().min(1).max(MAX_SEARCH_LIMIT).default(DEFAULT_SEARCH_LIMIT),
  audiences: z.array(Audience).min(1),
});
export type SearchKnowledgeRequest = z.input<typeof SearchKnowledgeRequest>;

/** The best chunks for a question, best first. */
export async function searchKnowledge(
  request: SearchKnowledgeRequest,
  ports: { readonly index: ChunkIndex; readonly detector: PhiDetector },
): Promise<SearchHit[]> {
  const parsed = SearchKnowledgeRequest.safeParse(request);
  if (!parsed.success) {
    // Field names only: the message never echoes the query.
    const fields = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? 'request')))];
    throw new ValidationFailed('INVALID_SEARCH_REQUEST', 'The search request is not valid', { fields });
  }
  const { query, limit, audiences } = parsed.data;
  return ports.index.search(query, limit, { audiences, queryIsPhiFree: await isPhiFreeQuery(ports.detector, query) });
}
