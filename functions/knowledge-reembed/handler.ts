/** POST /v1/knowledge/reembed: saves a vector beside every stored chunk that lacks one of the current model. */
import { httpHandler } from '../../shared/api/http-handler.ts';
import { reembedKnowledge } from '../../shared/knowledge/reembed-knowledge.ts';

/** Leaves room inside API Gateway's 29-second limit for the last document and the response. */
const BUDGET_MS = 20_000;

export const handler = httpHandler({
  action: 'knowledge.manage',
  auth: 'user',
  run: async ({ ports, audit }) => {
    await audit.allowed();
    const result = await reembedKnowledge(
      { store: ports.knowledgeStore, index: await ports.knowledgeIndex.current(), clock: ports.clock },
      { budgetMs: BUDGET_MS },
    );
    return { status: 200, body: result };
  },
});
