/** POST /v1/policy/models/{modelId}/retire: withdraws a model's approval; it is kept for the record. */
import { z } from 'zod';
import { httpHandler } from '../../shared/api/http-handler.ts';
import { ModelSlug } from '../../shared/policy/approved-model.ts';
import { retireApprovedModel } from '../../shared/policy/approved-model-registry.ts';

export const handler = httpHandler({
  action: 'policy.manage',
  auth: 'user',
  path: z.object({ modelId: ModelSlug }).strict(),
  body: z.object({ expectedVersion: z.number().int().positive() }).strict(),
  run: async ({ path, body, caller, ports, audit }) => {
    await audit.allowed({ resource: { approvedModelId: path.modelId } });
    const model = await retireApprovedModel(path.modelId, body.expectedVersion, caller.userId, {
      store: ports.policy,
      clock: ports.clock,
    });
    return { status: 200, body: model };
  },
});
