/**
 * Use cases of incident reports: any staff member reports; the privacy officer moves the report from `open` to
 * `investigating` to `closed`. The description and resolution may hold PHI: return them to authorised callers
 * only, and never log, event or audit them (the `IncidentReported` event carries ids only).
 */
import { createHash } from 'node:crypto';
import { Conflict, NotFound, ServiceUnavailable, ValidationFailed } from '../errors/domain-errors.ts';
import { createEvent } from '../events/event-definition.ts';
import { log } from '../observability/telemetry.ts';
import type { Clock } from '../ports/clock.ts';
import type { EventPublisher } from '../ports/event-publisher.ts';
import type { Ids } from '../ports/ids.ts';
import type { PolicyStore } from '../ports/policy-store.ts';
import {
  INCIDENT_TRANSITIONS,
  type IncidentReport,
  IncidentReported,
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

export interface IncidentFilingPorts extends IncidentPorts {
  readonly events: EventPublisher;
}

export interface FiledIncident {
  readonly incident: IncidentReport;
  /** True when an earlier request with the same idempotency key had already stored this incident. */
  readonly replayed: boolean;
}

/** Deterministic per reporter and key, so a retried POST finds the incident the first attempt stored. */
function keyedIncidentId(reportedBy: string, idempotencyKey: string): string {
  const seed = `incident-report\n${reportedBy}\n${idempotencyKey}`;
  return `incident-${createHash('sha256').update(seed).digest('hex').slice(0, 32)}`;
}

/**
 * Stores a new `open` report, marked as owing its `IncidentReported` event (see `fileIncidentReport`). With an
 * idempotency key the id comes from the reporter and the key; a second store under it is refused by the store.
 */
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
    id: input.idempotencyKey === undefined ? ports.ids.next() : keyedIncidentId(reportedBy, input.idempotencyKey),
    kind: input.kind,
    occurredOn: input.occurredOn,
    description: input.description,
    reportedBy,
    reportedAt,
    status: 'open',
    history: [{ status: 'open', at: reportedAt, by: reportedBy }],
    notificationOwed: true,
  };
  await ports.store.createIncident(incident);
  return incident;
}

/**
 * POST /v1/incidents: stores the report, then publishes `IncidentReported` (id, kind and time only) for the privacy
 * officer's notice. The report is stored first because it must never be lost to a bus outage; the marker
 * `notificationOwed` is the outbox entry, cleared once the bus accepts the event. A failed publish answers 503
 * INCIDENT_NOTIFICATION_PENDING (with the incident id); a retry with the same idempotency key finds the stored
 * report rather than filing it twice, and publishes the event if it is still owed. Delivery is at least once: a
 * publish that succeeded but was reported lost is repeated by the retry.
 */
export async function fileIncidentReport(
  input: IncidentReportInput,
  reportedBy: string,
  ports: IncidentFilingPorts,
): Promise<FiledIncident> {
  const key = input.idempotencyKey;
  const earlier = key === undefined ? undefined : await ports.store.getIncident(keyedIncidentId(reportedBy, key));
  if (earlier) return { incident: await announce(sameReport(earlier, input, reportedBy), ports), replayed: true };
  let incident: IncidentReport;
  try {
    incident = await reportIncident(input, reportedBy, ports);
  } catch (error) {
    // Two retries of the same report raced: the first one's incident is the answer.
    const raced = key === undefined ? undefined : await ports.store.getIncident(keyedIncidentId(reportedBy, key));
    if (!raced) throw error;
    return { incident: await announce(sameReport(raced, input, reportedBy), ports), replayed: true };
  }
  return { incident: await announce(incident, ports), replayed: false };
}

/** The stored incident, if the retried request reports the same thing; another report under the key is a 409. */
function sameReport(stored: IncidentReport, input: IncidentReportInput, reportedBy: string): IncidentReport {
  const same =
    stored.reportedBy === reportedBy &&
    stored.kind === input.kind &&
    stored.occurredOn === input.occurredOn &&
    stored.description === input.description;
  if (!same) {
    throw new Conflict('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used for a different report');
  }
  return stored;
}

/** Publishes the event the incident still owes and clears the marker; an incident owing nothing is returned as is. */
async function announce(incident: IncidentReport, ports: Pick<IncidentFilingPorts, 'store' | 'events'>) {
  if (!incident.notificationOwed) return incident;
  const { notificationOwed: _owed, ...announced } = incident;
  try {
    await ports.events.publish([
      createEvent(IncidentReported, { incidentId: incident.id, kind: incident.kind, reportedAt: incident.reportedAt }),
    ]);
  } catch (error) {
    log.error('incident reported event not published', error, { incidentId: incident.id });
    throw new ServiceUnavailable(
      'INCIDENT_NOTIFICATION_PENDING',
      'The incident was recorded but the privacy officer could not be notified yet; retry with the same idempotency key',
      { incidentId: incident.id },
    );
  }
  try {
    // A lost condition: the privacy officer moved the incident meanwhile, so has seen it; the marker may stay.
    await ports.store.updateIncident(announced, incident.status);
  } catch (error) {
    // The notice went out: the report stands. A stale marker only means a retry with the key notifies once more.
    log.error('incident notification marker not cleared', error, { incidentId: incident.id });
  }
  return announced;
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

/** Reports younger than this may still be in their own request's hands (it publishes right after storing). */
export const OWED_NOTICE_GRACE_MS = 5 * 60 * 1000;

/**
 * The outbox's sweeper: sends the notice every open report still owes once its own request has had time to, so a
 * report filed without an idempotency key (nobody will retry it) still reaches the privacy officer. A notice the bus
 * refuses again stays owed for the next run.
 */
export async function sweepOwedIncidentNotices(
  ports: Pick<IncidentFilingPorts, 'store' | 'events' | 'clock'>,
): Promise<{ readonly announced: number; readonly stillOwed: number }> {
  const cutoff = ports.clock.now().getTime() - OWED_NOTICE_GRACE_MS;
  let announced = 0;
  let stillOwed = 0;
  for (const incident of await ports.store.listIncidents('open')) {
    if (!incident.notificationOwed || Date.parse(incident.reportedAt) > cutoff) continue;
    try {
      await announce(incident, ports);
      announced++;
    } catch (error) {
      if (!(error instanceof ServiceUnavailable)) throw error;
      stillOwed++;
    }
  }
  return { announced, stillOwed };
}
