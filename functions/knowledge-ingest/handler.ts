/** POST /v1/knowledge/documents: adds or replaces a practice document; rejected with the entity list if it holds PHI. */
import { httpHandler } from '../../shared/api/http-handler.ts';
import { ingestDocument } from '../../shared/knowledge/ingest-document.ts';
import { KnowledgeDocumentInput } from '../../shared/knowledge/knowledge-document.ts';

export const handler = httpHandler({
  action: 'knowledge.manage',
  auth: 'user',
  body: KnowledgeDocumentInput,
  // A base64 PDF of up to 3 MB plus metadata; Lambda takes at most 6 MB synchronously.
  maxBodyBytes: 5 * 1024 * 1024,
  run: async ({ body, caller, ports, audit }) => {
    await audit.allowed();
    const document = await ingestDocument(body, caller.userId, {
      detector: ports.phiDetector,
      store: ports.knowledgeStore,
      index: await ports.knowledgeIndex.current(),
      clock: ports.clock,
    });
    return { status: 201, body: document };
  },
});
