/** The practice's own (PHI-free) documents as draft sources, cited by `chunk/<chunkId>`. */
import type { AiSourceInput } from '../../ai/ai-gateway.ts';
import type { DraftBuildContext, KnowledgeHit } from './draft-use-cases.ts';

export const KNOWLEDGE_SOURCE_PREFIX = 'chunk/';

export function knowledgeSource(hit: KnowledgeHit): AiSourceInput {
  const where = [hit.title, ...hit.headingPath].filter((part) => part.trim() !== '').join(' > ');
  return {
    sourceId: `${KNOWLEDGE_SOURCE_PREFIX}${hit.chunkId}`,
    category: 'reference',
    text: where ? `${where}:\n${hit.text}` : hit.text,
  };
}

/**
 * Retrieves practice documents for a query built only from fixed words and short schema-checked labels: never the
 * clinician's free text, which may hold PHI and would otherwise reach the retriever (and, in AWS, an embedding model).
 */
export async function knowledgeSources(
  context: DraftBuildContext,
  query: string,
  limit: number,
): Promise<AiSourceInput[]> {
  const hits = await context.searchKnowledge(query, limit);
  const seen = new Set<string>();
  return hits.filter((hit) => !seen.has(hit.chunkId) && seen.add(hit.chunkId)).map(knowledgeSource);
}
