/** Use cases of the approved-model inventory: upsert with optimistic concurrency, get, list, history and retire. */
import { Conflict, NotFound, ValidationFailed } from '../errors/domain-errors.ts';
import type { Clock } from '../ports/clock.ts';
import type { PolicyStore } from '../ports/policy-store.ts';
import type { ApprovedModel, ApprovedModelInput, ModelStatus } from './approved-model.ts';
import { distinct } from './policy-fields.ts';

export interface ModelRegistryPorts {
  readonly store: PolicyStore;
  readonly clock: Clock;
}

const versionConflict = () =>
  new Conflict('VERSION_CONFLICT', 'The model was changed by someone else; reload it and apply your change again');

/**
 * Creates the model (no `expectedVersion`) or replaces it (`expectedVersion` = the stored version); the result
 * carries the next version. Without `status`, a new model is active and a stored one keeps its status, so editing a
 * retired model's notes cannot re-activate it. Refuses with 409 VERSION_CONFLICT when the stored version is another.
 */
export async function upsertApprovedModel(
  input: ApprovedModelInput,
  updatedBy: string,
  ports: ModelRegistryPorts,
): Promise<ApprovedModel> {
  const { expectedVersion, status, ...fields } = input;
  if (fields.baa.inPlace && fields.baa.executedOn === undefined) {
    throw new ValidationFailed('BAA_DATE_REQUIRED', 'A BAA recorded as in place needs the date it was executed');
  }
  const stored = await ports.store.getModel(fields.id);
  if (stored?.version !== expectedVersion) throw versionConflict();
  const model: ApprovedModel = {
    ...fields,
    permittedUseCases: distinct(fields.permittedUseCases),
    permittedDataCategories: distinct(fields.permittedDataCategories),
    status: status ?? stored?.status ?? 'active',
    version: (stored?.version ?? 0) + 1,
    updatedBy,
    updatedAt: ports.clock.now().toISOString(),
  };
  if (!(await ports.store.putModel(model, stored?.version))) throw versionConflict();
  return model;
}

export async function getApprovedModel(id: string, ports: Pick<ModelRegistryPorts, 'store'>): Promise<ApprovedModel> {
  const model = await ports.store.getModel(id);
  if (!model) throw new NotFound('MODEL_NOT_FOUND', 'No approved model has this id');
  return model;
}

/**
 * Every version the model has had, oldest first, the current one last: who changed what and when (each version
 * carries `updatedBy` and `updatedAt`). 404 MODEL_NOT_FOUND for an unknown id.
 */
export async function listApprovedModelVersions(
  id: string,
  ports: Pick<ModelRegistryPorts, 'store'>,
): Promise<ApprovedModel[]> {
  const current = await getApprovedModel(id, ports);
  // The store keeps each replaced version; the current one is added here, whatever the store holds for it.
  const earlier = (await ports.store.listModelVersions(id)).filter((model) => model.version < current.version);
  return [...earlier.sort((a, b) => a.version - b.version), current];
}

/** The inventory sorted by id, optionally only the models with one status. */
export async function listApprovedModels(
  filter: { readonly status?: ModelStatus },
  ports: Pick<ModelRegistryPorts, 'store'>,
): Promise<ApprovedModel[]> {
  const models = await ports.store.listModels();
  return filter.status === undefined ? models : models.filter((model) => model.status === filter.status);
}

/**
 * Retires the model so that no request uses it from now on; the record stays as inventory history. Retiring a
 * retired model at its current version changes nothing.
 */
export async function retireApprovedModel(
  id: string,
  expectedVersion: number,
  retiredBy: string,
  ports: ModelRegistryPorts,
): Promise<ApprovedModel> {
  const stored = await getApprovedModel(id, ports);
  if (stored.version !== expectedVersion) throw versionConflict();
  if (stored.status === 'retired') return stored;
  const retired: ApprovedModel = {
    ...stored,
    status: 'retired',
    version: stored.version + 1,
    updatedBy: retiredBy,
    updatedAt: ports.clock.now().toISOString(),
  };
  if (!(await ports.store.putModel(retired, stored.version))) throw versionConflict();
  return retired;
}
