/** GET /v1/knowledge/search?q=: the ranked chunks alone, with their document and heading path. */
import { z } from 'zod';
import { httpHandler } from '../../shared/api/http-handler.ts';
import { searchKnowledge } from '../../shared/knowledge/search-knowledge.ts';

export const handler = httpHandler({
  action: 'knowledge.read',
  auth: 'user',
  query: z.object({ q: z.string().min(2).max(500), limit: z.coerce.number().int().min(1).max(20).default(5) }).strict(),
  run: async ({ query, ports }) => {
    const index = await ports.knowledgeIndex.current();
    const hits = await searchKnowledge(
      { query: query.q, limit: query.limit, audiences: ['staff', 'public'] },
      { index, detector: ports.phiDetector },
    );
    return { status: 200, body: { retriever: index.name, hits } };
  },
});
