/**
 * The local runtime's embedded policy defaults, so every AI flow runs end to end on a fresh machine: a current
 * policy version to attest to, and the offline stand-in approved for every use case. Never used in AWS, where
 * the admin and privacy officer maintain the registry through the API.
 */
import { DATA_CATEGORIES, SPECIALLY_PROTECTED } from '../../shared/identity/minimum-necessary.ts';
import { listApprovedModels, upsertApprovedModel } from '../../shared/policy/approved-model-registry.ts';
import { getCurrentPolicyVersion, setPolicyVersion } from '../../shared/policy/policy-attestation.ts';
import { addDays, dayOf } from '../../shared/policy/policy-fields.ts';
import { USE_CASES } from '../../shared/policy/use-cases.ts';
import type { Ports } from '../../shared/runtime/ports.ts';

export const LOCAL_POLICY_VERSION = 'local-dev-1';
export const LOCAL_OFFLINE_MODEL_ID = 'offline-extractive';
const SEEDED_BY = 'local-runtime-seed';

export async function seedLocalPolicy(ports: Ports): Promise<void> {
  const store = { store: ports.policy, clock: ports.clock };
  const today = dayOf(ports.clock.now());
  const current = await getCurrentPolicyVersion({ store: ports.policy }).catch(() => undefined);
  if (!current) await setPolicyVersion({ version: LOCAL_POLICY_VERSION, effectiveOn: today }, SEEDED_BY, store);
  const models = await listApprovedModels({}, { store: ports.policy });
  if (models.some((model) => model.id === LOCAL_OFFLINE_MODEL_ID)) return;
  await upsertApprovedModel(
    {
      id: LOCAL_OFFLINE_MODEL_ID,
      vendor: 'clinical-ai-gateway (embedded)',
      modelId: 'offline-extractive-v1',
      client: 'offline',
      baa: { inPlace: false },
      permittedUseCases: [...USE_CASES],
      permittedDataCategories: DATA_CATEGORIES.filter((category) => !SPECIALLY_PROTECTED.includes(category)),
      vetting: {
        signsBaa: false,
        trainsOnCustomerData: false,
        trainingOptOut: true,
        retainsInputsDays: 0,
        humanReviewOfData: false,
        subprocessorsCovered: true,
        soc2OrEquivalentSeen: false,
        notes: 'Local development stand-in: runs in-process, sends nothing anywhere, and is not a language model.',
      },
      reviewer: SEEDED_BY,
      nextReviewOn: addDays(today, 365),
    },
    SEEDED_BY,
    store,
  );
}
