/** GET /v1/policy/models: the practice's approved AI tools and models, with their BAA and vetting records. */
import { z } from 'zod';
import { httpHandler } from '../../shared/api/http-handler.ts';
import { ModelStatus } from '../../shared/policy/approved-model.ts';
import { listApprovedModels } from '../../shared/policy/approved-model-registry.ts';

export const handler = httpHandler({
  action: 'policy.read',
  auth: 'user',
  query: z.object({ status: ModelStatus.optional() }).strict(),
  run: async ({ query, ports }) => ({
    status: 200,
    body: { models: await listApprovedModels(query.status ? { status: query.status } : {}, { store: ports.policy }) },
  }),
});
