/** GET /v1/knowledge/documents: the documents in the knowledge base, with owners and review dates. */
import { httpHandler } from '../../shared/api/http-handler.ts';

export const handler = httpHandler({
  action: 'knowledge.read',
  auth: 'user',
  run: async ({ ports }) => ({ status: 200, body: { documents: await ports.knowledgeStore.listDocuments() } }),
});
