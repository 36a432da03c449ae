/** PUT /v1/policy/models/{modelId}: approves or updates a model (optimistic concurrency by version). */
import { z } from 'zod';
import { httpHandler } from '../../shared/api/http-handler.ts';
import { ValidationFailed } from '../../shared/errors/domain-errors.ts';
import { ApprovedModelInput, ModelSlug } from '../../shared/policy/approved-model.ts';
import { upsertApprovedModel } from '../../shared/policy/approved-model-registry.ts';

export const handler = httpHandler({
  action: 'policy.manage',
  auth: 'user',
  path: z.object({ modelId: ModelSlug }).strict(),
  body: ApprovedModelInput,
  run: async ({ path, body, caller, ports, audit }) => {
    if (body.id !== path.modelId) throw new ValidationFailed('ID_MISMATCH', 'The body id must match the path');
    // Names the entry, so the inventory's changes can be matched to its versions (GET ...?historyOf=).
    await audit.allowed({ resource: { approvedModelId: path.modelId } });
    const model = await upsertApprovedModel(body, caller.userId, { store: ports.policy, clock: ports.clock });
    return { status: 200, body: model };
  },
});
