/**
 * GET /v1/policy/models: the practice's approved AI tools and models, with their BAA and vetting records; with
 * `historyOf`, every version one model has had, oldest first (who changed what, and when).
 */
import { z } from 'zod';
import { httpHandler } from '../../shared/api/http-handler.ts';
import { ModelSlug, ModelStatus } from '../../shared/policy/approved-model.ts';
import { listApprovedModels, listApprovedModelVersions } from '../../shared/policy/approved-model-registry.ts';

const ModelListQuery = z
  .object({
    status: ModelStatus.optional(),
    historyOf: ModelSlug.optional().describe(
      "An approved model's id: answer `{ versions }`, every version of that model, oldest first, instead of the list",
    ),
  })
  .strict()
  .refine((query) => query.status === undefined || query.historyOf === undefined, {
    message: 'status and historyOf cannot be combined',
  });

export const handler = httpHandler({
  action: 'policy.read',
  auth: 'user',
  query: ModelListQuery,
  run: async ({ query, ports }) => {
    const store = { store: ports.policy };
    if (query.historyOf !== undefined) {
      return { status: 200, body: { versions: await listApprovedModelVersions(query.historyOf, store) } };
    }
    return {
      status: 200,
      body: { models: await listApprovedModels(query.status ? { status: query.status } : {}, store) },
    };
  },
});
