/** POST /v1/public/faq: patients' administrative questions, answered only from public documents; no login. */
import { z } from 'zod';
import { httpHandler } from '../../shared/api/http-handler.ts';
import { answerFaq } from '../../shared/knowledge/answer-faq.ts';

export const handler = httpHandler({
  action: 'faq.ask',
  auth: 'none',
  body: z.object({ message: z.string().min(1).max(1000) }).strict(),
  maxBodyBytes: 8 * 1024,
  run: async ({ body, ports }) => {
    const index = await ports.knowledgeIndex.current();
    return { status: 200, body: await answerFaq(body.message, { detector: ports.phiDetector, index }) };
  },
});
