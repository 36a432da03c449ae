import { describe, expect, it } from 'vitest';
import { Conflict, NotFound, ServiceUnavailable, ValidationFailed } from '../../../shared/errors/domain-errors.ts';
import { createEvent, type DomainEvent } from '../../../shared/events/event-definition.ts';
import { IncidentReported, type IncidentReportInput } from '../../../shared/policy/incident-report.ts';
import {
  fileIncidentReport,
  getIncident,
  listIncidents,
  reportIncident,
  sweepOwedIncidentNotices,
  transitionIncident,
} from '../../../shared/policy/incident-workflow.ts';
import { fixedClock, InMemoryPolicyStore, sequentialIds } from './policy-fakes.ts';

const DESCRIPTION = 'Pasted the visit note of Jane Roe (DOB 1980-04-02) into a public chatbot';

function arrange() {
  return { store: new InMemoryPolicyStore(), clock: fixedClock('2026-03-10T09:00:00Z'), ids: sequentialIds('inc') };
}

const report = (ports: ReturnType<typeof arrange>) =>
  reportIncident({ kind: 'phi-in-unapproved-tool', occurredOn: '2026-03-09', description: DESCRIPTION }, 'ma-1', ports);

describe('incident workflow', () => {
  describe('reportIncident', () => {
    it('stores an open report with its first history entry', async () => {
      const ports = arrange();
      const incident = await report(ports);

      expect(incident).toEqual({
        id: 'inc-1',
        kind: 'phi-in-unapproved-tool',
        occurredOn: '2026-03-09',
        description: DESCRIPTION,
        reportedBy: 'ma-1',
        reportedAt: '2026-03-10T09:00:00.000Z',
        status: 'open',
        history: [{ status: 'open', at: '2026-03-10T09:00:00.000Z', by: 'ma-1' }],
        notificationOwed: true,
      });
      expect(await getIncident('inc-1', ports)).toEqual(incident);
    });

    it('refuses an incident dated after today with 400 OCCURRED_IN_FUTURE', async () => {
      const error = await reportIncident(
        { kind: 'other', occurredOn: '2026-03-11', description: 'later' },
        'ma-1',
        arrange(),
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationFailed);
      expect(error).toMatchObject({ code: 'OCCURRED_IN_FUTURE' });
    });
  });

  describe('fileIncidentReport', () => {
    const KEYED: IncidentReportInput = {
      kind: 'phi-in-unapproved-tool',
      occurredOn: '2026-03-09',
      description: DESCRIPTION,
      idempotencyKey: 'report-key-0001',
    };

    /** A bus that refuses the first `failures` publishes, then accepts and keeps what it was given. */
    function arrangeFiling(failures = 0) {
      const published: DomainEvent[] = [];
      let refused = 0;
      const events = {
        name: 'FlakyBus',
        publish: async (batch: readonly DomainEvent[]) => {
          if (refused < failures) {
            refused += 1;
            throw new Error('bus down');
          }
          published.push(...batch);
        },
      };
      return { ports: { ...arrange(), events }, published };
    }

    it('stores the report, publishes its event once (ids only) and clears the owed marker', async () => {
      const { ports, published } = arrangeFiling();

      const filed = await fileIncidentReport({ ...KEYED, idempotencyKey: undefined }, 'ma-1', ports);

      expect(filed).toMatchObject({ incident: { id: 'inc-1', status: 'open' }, replayed: false });
      expect(published.map((event) => event.detail)).toEqual([
        { incidentId: 'inc-1', kind: 'phi-in-unapproved-tool', reportedAt: '2026-03-10T09:00:00.000Z' },
      ]);
      expect(JSON.stringify(published)).not.toContain('Jane');
      expect((await getIncident('inc-1', ports)).notificationOwed).toBeUndefined();
    });

    it('answers a failed publish with 503 INCIDENT_NOTIFICATION_PENDING and keeps the report, owing its event', async () => {
      const { ports, published } = arrangeFiling(1);

      const error = await fileIncidentReport(KEYED, 'ma-1', ports).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ServiceUnavailable);
      expect(error).toMatchObject({ code: 'INCIDENT_NOTIFICATION_PENDING', status: 503 });
      const [stored] = ports.store.incidents.values();
      expect(error).toMatchObject({ details: { incidentId: stored?.id } });
      expect(JSON.stringify(error)).not.toContain('Jane');
      expect(stored).toMatchObject({ status: 'open', notificationOwed: true });
      expect(published).toEqual([]);
    });

    it('gives exactly one incident and one event for a publish that fails once, then two retries', async () => {
      const { ports, published } = arrangeFiling(1);

      await expect(fileIncidentReport(KEYED, 'ma-1', ports)).rejects.toMatchObject({
        code: 'INCIDENT_NOTIFICATION_PENDING',
      });
      const retry = await fileIncidentReport(KEYED, 'ma-1', ports);
      const again = await fileIncidentReport(KEYED, 'ma-1', ports);

      expect(ports.store.incidents.size).toBe(1);
      expect(published.map((event) => event.detail.incidentId)).toEqual([retry.incident.id]);
      expect([retry.replayed, again.replayed]).toEqual([true, true]);
      expect(again.incident).toEqual(retry.incident);
      expect(retry.incident.notificationOwed).toBeUndefined();
      expect((await getIncident(retry.incident.id, ports)).notificationOwed).toBeUndefined();
    });

    it('leaves a young owed notice to its request, then the sweeper sends it once and keeps one the bus refuses', async () => {
      const { ports, published } = arrangeFiling(1);
      // Filed without a key, so nobody will retry it: only the sweeper can send its notice.
      await expect(fileIncidentReport({ ...KEYED, idempotencyKey: undefined }, 'ma-1', ports)).rejects.toMatchObject({
        code: 'INCIDENT_NOTIFICATION_PENDING',
      });
      const later = (minutes: number) =>
        fixedClock(new Date(Date.parse('2026-03-10T09:00:00Z') + minutes * 60_000).toISOString());

      expect(await sweepOwedIncidentNotices({ ...ports, clock: later(1) })).toEqual({ announced: 0, stillOwed: 0 });
      const refusing = {
        ...ports,
        events: { name: 'DownBus', publish: async () => Promise.reject(new Error('down')) },
      };
      expect(await sweepOwedIncidentNotices({ ...refusing, clock: later(10) })).toEqual({ announced: 0, stillOwed: 1 });
      expect(await sweepOwedIncidentNotices({ ...ports, clock: later(20) })).toEqual({ announced: 1, stillOwed: 0 });
      expect(await sweepOwedIncidentNotices({ ...ports, clock: later(40) })).toEqual({ announced: 0, stillOwed: 0 });
      expect(published.map((event) => event.detail.incidentId)).toEqual(['inc-1']);
    });

    it('replays a report whose retry raced the first attempt to the store', async () => {
      const { ports, published } = arrangeFiling(1);
      await fileIncidentReport(KEYED, 'ma-1', ports).catch(() => undefined);
      const store = Object.create(ports.store) as InMemoryPolicyStore;
      let lookups = 0;
      // The retry's first lookup ran before the first attempt's write landed.
      store.getIncident = async (id) => (++lookups === 1 ? undefined : ports.store.getIncident(id));

      const raced = await fileIncidentReport(KEYED, 'ma-1', { ...ports, store });

      expect(raced.replayed).toBe(true);
      expect(ports.store.incidents.size).toBe(1);
      expect(published).toHaveLength(1);
    });

    it('refuses another report under a used key with 409 IDEMPOTENCY_KEY_REUSED; keys are per reporter', async () => {
      const { ports } = arrangeFiling();
      await fileIncidentReport(KEYED, 'ma-1', ports);

      await expect(fileIncidentReport({ ...KEYED, kind: 'other' }, 'ma-1', ports)).rejects.toMatchObject({
        code: 'IDEMPOTENCY_KEY_REUSED',
        status: 409,
      });
      await expect(fileIncidentReport({ ...KEYED, description: 'Another' }, 'ma-1', ports)).rejects.toBeInstanceOf(
        Conflict,
      );
      expect((await fileIncidentReport(KEYED, 'nurse-2', ports)).replayed).toBe(false);
      expect(ports.store.incidents.size).toBe(2);
    });

    it('files each report without a key as a new incident', async () => {
      const { ports, published } = arrangeFiling();
      const unkeyed = { ...KEYED, idempotencyKey: undefined };

      await fileIncidentReport(unkeyed, 'ma-1', ports);
      await fileIncidentReport(unkeyed, 'ma-1', ports);

      expect([...ports.store.incidents.keys()]).toEqual(['inc-1', 'inc-2']);
      expect(published).toHaveLength(2);
    });

    it('answers success once the event is out, even when clearing the marker fails', async () => {
      const { ports, published } = arrangeFiling();
      ports.store.updateIncident = async () => {
        throw new Error('table throttled');
      };

      const filed = await fileIncidentReport(KEYED, 'ma-1', ports);

      expect(filed.replayed).toBe(false);
      expect(published).toHaveLength(1);
    });
  });

  describe('the IncidentReported event', () => {
    it('carries the id, kind and time, and refuses a detail holding the description', async () => {
      const incident = await report(arrange());
      const event = createEvent(IncidentReported, {
        incidentId: incident.id,
        kind: incident.kind,
        reportedAt: incident.reportedAt,
      });

      expect(event).toMatchObject({ source: 'clinical-ai-gateway.policy', detailType: 'Incident.Reported' });
      expect(JSON.stringify(event)).not.toContain('Jane');
      expect(() => createEvent(IncidentReported, { ...event.detail, description: DESCRIPTION } as never)).toThrow();
    });
  });

  describe('transitionIncident', () => {
    it('moves open -> investigating -> closed, recording who and when', async () => {
      const ports = arrange();
      await report(ports);
      ports.clock.set('2026-03-11T09:00:00Z');
      await transitionIncident('inc-1', { to: 'investigating' }, 'privacy-1', ports);
      ports.clock.set('2026-03-12T09:00:00Z');
      const closed = await transitionIncident(
        'inc-1',
        { to: 'closed', resolution: 'Staff retrained; vendor asked to delete' },
        'privacy-1',
        ports,
      );

      expect(closed.status).toBe('closed');
      expect(closed.resolution).toBe('Staff retrained; vendor asked to delete');
      expect(closed.history.map((change) => [change.status, change.at.slice(0, 10), change.by])).toEqual([
        ['open', '2026-03-10', 'ma-1'],
        ['investigating', '2026-03-11', 'privacy-1'],
        ['closed', '2026-03-12', 'privacy-1'],
      ]);
    });

    it.each([
      ['open', 'closed'],
      ['investigating', 'investigating'],
      ['closed', 'investigating'],
      ['closed', 'closed'],
    ] as const)('refuses %s -> %s with 409 INVALID_TRANSITION', async (from, to) => {
      const ports = arrange();
      await report(ports);
      if (from !== 'open') await transitionIncident('inc-1', { to: 'investigating' }, 'p', ports);
      if (from === 'closed') await transitionIncident('inc-1', { to: 'closed', resolution: 'done' }, 'p', ports);

      const resolution = to === 'closed' ? { resolution: 'again' } : {};
      const error = await transitionIncident('inc-1', { to, ...resolution }, 'p', ports).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Conflict);
      expect(error).toMatchObject({ code: 'INVALID_TRANSITION', status: 409 });
      expect((await getIncident('inc-1', ports)).status).toBe(from);
    });

    it('refuses with INVALID_TRANSITION when someone else moved the incident first', async () => {
      const ports = arrange();
      await report(ports);
      const racing = { ...ports, store: Object.create(ports.store) as InMemoryPolicyStore };
      racing.store.updateIncident = async (incident, expected) => {
        await ports.store.updateIncident({ ...incident }, expected);
        return ports.store.updateIncident(incident, expected);
      };
      await expect(transitionIncident('inc-1', { to: 'investigating' }, 'p', racing)).rejects.toMatchObject({
        code: 'INVALID_TRANSITION',
      });
    });

    it('requires a resolution to close and accepts one only when closing', async () => {
      const ports = arrange();
      await report(ports);
      await expect(transitionIncident('inc-1', { to: 'investigating', resolution: 'x' }, 'p', ports)).rejects.toThrow(
        ValidationFailed,
      );
      await transitionIncident('inc-1', { to: 'investigating' }, 'p', ports);
      await expect(transitionIncident('inc-1', { to: 'closed' }, 'p', ports)).rejects.toMatchObject({
        code: 'RESOLUTION_REQUIRED',
      });
    });

    it('answers 404 INCIDENT_NOT_FOUND for an unknown id', async () => {
      const error = await transitionIncident('nope', { to: 'investigating' }, 'p', arrange()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotFound);
      expect(error).toMatchObject({ code: 'INCIDENT_NOT_FOUND' });
    });
  });

  describe('listIncidents', () => {
    it('lists the incidents with one status, oldest first', async () => {
      const ports = arrange();
      await report(ports);
      ports.clock.set('2026-03-10T10:00:00Z');
      await report(ports);
      ports.clock.set('2026-03-10T11:00:00Z');
      await report(ports);
      await transitionIncident('inc-2', { to: 'investigating' }, 'p', ports);

      expect((await listIncidents('open', ports)).map((incident) => incident.id)).toEqual(['inc-1', 'inc-3']);
      expect((await listIncidents('investigating', ports)).map((incident) => incident.id)).toEqual(['inc-2']);
      expect(await listIncidents('closed', ports)).toEqual([]);
    });
  });
});
