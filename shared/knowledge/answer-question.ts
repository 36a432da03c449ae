/**
 * Staff questions answered from the practice's own documents: retrieval, then the AI gateway (use case
 * `knowledge-answer`), then citations checked against the chunks actually retrieved. With nothing relevant
 * retrieved it says it does not know, without calling a model.
 */
import { type AiGatewayPorts, type AiResult, invokeAi } from '../ai/ai-gateway.ts';
import type { Purpose } from '../audit/audit-entry.ts';
import type { Caller } from '../identity/caller.ts';
import type { ChunkIndex } from '../ports/knowledge-store.ts';
import type { SearchHit } from './knowledge-document.ts';
import { isPhiFreeQuery } from './screen-query.ts';

export const DONT_KNOW =
  "I don't know: nothing in the practice's documents answers this. Ask the practice manager, or check whether a " +
  'protocol should be written for it.';

export interface Citation {
  readonly chunkId: string;
  readonly documentId: string;
  readonly title: string;
  readonly headingPath: readonly string[];
}

export interface KnowledgeAnswer {
  readonly answer: string;
  readonly citations: Citation[];
  /** Statements the model wrote without a source id; reviewers should treat them as unsupported. */
  readonly uncitedStatements: number;
  readonly answered: boolean;
  readonly model?: AiResult['model'];
}

const CITATION = /\(source:\s*([A-Za-z0-9._:/-]+)\)/g;

export function citationOf(hit: SearchHit): Citation {
  const { chunkId, documentId, title, headingPath } = hit.chunk;
  return { chunkId, documentId, title, headingPath };
}

export async function answerQuestion(
  request: { question: string; caller: Caller; purpose: Purpose },
  ports: { index: ChunkIndex; gateway: AiGatewayPorts; limit?: number },
): Promise<KnowledgeAnswer> {
  const hits = await ports.index.search(request.question, ports.limit ?? 5, {
    audiences: ['staff', 'public'],
    queryIsPhiFree: await isPhiFreeQuery(ports.gateway.detector, request.question),
  });
  if (hits.length === 0) return { answer: DONT_KNOW, citations: [], uncitedStatements: 0, answered: false };

  const result = await invokeAi(
    {
      useCase: 'knowledge-answer',
      caller: request.caller,
      purpose: request.purpose,
      sources: hits.map((hit) => ({
        sourceId: hit.chunk.chunkId,
        category: 'reference' as const,
        text: `${hit.chunk.title} > ${hit.chunk.headingPath.join(' > ')}\n${hit.chunk.text}`,
      })),
      instructions: `Question: ${request.question}`,
    },
    ports.gateway,
  );

  // Only ids of chunks that were retrieved count as citations: a model cannot cite a document it never saw.
  const byId = new Map(hits.map((hit) => [hit.chunk.chunkId, hit]));
  const cited = new Map<string, Citation>();
  for (const match of result.text.matchAll(CITATION)) {
    const hit = byId.get(match[1] ?? '');
    if (hit) cited.set(hit.chunk.chunkId, citationOf(hit));
  }
  const statements = result.text.split(/(?<=[.!?])\s+|\n+/).filter((line) => /[A-Za-z]{3}/.test(line));
  const uncitedStatements = statements.filter((line) => !CITATION.test(line) && !line.startsWith('[OFFLINE')).length;
  CITATION.lastIndex = 0;
  return {
    answer: result.text,
    citations: [...cited.values()],
    uncitedStatements,
    answered: true,
    model: result.model,
  };
}
