/**
 * Use cases of incident reports: any staff member reports; the privacy officer moves the report from `open` to
 * `investigating` to `closed`. The description and resolution may hold PHI: return them to authorised callers
 * only, and never log, event or audit them (the `IncidentReported` event carries ids only).
 */
import { Conflict, NotFound, ValidationFailed } from '../errors/domain-errors.ts';
import type { Clock } from '../ports/clock.ts';
import type { Ids } from '../ports/ids.ts';
import type { PolicyStore } from '../ports/policy-store.ts';
import {
  INCIDENT_TRANSITIONS,
  type IncidentReport,
  type IncidentReportInput,
  type IncidentStatus,
  type IncidentTransitionInput,
} from './incident-report.ts';
import { dayOf } from './policy-fields.ts';

export interface IncidentPorts {
  readonly store: PolicyStore;
  readonly clock: Clock;
  readonly ids: Ids;
}

/** Stores a new `open` report. Publish `IncidentReported` from the result: id, kind and time only. */
export async function reportIncident(
  input: IncidentReportInput,
  reportedBy: string,
  ports: IncidentPorts,
): Promise<IncidentReport> {
  const now = ports.clock.now();
  if (input.occurredOn > dayOf(now)) {
    throw new ValidationFailed('OCCURRED_IN_FUTURE', 'An incident cannot have occurred after today');
  }
  const reportedAt = now.toISOString();
  const incident: IncidentReport = {
    id: ports.ids.next(),
    kind: input.kind,
    occurredOn: input.occurredOn,
    description: input.description,
    reportedBy,
    reportedAt,
    status: 'open',
    history: [{ status: 'open', at: reportedAt, by: reportedBy }],
  };
  await ports.store.createIncident(incident);
  return incident;
}

export async function getIncident(id: string, ports: Pick<IncidentPorts, 'store'>): Promise<IncidentReport> {
  const incident = await ports.store.getIncident(id);
  if (!incident) throw new NotFound('INCIDENT_NOT_FOUND', 'No incident has this id');
  return incident;
}

/** Incidents with one status, oldest report first. */
export async function listIncidents(
  status: IncidentStatus,
  ports: Pick<IncidentPorts, 'store'>,
): Promise<IncidentReport[]> {
  return ports.store.listIncidents(status);
}

/**
 * Moves the incident one step along `INCIDENT_TRANSITIONS`; any other move (or a concurrent one that got there
 * first) is refused with 409 INVALID_TRANSITION. Closing requires a resolution (400 RESOLUTION_REQUIRED).
 */
export async function transitionIncident(
  id: string,
  input: IncidentTransitionInput,
  changedBy: string,
  ports: Pick<IncidentPorts, 'store' | 'clock'>,
): Promise<IncidentReport> {
  if (input.to === 'closed' && input.resolution === undefined) {
    throw new ValidationFailed('RESOLUTION_REQUIRED', 'Closing an incident requires its resolution');
  }
  if (input.to !== 'closed' && input.resolution !== undefined) {
    throw new ValidationFailed('RESOLUTION_NOT_EXPECTED', 'A resolution is recorded only when closing an incident');
  }
  const stored = await getIncident(id, ports);
  if (!INCIDENT_TRANSITIONS[stored.status].includes(input.to)) throw invalidTransition();
  const at = ports.clock.now().toISOString();
  const updated: IncidentReport = {
    ...stored,
    status: input.to,
    ...(input.resolution === undefined ? {} : { resolution: input.resolution }),
    history: [...stored.history, { status: input.to, at, by: changedBy }],
  };
  if (!(await ports.store.updateIncident(updated, stored.status))) throw invalidTransition();
  return updated;
}

const invalidTransition = () =>
  new Conflict('INVALID_TRANSITION', 'The incident cannot move to this status from its current one');
