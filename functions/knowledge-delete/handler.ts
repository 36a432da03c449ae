/** DELETE /v1/knowledge/documents/{documentId}: withdraws a document and all its chunks. */
import { z } from 'zod';
import { httpHandler } from '../../shared/api/http-handler.ts';
import { deleteDocument } from '../../shared/knowledge/ingest-document.ts';
import { DocumentId } from '../../shared/knowledge/knowledge-document.ts';

export const handler = httpHandler({
  action: 'knowledge.manage',
  auth: 'user',
  path: z.object({ documentId: DocumentId }).strict(),
  run: async ({ path, ports, audit }) => {
    await audit.allowed();
    await deleteDocument(path.documentId, {
      store: ports.knowledgeStore,
      index: await ports.knowledgeIndex.current(),
    });
    return { status: 200, body: { documentId: path.documentId, deleted: true } };
  },
});
