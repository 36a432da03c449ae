/** POST /v1/knowledge/ask: a staff question answered from the practice's documents, every claim cited. */
import { z } from 'zod';
import { aiGatewayPortsOf } from '../../shared/ai/gateway-ports.ts';
import { httpHandler } from '../../shared/api/http-handler.ts';
import { Purpose } from '../../shared/audit/audit-entry.ts';
import { answerQuestion } from '../../shared/knowledge/answer-question.ts';

export const handler = httpHandler({
  action: 'knowledge.ask',
  auth: 'user',
  body: z.object({ question: z.string().min(3).max(2000), purpose: Purpose.default('operations') }).strict(),
  run: async ({ body, caller, ports, audit }) => {
    const answer = await answerQuestion(
      { question: body.question, caller, purpose: body.purpose },
      {
        index: await ports.knowledgeIndex.current(),
        gateway: aiGatewayPortsOf(ports, audit),
      },
    );
    return { status: 200, body: answer };
  },
});
